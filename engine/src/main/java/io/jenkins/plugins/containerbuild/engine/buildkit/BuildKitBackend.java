package io.jenkins.plugins.containerbuild.engine.buildkit;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.build.BackendOutcome;
import io.jenkins.plugins.containerbuild.engine.build.BuildBackend;
import io.jenkins.plugins.containerbuild.engine.build.BuildQueries;
import io.jenkins.plugins.containerbuild.engine.build.BuildRun;
import io.jenkins.plugins.containerbuild.engine.build.BuildStreams;
import io.jenkins.plugins.containerbuild.engine.build.ExitCodes;
import io.jenkins.plugins.containerbuild.engine.build.ImageStoreOnly;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.StatusResponse;
import io.jenkins.plugins.containerbuild.engine.daemon.Query;
import io.jenkins.plugins.containerbuild.engine.dockerfile.DockerfileModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/** Builds with the daemon's built-in BuildKit: {@code POST /build?version=2}, progress from the trace. */
public final class BuildKitBackend implements BuildBackend {
    private static final String TRACE_ID = "moby.buildkit.trace";
    private static final String IMAGE_ID = "moby.image.id";

    @Override
    public void refuseUnsupported(BuildContext ctx) {
        ImageStoreOnly.check(ctx, "the Docker daemon's BuildKit");
    }

    @Override
    public BackendOutcome run(BuildRun run) {
        BuildContext ctx = run.context();
        Query q = BuildQueries.common(run, "2").add("buildid", run.buildId());
        // BuildKit's network modes: the bridge network is its default.
        String net = ctx.networkMode().equals("bridge") ? "default" : ctx.networkMode();
        q.addIf(!net.equals("default"), "networkmode", net);
        if (ctx.platforms().size() == 1) {
            q.add("platform", ctx.platforms().get(0).specifier());
        }
        q.add("session", run.sessionId());
        // File sync: the daemon pulls the context and the Dockerfile's folder through the session; empty body.
        q.addIf(run.fileSync(), "remote", "client-session");

        VertexTracker tracker = new VertexTracker(run.buildId(), run.listener(), run.masker(), stageOrder(ctx));
        String[] imageId = {null};
        String[] error = {null};
        BuildStreams.Ended ended = BuildStreams.send(
                run,
                q,
                run.tar(),
                n -> {
                    String id = n.path("id").asText("");
                    String err = BuildStreams.error(n, run.masker());
                    if (id.equals(TRACE_ID)) {
                        tracker.accept(decode(n.path("aux").asText()));
                    } else if (id.equals(IMAGE_ID)) {
                        imageId[0] = n.path("aux").path("ID").asText(null);
                    } else if (err != null) {
                        error[0] = err;
                    } else if (n.hasNonNull("stream")) {
                        String text =
                                run.masker().apply(n.get("stream").asText().strip());
                        if (!text.isEmpty()) {
                            run.listener()
                                    .onProgress(new BuildProgress(
                                            run.buildId(), BuildProgress.Kind.INFO, 0, 0, 0, "", text));
                        }
                    }
                },
                tracker::running,
                describe(run.daemon().endpoint()));
        long sent = run.fileSync() ? run.syncedBytes().getAsLong() : ended.tarBytes();
        if (ended.cancelled()) {
            return BackendOutcome.cancelled(run.handle().cancelReason(), tracker.steps(), sent);
        }
        return outcome(tracker, imageId[0], error[0], sent);
    }

    /** The Dockerfile's stages in order, so steps are numbered in it; empty when it cannot be read again. */
    public static List<String> stageOrder(BuildContext ctx) {
        try {
            return DockerfileModel.stageLabels(Files.readString(ctx.dockerfile(), StandardCharsets.UTF_8));
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }

    private static StatusResponse decode(String base64) {
        try {
            return StatusResponse.parseFrom(Base64.getDecoder().decode(base64));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new io.jenkins.plugins.containerbuild.engine.api.BuildException(
                    "the daemon sent a progress record that is not a BuildKit StatusResponse: " + e.getMessage(), e);
        }
    }

    /**
     * What a BuildKit build's progress and end say: SUCCESS with the image id, else FAILED (or CANCELLED for
     * BuildKit's "context canceled") with the failing step, its exit code and last lines.
     */
    public static BackendOutcome outcome(VertexTracker tracker, String imageId, String error, long contextBytes) {
        Duration daemonTime = tracker.daemonTime();
        if (error == null && imageId != null) {
            return new BackendOutcome(
                    BuildStatus.SUCCESS,
                    imageId,
                    tracker.steps(),
                    contextBytes,
                    null,
                    null,
                    null,
                    List.of(),
                    daemonTime);
        }
        if (error == null) {
            error = "the daemon ended the build stream without an image id";
        }
        BuildStatus status = error.contains("context canceled") ? BuildStatus.CANCELLED : BuildStatus.FAILED;
        var failed = tracker.failure();
        String step = failed.map(VertexTracker.FailedStep::name).orElse(null);
        List<String> last = failed.map(VertexTracker.FailedStep::lastLines).orElse(List.of());
        return new BackendOutcome(
                status,
                imageId,
                tracker.steps(),
                contextBytes,
                error,
                step,
                ExitCodes.find(failed.map(VertexTracker.FailedStep::error).orElse(error)),
                last,
                daemonTime);
    }
}
