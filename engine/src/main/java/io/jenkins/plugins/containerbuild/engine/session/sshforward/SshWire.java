package io.jenkins.plugins.containerbuild.engine.session.sshforward;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The SSH wire encoding (RFC 4251 section 5): uint32, string, mpint. Framing only, no cryptography. */
final class SshWire {
    private SshWire() {}

    /** Writes SSH wire values. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

        Writer u8(int v) {
            out.write(v);
            return this;
        }

        Writer u32(long v) {
            out.write((int) (v >>> 24));
            out.write((int) (v >>> 16));
            out.write((int) (v >>> 8));
            out.write((int) v);
            return this;
        }

        Writer string(byte[] v) {
            u32(v.length);
            out.writeBytes(v);
            return this;
        }

        Writer string(String v) {
            return string(v.getBytes(StandardCharsets.UTF_8));
        }

        Writer mpint(BigInteger v) {
            return string(v.toByteArray());
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** Reads SSH wire values; a short or oversized field throws {@link IllegalArgumentException}. */
    static final class Reader {
        private final ByteBuffer in;

        Reader(byte[] data) {
            this.in = ByteBuffer.wrap(data);
        }

        int u8() {
            try {
                return in.get() & 0xff;
            } catch (BufferUnderflowException e) {
                throw new IllegalArgumentException("message too short");
            }
        }

        long u32() {
            try {
                return in.getInt() & 0xffffffffL;
            } catch (BufferUnderflowException e) {
                throw new IllegalArgumentException("message too short");
            }
        }

        byte[] string() {
            long n = u32();
            if (n > in.remaining()) {
                throw new IllegalArgumentException(
                        "string of " + n + " bytes in a message with " + in.remaining() + " left");
            }
            byte[] b = new byte[(int) n];
            in.get(b);
            return b;
        }

        int remaining() {
            return in.remaining();
        }
    }
}
