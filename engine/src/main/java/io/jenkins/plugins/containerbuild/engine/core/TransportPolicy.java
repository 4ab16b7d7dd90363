package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.ContextTransport;
import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.context.ContextArchive;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonApiException;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonProfile;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * The one place that decides how a BuildKit build's context reaches the daemon: as the request's tar body, or
 * over the session's file sync. A daemon that refuses the file sync turns it off for this engine; the decision
 * to fall back rests on {@link DaemonApiException#refusesSessionContext()}, never on a message's text.
 */
final class TransportPolicy {
    /** How a context travels. */
    enum Transport {
        TAR_BODY,
        FILE_SYNC
    }

    private final ContextTransport configured;
    private final DaemonEndpoint endpoint;
    private final Supplier<DaemonProfile> profile;
    private volatile boolean fileSyncRefused;

    /**
     * @param profile what the daemon is, or null when it cannot be asked now
     */
    TransportPolicy(ContextTransport configured, DaemonEndpoint endpoint, Supplier<DaemonProfile> profile) {
        this.configured = configured;
        this.endpoint = endpoint;
        this.profile = profile;
    }

    /**
     * The transport of a BuildKit build's context. AUTO sends a small context as the tar body unless the daemon
     * cannot take a tar there (see {@link #tarBodyProblem}); an explicit or forced tar body that cannot work is
     * refused here, before anything is sent.
     */
    Transport choose(ContextArchive archive) {
        Transport t = fileSyncRefused ? Transport.TAR_BODY : wanted(archive);
        if (t == Transport.TAR_BODY) {
            String problem = tarBodyProblem(archive);
            if (problem != null) {
                throw new InvalidBuildContextException(
                        "contextTransport",
                        problem + "; use context transport auto"
                                + " or file-sync (CLI: --context-transport auto), which sends the context over the session's"
                                + " file sync");
            }
        }
        return t;
    }

    private Transport wanted(ContextArchive archive) {
        return switch (configured) {
            case FILE_SYNC -> Transport.FILE_SYNC;
            case TAR -> Transport.TAR_BODY;
            case AUTO -> {
                try {
                    // The stat-only walk first: it also finds an unreadable context before anything is registered.
                    boolean small = archive.fitsWithin(
                            ContextTransport.SMALL_CONTEXT_BYTES, ContextTransport.SMALL_CONTEXT_ENTRIES);
                    yield !small || tarBodyProblem(archive) != null ? Transport.FILE_SYNC : Transport.TAR_BODY;
                } catch (IOException e) {
                    throw new InvalidBuildContextException(
                            "contextDir", "cannot read the build context: " + e.getMessage());
                }
            }
        };
    }

    /**
     * Whether a build refused with {@code refused} while its context went over the file sync is retried with the
     * tar body. True only for a daemon without client-session contexts; it then gets tar bodies from now on.
     */
    boolean fallBackToTarBody(DaemonApiException refused) {
        if (!refused.refusesSessionContext()) {
            return false;
        }
        fileSyncRefused = true;
        return true;
    }

    /**
     * Why BuildKit on this daemon cannot build from this context sent as the tar body, or null when it can.
     * The containerd image store's worker cannot fetch the uploaded tar at all (it looks up the host
     * {@code build-context-<id>}); and BuildKit reads the Dockerfile from the tar itself, so a Dockerfile that
     * .dockerignore excludes would land in the image with {@code COPY .}, which {@code docker build} never does.
     */
    String tarBodyProblem(ContextArchive archive) {
        DaemonProfile p = profile.get();
        if (p != null && p.containerdImageStore()) {
            return "the daemon at " + endpoint + " (" + p.describe() + ") keeps images in the containerd"
                    + " image store, whose BuildKit worker cannot read a build context sent as the request body";
        }
        if (archive.dockerfileLandsInImage()) {
            return "the Dockerfile is outside the context or excluded by .dockerignore, but BuildKit reads the"
                    + " Dockerfile from a context sent as the request body, so COPY . would put it into the image";
        }
        return null;
    }
}
