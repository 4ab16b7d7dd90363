package io.jenkins.plugins.containerbuild.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;

/**
 * What a test daemon is, for tests whose expectations depend on it: the engine version, the major
 * version, and whether images live in the containerd image store.
 */
public record DaemonFacts(String version, int major, boolean containerdStore) {

    static DaemonFacts of(DaemonClient client) {
        try (client) {
            JsonNode info = client.getJson("/info");
            String version = info.path("ServerVersion").asText("");
            boolean containerd = info.path("DriverStatus").toString().contains("io.containerd.snapshotter");
            int major;
            try {
                major = Integer.parseInt(version.split("\\.")[0]);
            } catch (NumberFormatException e) {
                major = 0;
            }
            return new DaemonFacts(version, major, containerd);
        }
    }

    /** dockerd 20.10: BuildKit v0.8 built in, the Dockerfile frontend of 2020. */
    public boolean isDocker20() {
        return major == 20;
    }
}
