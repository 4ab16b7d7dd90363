package io.jenkins.plugins.containerbuild.engine.mask;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Replaces every form of a secret value that the {@link SecretMasker} knows with {@code ****} in what is written
 * through it. Works on bytes, one line at a time (a secret never spans a line break in a log line; multi-line
 * secrets are masked line by line), so no line is ever turned into a {@link String}. Closing it flushes a last
 * partial line and closes the masker, never the underlying stream.
 */
public final class MaskingOutputStream extends FilterOutputStream {
    private static final int MAX_LINE = 64 * 1024;

    private final SecretMasker masker;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private MaskingOutputStream(OutputStream out, SecretMasker masker) {
        super(out);
        this.masker = masker;
    }

    /**
     * A print stream writing to {@code out} with every form of {@code masker}'s secrets masked; {@code out} itself
     * when there is nothing to mask. The stream owns the masker from now on.
     */
    public static PrintStream wrap(PrintStream out, SecretMasker masker) {
        if (masker.isEmpty()) {
            masker.close();
            return out;
        }
        return new PrintStream(new MaskingOutputStream(out, masker), true, StandardCharsets.UTF_8);
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
        masker.close();
        // The underlying stream belongs to the caller (the build log): never close it here.
    }

    private void emitLine() throws IOException {
        byte[] bytes = line.toByteArray();
        line.reset();
        byte[] masked = masker.mask(bytes);
        out.write(masked);
        out.flush();
        Arrays.fill(bytes, (byte) 0);
    }
}
