package io.jenkins.plugins.containerbuild.engine.build;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import java.util.List;

/**
 * One kind of builder behind the Engine API's {@code POST /build}. Each lives in its own package; the engine core
 * picks one per build, asks it to refuse what it cannot do, then runs the build on it.
 */
public interface BuildBackend {
    /**
     * Refuses, before anything is sent, what this builder cannot do safely or at all (e.g. a secret where the
     * builder would write it to disk). The error names the option and what would work.
     */
    default void refuseUnsupported(BuildContext ctx) {}

    /**
     * True for a builder that carries the build's session itself (BuildKit's own API): the core then opens no
     * session of its own and hands the providers over in {@link BuildRun#carried()}; the context always goes over
     * the file sync, and there is no Docker daemon image to inspect.
     */
    default boolean carriesSession() {
        return false;
    }

    /** Whether the images it builds land in the Docker daemon's image store, where they can be inspected. */
    default boolean buildsIntoDaemon() {
        return true;
    }

    /**
     * The size and layer count of the image a successful build made: by default what the Docker daemon says of it
     * (zeros when there is none, or it cannot be inspected: the build's outcome stands).
     */
    default ImageFacts imageFacts(BuildContext ctx, DaemonClient daemon, BackendOutcome outcome) {
        if (outcome.status() != BuildStatus.SUCCESS || outcome.imageId() == null || !buildsIntoDaemon()) {
            return new ImageFacts(0, 0);
        }
        try {
            return ImageFacts.inspect(daemon, outcome.imageId());
        } catch (BuildException e) {
            return new ImageFacts(0, 0); // the image may be gone already
        }
    }

    /**
     * The per-platform manifests of the index a successful multi-platform build made in one solve; empty for a
     * single-platform build, or a builder that builds one platform per build.
     */
    default List<PlatformManifest> platformManifests(BuildContext ctx, BackendOutcome outcome) {
        return List.of();
    }

    /** The digests of the attestation manifests a successful build stored beside its image; empty by default. */
    default List<String> attestationManifests(BuildContext ctx, BackendOutcome outcome) {
        return List.of();
    }

    /** What to call this builder in messages, e.g. {@code the Docker daemon at unix:///var/run/docker.sock}. */
    default String describe(DaemonEndpoint daemon) {
        return "the Docker daemon at " + daemon;
    }

    /** Runs one build on the daemon and reports what its stream said. */
    BackendOutcome run(BuildRun run);
}
