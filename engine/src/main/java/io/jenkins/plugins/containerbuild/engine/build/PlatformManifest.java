package io.jenkins.plugins.containerbuild.engine.build;

import io.jenkins.plugins.containerbuild.engine.api.Platform;
import java.util.Objects;

/**
 * One platform's manifest in the index a multi-platform build made in one solve.
 *
 * @param platform     the platform
 * @param digest       the manifest's digest
 * @param size         the manifest's size in bytes
 * @param configDigest its image config's digest (the platform image's id)
 */
public record PlatformManifest(Platform platform, String digest, long size, String configDigest) {
    public PlatformManifest {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(configDigest, "configDigest");
    }
}
