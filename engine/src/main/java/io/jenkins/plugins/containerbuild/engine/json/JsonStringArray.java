package io.jenkins.plugins.containerbuild.engine.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The exec (JSON) form of an instruction's arguments. Like the Dockerfile parser, only the first
 * JSON value is read: an array of strings is exec form, a JSON array holding anything else is an
 * error, and text that is not JSON at all is shell form.
 */
public final class JsonStringArray {
    /** What the text is. */
    public enum Kind {
        NOT_JSON,
        NOT_STRINGS,
        STRINGS
    }

    /** The kind, and the strings when it is {@link Kind#STRINGS}. */
    public record Result(Kind kind, List<String> values) {}

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonStringArray() {}

    /** Reads the first JSON value of {@code arguments}. */
    public static Result parse(String arguments) {
        String s = arguments.stripLeading();
        if (!s.startsWith("[")) {
            return new Result(Kind.NOT_JSON, List.of());
        }
        List<String> values = new ArrayList<>();
        boolean onlyStrings = true;
        try (JsonParser parser = FACTORY.createParser(s)) {
            parser.nextToken(); // START_ARRAY
            int depth = 1;
            while (depth > 0) {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    return new Result(Kind.NOT_JSON, List.of());
                }
                if (token.isStructStart()) {
                    depth++;
                    onlyStrings = false;
                } else if (token.isStructEnd()) {
                    depth--;
                } else if (token == JsonToken.VALUE_STRING && depth == 1) {
                    values.add(parser.getText());
                } else if (token != JsonToken.FIELD_NAME) {
                    if (depth == 1) {
                        onlyStrings = false;
                    }
                }
            }
        } catch (IOException e) {
            return new Result(Kind.NOT_JSON, List.of());
        }
        return onlyStrings ? new Result(Kind.STRINGS, List.copyOf(values)) : new Result(Kind.NOT_STRINGS, List.of());
    }
}
