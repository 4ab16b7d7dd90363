package io.jenkins.plugins.containerbuild.engine.testing;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;

/**
 * Test access to the Podman API service that scripts/start-podman.sh starts (socket
 * {@code unix:///run/container-build-podman.sock}, or {@code $PODMAN_HOST}); tests skip with a
 * reason when it does not answer as Podman with the base image loaded.
 */
public final class Podman {
    public static final String DEFAULT_HOST = "unix:///run/container-build-podman.sock";
    private static String unavailable;

    private Podman() {}

    public static DaemonEndpoint endpoint() {
        String host = System.getenv().getOrDefault("PODMAN_HOST", "");
        return DaemonEndpoint.of(host.isBlank() ? DEFAULT_HOST : host, null);
    }

    /** Skips the calling test unless Podman's service answers and has the base image. */
    public static synchronized void assumeAvailable() {
        if (unavailable == null) {
            try (DaemonClient c = client()) {
                if (!c.ping().isPodman()) {
                    unavailable = endpoint() + " answers, but not as Podman (no Libpod-Api-Version header)";
                } else {
                    c.getJson("/images/" + Daemon.BASE_IMAGE + "/json");
                    unavailable = "";
                }
            } catch (RuntimeException e) {
                unavailable = "no Podman service with " + Daemon.BASE_IMAGE + " at " + endpoint() + " ("
                        + e.getMessage() + "); run scripts/start-podman.sh as root";
            }
        }
        Required.that(unavailable.isEmpty(), unavailable);
    }

    public static DaemonClient client() {
        return access().client();
    }

    public static BuildEngine engine(Backend backend) {
        return access().engine(backend);
    }

    /** {@code GET /images/{ref}/json} on Podman. */
    public static JsonValue inspect(String ref) {
        return access().inspect(ref);
    }

    /** Removes an image from Podman, ignoring one that is not there. */
    public static void removeImage(String ref) {
        access().removeImage(ref);
    }

    private static DaemonAccess access() {
        return new DaemonAccess(endpoint());
    }
}
