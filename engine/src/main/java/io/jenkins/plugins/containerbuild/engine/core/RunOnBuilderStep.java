package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.build.BackendOutcome;
import io.jenkins.plugins.containerbuild.engine.build.BuildRun;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonApiException;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.session.content.ContentStoreProvider;
import io.jenkins.plugins.containerbuild.engine.session.filesend.FileSendProvider;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * Runs the build on the chosen builder under its timeout. A context offered over the file sync that the daemon
 * refuses is sent again as the tar body, when the {@link TransportPolicy} says that refusal allows it.
 */
final class RunOnBuilderStep implements BuildStep {
    /** The exporter response's key for the descriptor of the cache manifest a cache exporter wrote. */
    private static final String CACHE_MANIFEST = "cache.manifest";

    /** Cancels a build by id, giving the reason. */
    interface Canceller {
        void cancel(String buildId, String reason);
    }

    private final DaemonClient daemon;
    private final EngineThreads threads;
    private final TransportPolicy policy;
    private final Canceller canceller;

    RunOnBuilderStep(DaemonClient daemon, EngineThreads threads, TransportPolicy policy, Canceller canceller) {
        this.daemon = daemon;
        this.threads = threads;
        this.policy = policy;
        this.canceller = canceller;
    }

    @Override
    public void run(BuildState s) {
        if (s.outcome != null) {
            return;
        }
        ScheduledFuture<?> timer = s.timeout == null
                ? null
                : threads.schedule(() -> canceller.cancel(s.buildId, "timed out after " + s.timeout), s.timeout);
        try {
            s.outcome = runWithFallback(s);
        } finally {
            if (timer != null) {
                timer.cancel(false);
            }
        }
        if (s.outcome.status() == BuildStatus.SUCCESS && (s.outputs != null || s.cacheStores != null)) {
            s.outcome = placeOutputs(s.outputs, s.cacheStores, s.outcome);
        }
    }

    /**
     * Moves the staged outputs into place and names the exported cache in its directories: only a build that
     * succeeded writes them, all of them or none.
     */
    private static BackendOutcome placeOutputs(
            FileSendProvider outputs, ContentStoreProvider caches, BackendOutcome o) {
        try {
            if (caches != null) {
                caches.commit(o.exporterResponse().get(CACHE_MANIFEST));
            }
            if (outputs != null) {
                outputs.commit();
            }
            return o;
        } catch (IOException e) {
            return new BackendOutcome(
                    BuildStatus.FAILED,
                    o.imageId(),
                    o.steps(),
                    o.contextBytes(),
                    "the build succeeded but its outputs could not be written: " + e.getMessage(),
                    null,
                    null,
                    List.of(),
                    o.daemonTime(),
                    o.exporterResponse());
        }
    }

    private BackendOutcome runWithFallback(BuildState s) {
        String sessionId = s.session == null ? null : s.session.id();
        BuildRun tarRun = new BuildRun(
                s.buildId,
                s.ctx,
                s.archive.dockerfileName(),
                s.archive::writeTo,
                sessionId,
                s.handle.tracking(s.out),
                s.masker::mask,
                daemon,
                s.handle);
        boolean syncServed = s.sync != null
                && (s.carried != null
                        || (s.session != null && s.session.providers().contains(s.sync)));
        if (!syncServed) {
            return s.builder.run(tarRun);
        }
        BuildRun syncRun = new BuildRun(
                s.buildId,
                s.ctx,
                s.archive.dockerfileRealPath().getFileName().toString(),
                BuildRun.EMPTY_BODY,
                sessionId,
                tarRun.listener(),
                s.masker::mask,
                daemon,
                s.handle,
                s.sync::bytesSent,
                s.carried);
        try {
            return s.builder.run(syncRun);
        } catch (DaemonApiException refused) {
            // Refused before anything streamed; any refusal but that of the session context is the build's.
            if (!policy.fallBackToTarBody(refused)) {
                throw refused;
            }
            return s.builder.run(tarRun);
        }
    }
}
