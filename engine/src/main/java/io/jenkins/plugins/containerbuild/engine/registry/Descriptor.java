package io.jenkins.plugins.containerbuild.engine.registry;

import java.util.Objects;

/**
 * A registry object as a manifest list refers to it.
 *
 * @param mediaType the manifest's media type
 * @param digest    {@code sha256:…}
 * @param size      its length in bytes
 */
public record Descriptor(String mediaType, String digest, long size) {
    public Descriptor {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
    }
}
