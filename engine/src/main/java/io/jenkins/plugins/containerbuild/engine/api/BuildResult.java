package io.jenkins.plugins.containerbuild.engine.api;

import java.util.List;
import java.util.Objects;

/**
 * A finished, successful build.
 *
 * @param buildId the engine's id of the build
 * @param imageId the built image's id ({@code sha256:…})
 * @param tags    the tags the image got
 * @param metrics what was measured
 */
public record BuildResult(String buildId, String imageId, List<String> tags, BuildMetrics metrics) {
    public BuildResult {
        Objects.requireNonNull(buildId, "buildId");
        Objects.requireNonNull(imageId, "imageId");
        tags = List.copyOf(tags);
        Objects.requireNonNull(metrics, "metrics");
    }
}
