package io.jenkins.plugins.containerbuild.engine.api;

import java.util.List;

/** The daemon ran the build and it failed: a step exited non-zero, or the daemon refused it. */
public class BuildFailedException extends BuildException {
    private static final long serialVersionUID = 1L;
    private final String step;
    private final Integer exitCode;
    private final List<String> lastLogLines;
    private final transient BuildMetrics metrics;

    public BuildFailedException(
            String message, String step, Integer exitCode, List<String> lastLogLines, BuildMetrics metrics) {
        super(message);
        this.step = step;
        this.exitCode = exitCode;
        this.lastLogLines = List.copyOf(lastLogLines);
        this.metrics = metrics;
    }

    /** The failing step's name as the daemon shows it (e.g. {@code [build 2/3] RUN make}), or null. */
    public String step() {
        return step;
    }

    /** The failing command's exit code, or null when the failure was not a command's. */
    public Integer exitCode() {
        return exitCode;
    }

    /** The last lines the failing step printed (already masked). */
    public List<String> lastLogLines() {
        return lastLogLines;
    }

    /** What was measured up to the failure; may be null. */
    public BuildMetrics metrics() {
        return metrics;
    }
}
