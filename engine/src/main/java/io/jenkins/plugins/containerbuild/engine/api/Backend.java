package io.jenkins.plugins.containerbuild.engine.api;

/** Which builder the engine drives on the daemon. */
public enum Backend {
    /** Podman when {@code /_ping} carries {@code Libpod-Api-Version}; else BuildKit when the daemon supports it, else classic. */
    AUTO,
    /** The daemon's built-in BuildKit ({@code POST /build?version=2}). */
    BUILDKIT,
    /** The legacy builder ({@code POST /build?version=1}); cannot take secrets or SSH keys. */
    CLASSIC,
    /**
     * Podman's Docker-compatible API ({@code podman system service}); buildah builds, reported in a
     * classic-style stream. Cannot take secrets, SSH keys or registry credentials.
     */
    PODMAN;

    /** Parses a user-supplied name such as {@code buildkit}, case-insensitively. */
    public static Backend parse(String field, String value) {
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        for (Backend b : values()) {
            if (b.name().equalsIgnoreCase(value.trim())) {
                return b;
            }
        }
        throw new InvalidBuildContextException(
                field, "unknown backend '" + value + "'; use one of auto, buildkit, classic, podman");
    }
}
