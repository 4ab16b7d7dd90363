package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.build.BackendOutcome;
import io.jenkins.plugins.containerbuild.engine.build.BuildRun;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonApiException;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import java.util.concurrent.ScheduledFuture;

/**
 * Runs the build on the chosen builder under its timeout. A context offered over the file sync that the daemon
 * refuses is sent again as the tar body, when the {@link TransportPolicy} says that refusal allows it.
 */
final class RunOnBuilderStep implements BuildStep {
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
