package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuilderEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.DaemonUnreachableException;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.build.BuildBackend;
import io.jenkins.plugins.containerbuild.engine.buildkit.BuildKitBackend;
import io.jenkins.plugins.containerbuild.engine.classic.ClassicBackend;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonProfile;
import io.jenkins.plugins.containerbuild.engine.dockerfile.Frontend;
import io.jenkins.plugins.containerbuild.engine.podman.PodmanBackend;

/**
 * Which builder a build runs on, decided once per engine: the configured backend, or for AUTO what the daemon's
 * ping says. Also what the daemon is (asked once) and so which Dockerfile frontend a build is checked against.
 */
final class BuilderChoice {
    private final Backend configured;
    private final BuilderEndpoint buildkitd;
    private final DaemonClient daemon;
    private volatile Backend resolvedAuto;
    private volatile DaemonProfile profile;

    /**
     * @param buildkitd a standalone buildkitd the engine was given, or null
     */
    BuilderChoice(Backend configured, BuilderEndpoint buildkitd, DaemonClient daemon) {
        this.configured = configured;
        this.buildkitd = buildkitd;
        this.daemon = daemon;
    }

    /** The backend AUTO stands for on this daemon (pings it once): PODMAN, BUILDKIT or CLASSIC. */
    Backend resolve() {
        if (configured != Backend.AUTO) {
            return configured;
        }
        Backend r = resolvedAuto;
        if (r == null) {
            DaemonClient.PingInfo ping = daemon.ping();
            r = ping.isPodman() ? Backend.PODMAN : ping.supportsBuildKit() ? Backend.BUILDKIT : Backend.CLASSIC;
            resolvedAuto = r;
        }
        return r;
    }

    /**
     * Refuses a build when the engine was given a standalone buildkitd: building through BuildKit's own API is the
     * Control API builder's job, which this version does not have (its cache is pruned and measured already).
     */
    void refuseStandaloneBuilder() {
        if (buildkitd != null) {
            throw new InvalidBuildContextException(
                    "builder",
                    "building on the standalone buildkitd at " + buildkitd
                            + " needs the Control API builder, which this version does not have yet (prune and stats work"
                            + " on it); build through a Docker daemon (CLI: --builder docker, or leave BUILDKIT_HOST unset)");
        }
    }

    /** The builder of a resolved backend. */
    static BuildBackend builderFor(Backend backend) {
        return switch (backend) {
            case CLASSIC -> new ClassicBackend();
            case PODMAN -> new PodmanBackend();
            default -> new BuildKitBackend();
        };
    }

    /**
     * The Dockerfile frontend a build on {@code backend} is checked against: the one built into the daemon's
     * BuildKit; when the daemon cannot be asked, one of which nothing is known (only what every frontend agrees on
     * is checked: the build itself then says that the daemon is unreachable, or is cancelled, rather than the
     * validator guessing a version).
     */
    Frontend frontendFor(Backend backend) {
        if (backend != Backend.BUILDKIT) {
            return Frontend.DOCKERD_20_10;
        }
        DaemonProfile p = reachableProfile();
        return p != null
                ? new Frontend(p.describe(), p.buildKitMinor())
                : new Frontend(
                        "the daemon at " + daemon.endpoint() + " (not reachable to ask its version)",
                        Integer.MAX_VALUE);
    }

    /**
     * What the daemon is, or null when it cannot be reached now: the build then fails saying so when it
     * contacts the daemon (or ends as cancelled first), not while it is being prepared.
     */
    DaemonProfile reachableProfile() {
        try {
            DaemonProfile p = profile;
            if (p == null) {
                p = daemon.profile();
                profile = p;
            }
            return p;
        } catch (DaemonUnreachableException | IllegalStateException e) {
            // IllegalStateException: the engine was closed meanwhile (its connections are shut down); the build
            // being prepared is then cancelled.
            return null;
        }
    }
}
