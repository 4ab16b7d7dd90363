package io.jenkins.plugins.containerbuild.engine.daemon;

import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What a daemon is, asked once per engine: its version and API version ({@code GET /version}), whether it
 * is Podman's service, and whether it keeps images in the containerd image store ({@code GET /info}); from
 * the API version, which BuildKit release is built into it.
 *
 * @param engineVersion        the daemon's version, e.g. {@code 26.1.5+dfsg1}; empty when it did not say
 * @param apiVersion           the highest API version it speaks, e.g. {@code 1.45}
 * @param podman               whether it is Podman's service
 * @param containerdImageStore whether its images live in the containerd image store (Docker 24+ with the
 *                             containerd snapshotter; the default of fresh Docker 29 installs)
 */
public record DaemonProfile(String engineVersion, String apiVersion, boolean podman, boolean containerdImageStore) {
    /**
     * The BuildKit release built into each Docker Engine, by the first API version of that engine:
     * 20.10 (API 1.41) ships v0.8, 23.0 v0.10, 24.0 v0.11, 25.0 v0.12, 26.x v0.13, 27.0 v0.14, 27.1+ v0.15,
     * 28.0 v0.20, 29.0 v0.25.
     */
    private static final NavigableMap<Integer, Integer> BUILDKIT_MINOR_BY_API_MINOR = new TreeMap<>();

    static {
        BUILDKIT_MINOR_BY_API_MINOR.put(39, 8);
        BUILDKIT_MINOR_BY_API_MINOR.put(42, 10);
        BUILDKIT_MINOR_BY_API_MINOR.put(43, 11);
        BUILDKIT_MINOR_BY_API_MINOR.put(44, 12);
        BUILDKIT_MINOR_BY_API_MINOR.put(45, 13);
        BUILDKIT_MINOR_BY_API_MINOR.put(46, 14);
        BUILDKIT_MINOR_BY_API_MINOR.put(47, 15);
        BUILDKIT_MINOR_BY_API_MINOR.put(48, 20);
        BUILDKIT_MINOR_BY_API_MINOR.put(52, 25);
    }

    /** From the answers to {@code /_ping}, {@code /version} and {@code /info} (either of the last two may be null). */
    static DaemonProfile of(DaemonClient.PingInfo ping, JsonValue version, JsonValue info) {
        String engine = version == null ? "" : version.path("Version").asText("");
        boolean containerd =
                info != null && info.path("DriverStatus").toString().contains("io.containerd.snapshotter");
        return new DaemonProfile(
                engine, ping.apiVersion() == null ? "" : ping.apiVersion(), ping.isPodman(), containerd);
    }

    /**
     * The minor version of the BuildKit v0 release built into this daemon (8 for dockerd 20.10, 13 for 26),
     * or 8 when the API version is unknown.
     */
    public int buildKitMinor() {
        Integer api = apiMinor();
        if (api == null || podman) {
            return 8;
        }
        var entry = BUILDKIT_MINOR_BY_API_MINOR.floorEntry(api);
        return entry == null ? 8 : entry.getValue();
    }

    /** The daemon as messages name it, e.g. {@code dockerd 26.1.5+dfsg1 (BuildKit v0.13, containerd image store)}. */
    public String describe() {
        String name = podman
                ? "Podman " + engineVersion
                : "dockerd " + (engineVersion.isEmpty() ? "(API " + apiVersion + ")" : engineVersion);
        return name + " (BuildKit v0." + buildKitMinor() + (containerdImageStore ? ", containerd image store" : "")
                + ")";
    }

    private Integer apiMinor() {
        String[] parts = apiVersion.split("\\.");
        try {
            return parts.length == 2 && Integer.parseInt(parts[0]) == 1 ? Integer.parseInt(parts[1]) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
