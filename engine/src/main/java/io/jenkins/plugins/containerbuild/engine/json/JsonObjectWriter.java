package io.jenkins.plugins.containerbuild.engine.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes one flat JSON object of string members to a stream. A member may come from a {@code char[]}, so that
 * a password reaches the bytes without ever becoming a {@link String}.
 */
public final class JsonObjectWriter implements Closeable {
    private static final JsonFactory FACTORY = new JsonFactory();
    private final JsonGenerator generator;

    public JsonObjectWriter(OutputStream out) throws IOException {
        generator = FACTORY.createGenerator(out);
        generator.writeStartObject();
    }

    public JsonObjectWriter field(String name, String value) throws IOException {
        generator.writeStringField(name, value);
        return this;
    }

    /** A member whose value is {@code chars[0..length)}. */
    public JsonObjectWriter field(String name, char[] chars, int length) throws IOException {
        generator.writeFieldName(name);
        generator.writeString(chars, 0, length);
        return this;
    }

    /** Ends the object and flushes it. */
    @Override
    public void close() throws IOException {
        generator.writeEndObject();
        generator.close();
    }
}
