package io.jenkins.plugins.containerbuild.engine.api;

import java.util.Objects;

/**
 * One problem found in a Dockerfile by the Dockerfile validator.
 *
 * @param severity {@link Severity#ERROR} when the daemon would refuse the Dockerfile,
 *                 {@link Severity#WARNING} when the build may still work
 * @param line     1-based line of the instruction (or flag) the problem is about; 0 when it
 *                 concerns the whole file (for example an unknown build target)
 * @param column   1-based column on that line; 0 when {@code line} is 0
 * @param message  what is wrong and how to fix it
 */
public record DockerfileProblem(Severity severity, int line, int column, String message) {

    /** How bad a problem is. */
    public enum Severity {
        /** The daemon's built-in Dockerfile frontend refuses this Dockerfile. */
        ERROR,
        /** The build may work, but probably not as intended. */
        WARNING
    }

    /** Validates the components: non-null severity and message, non-negative positions. */
    public DockerfileProblem {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must be >= 0, got " + line + ":" + column);
        }
    }

    /** @return true when this is an {@link Severity#ERROR} */
    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return severity + " " + line + ":" + column + " " + message;
    }
}
