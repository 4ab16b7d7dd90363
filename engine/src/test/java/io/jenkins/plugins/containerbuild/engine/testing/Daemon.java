package io.jenkins.plugins.containerbuild.engine.testing;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonProfile;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import java.util.Optional;

/**
 * Test access to the real daemon a test run targets: {@code DOCKER_HOST}, set per run by the Surefire
 * executions in the parent POM (dockerd 20.10, dockerd 26 with the overlay2 store, dockerd 26 with the
 * containerd store), or the local socket. Tests skip with a reason when none answers, and fail in CI.
 */
public final class Daemon {
    /** The local base image made by scripts/make-base-images.sh. */
    public static final String BASE_IMAGE = "local/busybox:latest";

    private static String unavailable;
    private static DaemonProfile profile;

    private Daemon() {}

    public static DaemonEndpoint endpoint() {
        return DaemonEndpoint.fromEnvironment(System.getenv());
    }

    /** The run's daemon as the Surefire execution names it ({@code CB_TEST_DAEMON}), e.g. {@code dockerd-26-containerd}. */
    public static String name() {
        return Optional.ofNullable(System.getenv("CB_TEST_DAEMON")).orElse("the daemon at " + endpoint());
    }

    /** Skips (in CI: fails) the calling test unless a daemon answers and the base image exists. */
    public static synchronized void assumeAvailable() {
        if (unavailable == null) {
            try (DaemonClient c = client()) {
                c.ping();
                c.getJson("/images/" + BASE_IMAGE + "/json");
                unavailable = "";
            } catch (RuntimeException e) {
                unavailable = "no Docker daemon with " + BASE_IMAGE + " at " + endpoint() + " (" + e.getMessage()
                        + "; run scripts/setup.sh and scripts/start-docker26.sh as root)";
            }
        }
        Required.that(unavailable.isEmpty(), unavailable);
    }

    /** What the run's daemon is, as the engine sees it: version, BuildKit release, image store (asked once). */
    public static synchronized DaemonProfile profile() {
        assumeAvailable();
        if (profile == null) {
            try (DaemonClient c = client()) {
                profile = c.profile();
            }
        }
        return profile;
    }

    public static DaemonClient client() {
        return access().client();
    }

    public static BuildEngine engine(Backend backend) {
        return access().engine(backend);
    }

    /** {@code GET /images/{ref}/json}. */
    public static JsonValue inspect(String ref) {
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
