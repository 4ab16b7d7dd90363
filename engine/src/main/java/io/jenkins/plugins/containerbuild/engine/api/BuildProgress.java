package io.jenkins.plugins.containerbuild.engine.api;

import java.util.Objects;

/**
 * One progress event. Steps are numbered 1..m in the order the daemon first reports them; internal
 * work (loading the Dockerfile, context transfer) has step 0.
 *
 * @param buildId    the engine's id of the build the event belongs to
 * @param kind       what happened
 * @param step       the step's number, 0 for internal work
 * @param totalSteps the number of steps known so far (grows while the daemon discovers them)
 * @param percent    steps finished / steps known, 0..100
 * @param vertexName the step's name as the daemon shows it, e.g. {@code [2/3] RUN make}
 * @param message    a log line (already masked) for {@link Kind#LOG}, else a short status text
 */
public record BuildProgress(
        String buildId, Kind kind, int step, int totalSteps, int percent, String vertexName, String message) {

    /** What a progress event reports. */
    public enum Kind {
        STEP_STARTED,
        STEP_CACHED,
        STEP_DONE,
        STEP_FAILED,
        LOG,
        /** Engine-level news: context sent, image id known, tagged. */
        INFO
    }

    public BuildProgress {
        Objects.requireNonNull(buildId, "buildId");
        Objects.requireNonNull(kind, "kind");
        vertexName = vertexName == null ? "" : vertexName;
        message = message == null ? "" : message;
    }
}
