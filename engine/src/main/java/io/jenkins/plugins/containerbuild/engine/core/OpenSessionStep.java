package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.build.BackendOutcome;
import io.jenkins.plugins.containerbuild.engine.build.BuildRun;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.mask.SecretMasker;
import io.jenkins.plugins.containerbuild.engine.session.BuildSession;
import io.jenkins.plugins.containerbuild.engine.session.SessionProvider;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens the build's session when it needs one: with the file sync when the context goes that way (then with a
 * shared key stable for the context directory, so the daemon reuses its copy), and whatever secrets, SSH keys and
 * credentials the build needs. A build cancelled while it was prepared ends here: nothing was sent.
 */
final class OpenSessionStep implements BuildStep {
    private final DaemonEndpoint endpoint;
    private final DaemonClient daemon;
    private final Duration timeout;
    private final String nodeId;

    OpenSessionStep(DaemonEndpoint endpoint, DaemonClient daemon, Duration timeout, String nodeId) {
        this.endpoint = endpoint;
        this.daemon = daemon;
        this.timeout = timeout;
        this.nodeId = nodeId != null ? nodeId : SharedKeys.defaultNodeId();
    }

    @Override
    public void run(BuildState s) {
        s.start = Instant.now();
        if (s.handle.isCancelled()) {
            s.outcome = BackendOutcome.cancelled(s.handle.cancelReason(), List.of(), 0);
            return;
        }
        s.masker = s.closeLater(SecretMasker.of(s.ctx));
        if (s.builder.carriesSession()) {
            s.carried = carried(s);
        } else {
            s.session = s.closeLater(open(s));
        }
    }

    /** What the session a builder carries itself serves: always the file sync, and what the build needs. */
    private BuildRun.CarriedSession carried(BuildState s) {
        List<SessionProvider> providers = new ArrayList<>(SessionProviders.forBuild(s.ctx));
        providers.add(s.sync);
        s.outputs = SessionProviders.outputsFor(s.ctx);
        if (s.outputs != null) {
            s.closeLater(s.outputs::discard);
            providers.add(s.outputs);
        }
        s.cacheStores = SessionProviders.cacheStoresFor(s.ctx);
        if (s.cacheStores != null) {
            s.closeLater(s.cacheStores::discard);
            providers.add(s.cacheStores);
        }
        try {
            return new BuildRun.CarriedSession(
                    providers, SharedKeys.forDirectory(nodeId, s.archive.tree().root()));
        } catch (IOException e) {
            throw new InvalidBuildContextException("contextDir", "cannot resolve the build context: " + e.getMessage());
        }
    }

    /** The session, or null when the build needs none, or the daemon refused it and the tar body can do. */
    private BuildSession open(BuildState s) {
        if (s.sync == null && !s.ctx.needsSession()) {
            return null;
        }
        List<SessionProvider> providers = new ArrayList<>(SessionProviders.forBuild(s.ctx));
        try {
            String sharedKey = null;
            if (s.sync != null) {
                providers.add(s.sync);
                sharedKey = SharedKeys.forDirectory(nodeId, s.archive.tree().root());
            }
            return BuildSession.open(endpoint, providers, sharedKey, timeout);
        } catch (IOException e) {
            if (s.sync != null && !s.ctx.needsSession()) {
                s.sync = null;
                return null;
            }
            throw daemon.unreachable(e);
        }
    }
}
