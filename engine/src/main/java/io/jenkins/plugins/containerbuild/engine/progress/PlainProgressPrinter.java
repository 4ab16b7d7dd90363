package io.jenkins.plugins.containerbuild.engine.progress;

import io.jenkins.plugins.containerbuild.engine.api.BuildListener;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import java.io.PrintStream;

/** One line per event, for logs and CI consoles: {@code #3 [2/4] RUN make: DONE 1.2s}. */
public final class PlainProgressPrinter implements BuildListener {
    private final PrintStream out;
    private final String prefix;

    /** @param prefix put before every line (e.g. a batch build's name), may be empty */
    public PlainProgressPrinter(PrintStream out, String prefix) {
        this.out = out;
        this.prefix = prefix == null ? "" : prefix;
    }

    @Override
    public void onProgress(BuildProgress p) {
        out.println(prefix + format(p));
    }

    /** The line printed for one event. */
    public static String format(BuildProgress p) {
        String where = p.step() > 0 ? "#" + p.step() + "/" + p.totalSteps() + " " : "";
        return switch (p.kind()) {
            case STEP_STARTED -> where + p.vertexName();
            case STEP_CACHED -> where + p.vertexName() + ": CACHED";
            case STEP_DONE -> where + p.vertexName() + ": " + p.message();
            case STEP_FAILED -> where + p.vertexName() + ": ERROR " + p.message();
            case LOG -> where + "| " + p.message();
            case INFO -> p.message();
        };
    }
}
