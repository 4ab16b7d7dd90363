package io.jenkins.plugins.containerbuild.engine.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** The engine's one JSON codec: Jackson stays inside this package. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** Parses one JSON document. */
    public static JsonValue parse(String text) throws IOException {
        return new JsonValue(MAPPER.readTree(text));
    }

    /** Parses one JSON document into maps, lists, strings, numbers, booleans and nulls. */
    public static Object parsePlain(String text) throws IOException {
        return MAPPER.readValue(text, Object.class);
    }

    /** Writes maps, lists, strings, numbers, booleans and nulls as compact JSON text. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }
}
