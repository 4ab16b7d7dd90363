package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import io.jenkins.plugins.containerbuild.engine.api.BuilderEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.DaemonUnreachableException;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.build.BuildBackend;
import io.jenkins.plugins.containerbuild.engine.build.ImageStoreOnly;
import io.jenkins.plugins.containerbuild.engine.buildkit.BuildKitBackend;
import io.jenkins.plugins.containerbuild.engine.classic.ClassicBackend;
import io.jenkins.plugins.containerbuild.engine.controlapi.ControlApiBackend;
import io.jenkins.plugins.containerbuild.engine.controlapi.ControlApiClient;
import io.jenkins.plugins.containerbuild.engine.controlapi.ExporterSupport;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonProfile;
import io.jenkins.plugins.containerbuild.engine.dockerfile.Frontend;
import io.jenkins.plugins.containerbuild.engine.podman.PodmanBackend;
import java.time.Duration;
import java.util.Locale;

/**
 * Which builder a build runs on, decided once per engine: a standalone buildkitd when the engine was given one
 * (BuildKit's own API), else the configured backend, or for AUTO what the daemon's ping says. Also what the
 * builder is (asked once) and so which Dockerfile frontend a build is checked against.
 */
final class BuilderChoice implements AutoCloseable {
    private final Backend configured;
    private final BuilderEndpoint buildkitd;
    private final Duration connectTimeout;
    private final DaemonClient daemon;
    private volatile Backend resolvedAuto;
    private volatile DaemonProfile profile;
    private ControlApiBackend controlApi;
    private ControlApiBackend daemonControlApi;

    /**
     * @param buildkitd a standalone buildkitd the engine was given, or null
     */
    BuilderChoice(Backend configured, BuilderEndpoint buildkitd, Duration connectTimeout, DaemonClient daemon) {
        this.configured = configured;
        this.buildkitd = buildkitd;
        this.connectTimeout = connectTimeout;
        this.daemon = daemon;
    }

    /**
     * The backend AUTO stands for on this daemon (pings it once): PODMAN, BUILDKIT or CLASSIC; BUILDKIT for a
     * standalone buildkitd.
     */
    Backend resolve() {
        if (buildkitd != null) {
            if (configured == Backend.CLASSIC || configured == Backend.PODMAN) {
                throw new InvalidBuildContextException(
                        "backend",
                        configured + " cannot build on the standalone" + " buildkitd at " + buildkitd
                                + "; use backend AUTO or BUILDKIT with it");
            }
            return Backend.BUILDKIT;
        }
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

    /** True when builds go to a standalone buildkitd, which pushes its images itself. */
    boolean standalone() {
        return buildkitd != null;
    }

    /**
     * True when {@code ctx} is built whole in one BuildKit solve, every platform at once and pushed by the builder
     * itself: always on a standalone buildkitd; on a Docker daemon's BuildKit v0.13+ with the containerd image store
     * when the build has several platforms or wants what only BuildKit's own API gives. Otherwise a push or several
     * platforms go through the engine's per-platform route.
     */
    boolean solvesWhole(BuildContext ctx) {
        if (standalone()) {
            return true;
        }
        if (resolve() != Backend.BUILDKIT) {
            return false;
        }
        DaemonProfile p = reachableProfile();
        return p != null
                && p.containerdImageStore()
                && p.buildKitMinor() >= 13
                && (ctx.platforms().size() > 1 || !ImageStoreOnly.fits(ctx));
    }

    /** True when a cancelled build is stopped by closing its call at once (not after BuildKit's grace period). */
    boolean stopsByClosing() {
        Backend b = resolve();
        return standalone() || b == Backend.CLASSIC || b == Backend.PODMAN;
    }

    /**
     * The builder of a resolved backend for {@code ctx}. A Docker daemon's BuildKit builds through the Engine API
     * unless the build wants what only BuildKit's own API gives (outputs written to this machine, image outputs with
     * attributes, cache exports, attestations) or is solved whole ({@link #solvesWhole}): then through the daemon's
     * {@code /grpc}.
     */
    BuildBackend builderFor(Backend backend, BuildContext ctx) {
        if (standalone()) {
            return controlApi();
        }
        return switch (backend) {
            case CLASSIC -> new ClassicBackend();
            case PODMAN -> new PodmanBackend();
            default -> ImageStoreOnly.fits(ctx) && !solvesWhole(ctx) ? new BuildKitBackend() : daemonControlApi();
        };
    }

    /** The engine's one connection to the BuildKit API of its Docker daemon (made on first use). */
    private synchronized ControlApiBackend daemonControlApi() {
        if (daemonControlApi == null) {
            DaemonProfile p = daemon.profile();
            daemonControlApi = new ControlApiBackend(
                    ControlApiClient.throughDocker(daemon.endpoint(), connectTimeout),
                    ExporterSupport.dockerDaemon(p.buildKitMinor(), p.containerdImageStore()));
        }
        return daemonControlApi;
    }

    private synchronized ControlApiBackend controlApi() {
        if (controlApi == null) {
            controlApi = new ControlApiBackend(ControlApiClient.connect(buildkitd, connectTimeout));
        }
        return controlApi;
    }

    /**
     * The connection to the BuildKit API of the builder: the standalone buildkitd, or the Docker daemon's BuildKit
     * (through {@code /grpc}).
     */
    ControlApiClient buildKitApi() {
        if (!standalone() && resolve() != Backend.BUILDKIT) {
            throw new BuildException("the " + resolve().name().toLowerCase(Locale.ROOT) + " builder at "
                    + daemon.endpoint() + " has no BuildKit API, so no BuildKit build history");
        }
        return standalone() ? buildkitdClient() : daemonControlApi().client();
    }

    /** The engine's one connection to its standalone buildkitd (made on first use); builds and cache share it. */
    ControlApiClient buildkitdClient() {
        return controlApi().client();
    }

    /**
     * The Dockerfile frontend a build on {@code backend} is checked against: the one built into the builder's
     * BuildKit; when it cannot be asked, one of which nothing is known (only what every frontend agrees on is
     * checked: the build itself then says that the builder is unreachable, or is cancelled, rather than the
     * validator guessing a version).
     */
    Frontend frontendFor(Backend backend) {
        if (standalone()) {
            try {
                ControlApiBackend b = controlApi();
                return new Frontend(b.describe(), b.buildKitMinor());
            } catch (DaemonUnreachableException e) {
                return new Frontend(
                        "the buildkitd at " + buildkitd + " (not reachable to ask its version)", Integer.MAX_VALUE);
            }
        }
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

    @Override
    public synchronized void close() {
        if (controlApi != null) {
            controlApi.close();
        }
        if (daemonControlApi != null) {
            daemonControlApi.close();
        }
    }
}
