package io.jenkins.plugins.containerbuild.engine.build;

import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.api.StepTiming;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a backend learned from the daemon's build stream.
 *
 * @param status      SUCCESS, FAILED or CANCELLED
 * @param imageId     the image id, or null when the build did not produce one
 * @param steps       per-step timings and cache hits
 * @param contextBytes bytes of context sent
 * @param error       the masked error message, or null
 * @param failedStep  the failing step's name, or null
 * @param exitCode    the failing command's exit code, or null
 * @param lastLines   the failing step's last log lines
 * @param daemonTime  time the daemon reports having spent, zero when unknown
 * @param exporterResponse what BuildKit's own API answered the solve with ({@code containerimage.digest}, ...); empty
 *                         otherwise
 */
public record BackendOutcome(
        BuildStatus status,
        String imageId,
        List<StepTiming> steps,
        long contextBytes,
        String error,
        String failedStep,
        Integer exitCode,
        List<String> lastLines,
        Duration daemonTime,
        Map<String, String> exporterResponse) {
    public BackendOutcome {
        steps = List.copyOf(steps);
        lastLines = List.copyOf(lastLines);
        exporterResponse = exporterResponse == null ? Map.of() : Map.copyOf(exporterResponse);
    }

    /** An outcome without an exporter response (every builder but BuildKit's own API). */
    public BackendOutcome(
            BuildStatus status,
            String imageId,
            List<StepTiming> steps,
            long contextBytes,
            String error,
            String failedStep,
            Integer exitCode,
            List<String> lastLines,
            Duration daemonTime) {
        this(status, imageId, steps, contextBytes, error, failedStep, exitCode, lastLines, daemonTime, Map.of());
    }

    /** A build stopped on request or by its timeout. */
    public static BackendOutcome cancelled(String reason, List<StepTiming> steps, long contextBytes) {
        return new BackendOutcome(
                BuildStatus.CANCELLED,
                null,
                steps,
                contextBytes,
                reason == null ? "cancelled" : reason,
                null,
                null,
                List.of(),
                Duration.ZERO);
    }
}
