package io.jenkins.plugins.containerbuild.engine.api;

import java.util.Objects;

/**
 * One platform's image of a pushed build.
 *
 * @param platform  the platform it was built for
 * @param reference the per-platform reference it was pushed under (e.g. {@code host/app:1-linux-arm64}),
 *                  or the first tag for a single-platform push
 * @param imageId   its id in the daemon's image store ({@code sha256:…})
 * @param digest    the digest of its manifest in the registry ({@code sha256:…})
 * @param size      the size in bytes of that manifest, as the push reported it
 * @param metrics   this platform's build metrics
 */
public record PlatformImage(
        Platform platform, String reference, String imageId, String digest, long size, BuildMetrics metrics) {
    public PlatformImage {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(metrics, "metrics");
    }
}
