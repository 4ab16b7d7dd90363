package io.jenkins.plugins.containerbuild.engine.build;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Turns a step's output chunks into masked whole lines, and keeps its last lines for error
 * messages. Chunks may split lines (and UTF-8 characters) anywhere.
 */
public final class StepLog {
    private static final int KEPT_LINES = 20;
    private final UnaryOperator<String> masker;
    private final Deque<String> last = new ArrayDeque<>();
    private java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

    public StepLog(UnaryOperator<String> masker) {
        this.masker = masker;
    }

    /** Adds output; each completed line (masked) goes to {@code sink}. */
    public void append(byte[] chunk, Consumer<String> sink) {
        int start = 0;
        for (int i = 0; i < chunk.length; i++) {
            if (chunk[i] == '\n') {
                partial.write(chunk, start, i - start);
                emit(sink);
                start = i + 1;
            }
        }
        partial.write(chunk, start, chunk.length - start);
    }

    /** Emits what is left of an unterminated last line. */
    public void flush(Consumer<String> sink) {
        if (partial.size() > 0) {
            emit(sink);
        }
    }

    private void emit(Consumer<String> sink) {
        String line = new String(partial.toByteArray(), StandardCharsets.UTF_8);
        partial = new java.io.ByteArrayOutputStream();
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        String masked = masker.apply(line);
        if (last.size() == KEPT_LINES) {
            last.removeFirst();
        }
        last.addLast(masked);
        sink.accept(masked);
    }

    /** The last lines seen (masked), oldest first. */
    public List<String> lastLines() {
        return new ArrayList<>(last);
    }
}
