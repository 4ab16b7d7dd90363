package io.jenkins.plugins.containerbuild.engine.testing;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.ContextTransport;
import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import java.time.Duration;

/** What tests do with one daemon-compatible API service: clients, engines, inspect, clean-up. */
record DaemonAccess(DaemonEndpoint endpoint) {

    DaemonClient client() {
        return new DaemonClient(endpoint, Duration.ofSeconds(5), Duration.ofMinutes(5), 4);
    }

    /**
     * An engine that sends every context over the file sync, whatever its size: the test contexts are small,
     * so the default (AUTO) would send them as tar bodies, and the tests built with this engine are the ones
     * that keep the file sync path covered (engines made with the plain builder cover the tar path).
     */
    BuildEngine engine(Backend backend) {
        return BuildEngine.builder()
                .endpoint(endpoint)
                .backend(backend)
                .contextTransport(ContextTransport.FILE_SYNC)
                .build();
    }

    /** {@code GET /images/{ref}/json}. */
    JsonValue inspect(String ref) {
        try (DaemonClient c = client()) {
            return c.getJson("/images/" + ref + "/json");
        }
    }

    /** Removes an image, ignoring one that is not there. */
    void removeImage(String ref) {
        try (DaemonClient c = client()) {
            c.delete("/images/" + ref + "?force=1");
        } catch (RuntimeException e) {
            // already gone
        }
    }
}
