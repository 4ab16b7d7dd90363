package io.jenkins.plugins.containerbuild.engine.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonEndpoint;

/** Test access to the real daemon the scripts start; tests skip with a reason when none answers. */
public final class Daemon {
    /** The local base image made by scripts/make-base-images.sh. */
    public static final String BASE_IMAGE = "local/busybox:latest";
    private static Boolean available;

    private Daemon() {
    }

    public static DaemonEndpoint endpoint() {
        return DaemonEndpoint.fromEnvironment(System.getenv());
    }

    /** Skips the calling test unless a daemon answers and the base image exists. */
    public static synchronized void assumeAvailable() {
        if (available == null) {
            try (DaemonClient c = client()) {
                c.ping();
                c.getJson("/images/" + BASE_IMAGE + "/json");
                available = true;
            } catch (RuntimeException e) {
                available = false;
            }
        }
        assumeTrue(available, "no Docker daemon with " + BASE_IMAGE + " at " + endpoint()
                + " (run scripts/setup.sh as root)");
    }

    public static DaemonClient client() {
        return access().client();
    }

    public static BuildEngine engine(Backend backend) {
        return access().engine(backend);
    }

    /** {@code GET /images/{ref}/json}. */
    public static JsonNode inspect(String ref) {
        return access().inspect(ref);
    }

    /** Removes an image, ignoring one that is not there. */
    public static void removeImage(String ref) {
        access().removeImage(ref);
    }

    private static DaemonAccess access() {
        return new DaemonAccess(endpoint());
    }
}
