package io.jenkins.plugins.containerbuild.engine.json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Reads the daemon's newline-delimited JSON stream, one object at a time. */
public final class JsonLines {
    private final BufferedReader reader;

    public JsonLines(InputStream in) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 64 * 1024);
    }

    /** The next object, or null at the end of the stream. Blank lines are skipped. */
    public JsonValue next() throws IOException {
        String line;
        while ((line = reader.readLine()) != null) {
            if (!line.isBlank()) {
                return Json.parse(line);
            }
        }
        return null;
    }
}
