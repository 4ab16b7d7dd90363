package io.jenkins.plugins.containerbuild.engine.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One finished build as the history keeps it. No secret material: the error is masked.
 *
 * @param buildId        the engine's id
 * @param imageId        the image id, null when none was built
 * @param tags           the requested tags
 * @param status         how it ended
 * @param startedAt      when it started
 * @param durationMillis how long it took
 * @param stepsTotal     steps run or cached
 * @param stepsCached    steps taken from cache
 * @param imageSizeBytes the image's size, 0 when unknown
 * @param backend        the backend that built it
 * @param error          the masked error, or null
 */
public record HistoryEntry(
        String buildId,
        String imageId,
        List<String> tags,
        BuildStatus status,
        Instant startedAt,
        long durationMillis,
        int stepsTotal,
        int stepsCached,
        long imageSizeBytes,
        Backend backend,
        String error) {
    public HistoryEntry {
        Objects.requireNonNull(buildId, "buildId");
        tags = List.copyOf(tags);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(backend, "backend");
    }

    /** The entry for a build with these metrics. */
    public static HistoryEntry of(String buildId, String imageId, List<String> tags, BuildMetrics m) {
        return new HistoryEntry(
                buildId,
                imageId,
                tags,
                m.status(),
                m.start(),
                m.duration().toMillis(),
                m.stepsTotal(),
                m.stepsCached(),
                m.imageSizeBytes(),
                m.backend(),
                m.error());
    }
}
