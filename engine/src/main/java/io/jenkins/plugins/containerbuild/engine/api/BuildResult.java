package io.jenkins.plugins.containerbuild.engine.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A finished, successful build.
 *
 * @param buildId   the engine's id of the build
 * @param imageId   the built image's id ({@code sha256:…}); for a multi-platform build, which has no single
 *                  image, the manifest list's digest; null for a build whose only output is a file system
 *                  ({@code type=tar})
 * @param tags      the tags the image got (for a multi-platform build: the tags the list was pushed under)
 * @param metrics   what was measured; for several platforms, the sums over all of them
 * @param digest    the pushed digest (the manifest's, or the manifest list's for several platforms), or null
 *                  when nothing was pushed
 * @param platforms the pushed per-platform images, in the order the platforms were asked for; empty when
 *                  nothing was pushed
 * @param exporterResponse what a BuildKit builder reached through its own API answered
 *                  ({@code containerimage.digest}, {@code containerimage.descriptor}, ...), as buildx writes it to its
 *                  metadata file; empty otherwise
 */
public record BuildResult(
        String buildId,
        String imageId,
        List<String> tags,
        BuildMetrics metrics,
        String digest,
        List<PlatformImage> platforms,
        Map<String, String> exporterResponse) {
    public BuildResult {
        Objects.requireNonNull(buildId, "buildId");
        tags = List.copyOf(tags);
        Objects.requireNonNull(metrics, "metrics");
        platforms = List.copyOf(platforms);
        exporterResponse = exporterResponse == null ? Map.of() : Map.copyOf(exporterResponse);
    }

    /** A build with no exporter response. */
    public BuildResult(
            String buildId,
            String imageId,
            List<String> tags,
            BuildMetrics metrics,
            String digest,
            List<PlatformImage> platforms) {
        this(buildId, imageId, tags, metrics, digest, platforms, Map.of());
    }

    /** A build that pushed nothing. */
    public BuildResult(String buildId, String imageId, List<String> tags, BuildMetrics metrics) {
        this(buildId, imageId, tags, metrics, null, List.of());
    }

    /** The pushed digest, when the build pushed. */
    public Optional<String> pushedDigest() {
        return Optional.ofNullable(digest);
    }
}
