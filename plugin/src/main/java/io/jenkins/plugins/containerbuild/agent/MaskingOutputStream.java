package io.jenkins.plugins.containerbuild.agent;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import io.jenkins.plugins.containerbuild.engine.steps.ResolvedCredentials;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Replaces every occurrence of a secret value with {@code ****} in what is written through it.
 * Works on bytes, one line at a time (a secret never spans a line break in a log line), so no
 * secret is ever turned into a {@link String}. Multi-line secrets (SSH keys, secret files) are
 * masked line by line.
 */
public final class MaskingOutputStream extends FilterOutputStream {
    private static final byte[] MASK = "****".getBytes(StandardCharsets.US_ASCII);
    /** Shorter values are not masked: they would blank out ordinary words. */
    private static final int MIN_LENGTH = 3;
    private static final int MAX_LINE = 64 * 1024;

    private final List<byte[]> secrets;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private MaskingOutputStream(OutputStream out, List<byte[]> secrets) {
        super(out);
        this.secrets = secrets;
    }

    /**
     * A print stream writing to {@code out} with {@code secretValues} masked; {@code out} itself
     * when there is nothing to mask. The caller keeps ownership of the arrays.
     */
    public static PrintStream wrap(PrintStream out, List<byte[]> secretValues) {
        List<byte[]> patterns = patterns(secretValues);
        if (patterns.isEmpty()) {
            return out;
        }
        return new PrintStream(new MaskingOutputStream(out, patterns), true, StandardCharsets.UTF_8);
    }

    /** {@link #wrap(PrintStream, List)} with every secret value of {@code credentials}. */
    public static PrintStream wrap(PrintStream out, ResolvedCredentials credentials) {
        List<byte[]> values = credentials.secretValuesForMasking();
        try {
            return wrap(out, values);
        } finally {
            values.forEach(v -> Arrays.fill(v, (byte) 0));
        }
    }

    /** The byte sequences to mask: each value, and each line of a multi-line value. */
    static List<byte[]> patterns(List<byte[]> values) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] v : values) {
            if (v == null) {
                continue;
            }
            add(out, v, 0, v.length);
            int start = 0;
            for (int i = 0; i <= v.length; i++) {
                if (i == v.length || v[i] == '\n' || v[i] == '\r') {
                    if (start > 0 || i < v.length) {
                        add(out, v, start, i);
                    }
                    start = i + 1;
                }
            }
        }
        // Longest first, so a value containing another one is masked whole.
        out.sort((a, b) -> Integer.compare(b.length, a.length));
        return out;
    }

    private static void add(List<byte[]> out, byte[] v, int from, int to) {
        while (from < to && (v[from] == ' ' || v[from] == '\t')) {
            from++;
        }
        while (to > from && (v[to - 1] == ' ' || v[to - 1] == '\t' || v[to - 1] == '\n' || v[to - 1] == '\r')) {
            to--;
        }
        if (to - from >= MIN_LENGTH) {
            byte[] p = new byte[to - from];
            System.arraycopy(v, from, p, 0, p.length);
            out.add(p);
        }
    }

    @Override
    public synchronized void write(int b) throws IOException {
        line.write(b);
        if (b == '\n' || line.size() >= MAX_LINE) {
            emitLine();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        for (int i = 0; i < len; i++) {
            write(b[off + i]);
        }
    }

    /** Passes on complete lines only; a partial line waits for its end (or for {@link #close()}). */
    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        emitLine();
        out.flush();
        // The underlying stream belongs to the caller (the build log): never close it here.
    }

    private void emitLine() throws IOException {
        byte[] bytes = line.toByteArray();
        line.reset();
        out.write(mask(bytes, secrets));
        out.flush();
        Arrays.fill(bytes, (byte) 0);
    }

    /** {@code text} with every occurrence of a pattern replaced by {@code ****}. */
    static byte[] mask(byte[] text, List<byte[]> patterns) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length);
        int i = 0;
        outer:
        while (i < text.length) {
            for (byte[] p : patterns) {
                if (startsWith(text, i, p)) {
                    out.write(MASK, 0, MASK.length);
                    i += p.length;
                    continue outer;
                }
            }
            out.write(text[i++]);
        }
        return out.toByteArray();
    }

    private static boolean startsWith(byte[] text, int at, byte[] p) {
        if (at + p.length > text.length) {
            return false;
        }
        for (int j = 0; j < p.length; j++) {
            if (text[at + j] != p[j]) {
                return false;
            }
        }
        return true;
    }
}
