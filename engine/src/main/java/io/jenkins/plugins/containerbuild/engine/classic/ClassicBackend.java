package io.jenkins.plugins.containerbuild.engine.classic;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.build.BackendOutcome;
import io.jenkins.plugins.containerbuild.engine.build.BuildBackend;
import io.jenkins.plugins.containerbuild.engine.build.BuildQueries;
import io.jenkins.plugins.containerbuild.engine.build.BuildRun;
import io.jenkins.plugins.containerbuild.engine.build.BuildStreams;
import io.jenkins.plugins.containerbuild.engine.build.ExitCodes;
import io.jenkins.plugins.containerbuild.engine.build.ImageStoreOnly;
import io.jenkins.plugins.containerbuild.engine.daemon.Query;
import java.time.Clock;
import java.util.List;

/** Builds with the legacy builder: {@code POST /build?version=1}; cache hits from its text stream. */
public final class ClassicBackend implements BuildBackend {

    /** Never degrades a secret into a build argument: the classic builder has no session to serve one. */
    @Override
    public void refuseUnsupported(BuildContext ctx) {
        ImageStoreOnly.check(ctx, "the classic builder");
        if (ctx.needsSession()) {
            throw new InvalidBuildContextException(
                    "backend",
                    "the classic builder cannot take build secrets, SSH keys"
                            + " or registry credentials; BuildKit is required (use backend BUILDKIT, or AUTO on a daemon with"
                            + " BuildKit)");
        }
    }

    @Override
    public BackendOutcome run(BuildRun run) {
        BuildContext ctx = run.context();
        Query q = BuildQueries.common(run, "1").add("rm", "1").add("forcerm", "1");
        q.addIf(!ctx.networkMode().equals("default"), "networkmode", ctx.networkMode());
        if (ctx.platforms().size() == 1) {
            q.add("platform", ctx.platforms().get(0).specifier());
        }
        return stream(run, q, StreamDialect.classic(), describe(run.daemon().endpoint()));
    }

    /**
     * Sends {@code POST /build} with query {@code q} and the context tar, and follows the
     * classic-style answer in {@code dialect}: step progress, cache hits, the image id from
     * {@code {"aux":{"ID":…}}}, the error from {@code errorDetail}. Podman's backend uses it too.
     */
    public static BackendOutcome stream(BuildRun run, Query q, StreamDialect dialect, String builder) {
        ClassicStepTracker tracker =
                new ClassicStepTracker(dialect, run.buildId(), run.listener(), run.masker(), Clock.systemUTC());
        String[] imageId = {null};
        String[] error = {null};
        BuildStreams.Ended ended = BuildStreams.send(
                run,
                q,
                run.tar(),
                n -> {
                    String err = BuildStreams.error(n, run.masker());
                    if (err != null) {
                        error[0] = err;
                    } else if (n.path("aux").hasNonNull("ID")) {
                        imageId[0] = n.path("aux").path("ID").asText();
                    } else if (n.hasNonNull("stream")) {
                        tracker.accept(n.get("stream").asText());
                    }
                },
                tracker::running,
                builder);
        if (ended.cancelled()) {
            return BackendOutcome.cancelled(run.handle().cancelReason(), tracker.steps(), ended.tarBytes());
        }
        tracker.end(error[0]);
        if (run.handle().isCancelled()) {
            return BackendOutcome.cancelled(run.handle().cancelReason(), tracker.steps(), ended.tarBytes());
        }
        if (error[0] == null && imageId[0] != null) {
            return new BackendOutcome(
                    BuildStatus.SUCCESS,
                    imageId[0],
                    tracker.steps(),
                    ended.tarBytes(),
                    null,
                    null,
                    null,
                    List.of(),
                    tracker.elapsed());
        }
        String message = error[0] == null ? "the daemon ended the build stream without an image id" : error[0];
        return new BackendOutcome(
                BuildStatus.FAILED,
                imageId[0],
                tracker.steps(),
                ended.tarBytes(),
                message,
                tracker.lastStepName(),
                ExitCodes.find(message),
                tracker.lastLines(),
                tracker.elapsed());
    }
}
