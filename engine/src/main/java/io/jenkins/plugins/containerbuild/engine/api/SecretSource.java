package io.jenkins.plugins.containerbuild.engine.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where a build secret's bytes come from. The bytes are read only when the daemon asks for them
 * and are never kept in a {@code String}. {@code toString} never shows the value.
 */
public interface SecretSource {

    /** Returns a fresh copy of the secret's bytes; the caller zeroes it when done. */
    byte[] read() throws IOException;

    /** A short description for error messages (never the value), e.g. {@code file /run/x}. */
    String describe();

    /** A secret held in memory; the array is copied, so the caller may zero its own. */
    static SecretSource ofBytes(byte[] value) {
        byte[] copy = Objects.requireNonNull(value, "value").clone();
        return new SecretSource() {
            @Override
            public byte[] read() {
                return copy.clone();
            }

            @Override
            public String describe() {
                return "in-memory value";
            }

            @Override
            public String toString() {
                return "SecretSource(in-memory)";
            }
        };
    }

    /** A secret held in memory, given as characters (encoded as UTF-8). */
    static SecretSource ofChars(char[] value) {
        java.nio.ByteBuffer buf = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(value));
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        Arrays.fill(buf.array(), (byte) 0);
        SecretSource s = ofBytes(bytes);
        Arrays.fill(bytes, (byte) 0);
        return s;
    }

    /** A secret read from a file when the daemon asks for it. */
    static SecretSource fromFile(Path file) {
        Objects.requireNonNull(file, "file");
        return new SecretSource() {
            @Override
            public byte[] read() throws IOException {
                return Files.readAllBytes(file);
            }

            @Override
            public String describe() {
                return "file " + file;
            }

            @Override
            public String toString() {
                return "SecretSource(file " + file + ")";
            }
        };
    }

    /** A secret read from an environment variable of this process when the daemon asks for it. */
    static SecretSource fromEnv(String variable) {
        Objects.requireNonNull(variable, "variable");
        return new SecretSource() {
            @Override
            public byte[] read() throws IOException {
                String v = System.getenv(variable);
                if (v == null) {
                    throw new IOException("environment variable " + variable + " is not set");
                }
                return v.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String describe() {
                return "environment variable " + variable;
            }

            @Override
            public String toString() {
                return "SecretSource(env " + variable + ")";
            }
        };
    }
}
