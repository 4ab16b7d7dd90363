package io.jenkins.plugins.containerbuild.cli;

import io.jenkins.plugins.containerbuild.engine.api.BuildListener;
import io.jenkins.plugins.containerbuild.engine.progress.JsonProgressPrinter;
import io.jenkins.plugins.containerbuild.engine.progress.PlainProgressPrinter;
import io.jenkins.plugins.containerbuild.engine.progress.TtyProgressRenderer;
import java.io.PrintStream;

/** How progress is shown: {@code auto} is tty on a terminal, plain otherwise. */
enum ProgressMode {
    auto,
    plain,
    tty,
    json;

    BuildListener listener(PrintStream out) {
        ProgressMode m = this == auto ? (System.console() != null ? tty : plain) : this;
        return switch (m) {
            case tty -> new TtyProgressRenderer(out, terminalWidth());
            case json -> new JsonProgressPrinter(out);
            default -> new PlainProgressPrinter(out, "");
        };
    }

    private static int terminalWidth() {
        try {
            return Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "120"));
        } catch (NumberFormatException e) {
            return 120;
        }
    }
}
