package io.jenkins.plugins.containerbuild.engine.buildkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.transport.DockerHttpClient;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.build.BackendOutcome;
import io.jenkins.plugins.containerbuild.engine.build.BuildBackend;
import io.jenkins.plugins.containerbuild.engine.build.BuildQueries;
import io.jenkins.plugins.containerbuild.engine.build.BuildRun;
import io.jenkins.plugins.containerbuild.engine.build.ContextUpload;
import io.jenkins.plugins.containerbuild.engine.build.ExitCodes;
import io.jenkins.plugins.containerbuild.engine.build.JsonLines;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.StatusResponse;
import io.jenkins.plugins.containerbuild.engine.daemon.Query;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Builds with the daemon's built-in BuildKit: {@code POST /build?version=2}, progress from the trace. */
public final class BuildKitBackend implements BuildBackend {
    private static final String TRACE_ID = "moby.buildkit.trace";
    private static final String IMAGE_ID = "moby.image.id";

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

        VertexTracker tracker = new VertexTracker(run.buildId(), run.listener(), run.masker());
        String imageId = null;
        String error = null;
        ContextUpload.TarWriter body = run.fileSync() ? out -> 0L : run.tar();
        try (ContextUpload upload = ContextUpload.start(run.buildId(), body)) {
            try (DockerHttpClient.Response response = run.daemon().stream(DockerHttpClient.Request.Method.POST,
                    "/build" + q, upload.body(), Map.of("Content-Type", "application/x-tar"))) {
                run.handle().attach(response);
                JsonLines lines = new JsonLines(response.getBody());
                for (JsonNode n = lines.next(); n != null; n = lines.next()) {
                    String id = n.path("id").asText("");
                    if (id.equals(TRACE_ID)) {
                        tracker.accept(StatusResponse.parseFrom(Base64.getDecoder().decode(n.path("aux").asText())));
                    } else if (id.equals(IMAGE_ID)) {
                        imageId = n.path("aux").path("ID").asText(null);
                    } else if (n.hasNonNull("errorDetail") || n.hasNonNull("error")) {
                        error = run.masker().apply(n.path("errorDetail").path("message").asText(n.path("error").asText()));
                    } else if (n.hasNonNull("stream")) {
                        String text = run.masker().apply(n.get("stream").asText().strip());
                        if (!text.isEmpty()) {
                            run.listener().onProgress(new BuildProgress(run.buildId(), BuildProgress.Kind.INFO, 0, 0, 0, "", text));
                        }
                    }
                }
            } catch (IOException e) {
                if (run.handle().isCancelled()) {
                    return BackendOutcome.cancelled(run.handle().cancelReason(), tracker.steps(), sent(run, upload));
                }
                if (upload.failure() != null) {
                    throw new io.jenkins.plugins.containerbuild.engine.api.BuildException(
                            "could not send the build context: " + upload.failure().getMessage(), upload.failure());
                }
                throw run.daemon().unreachable(e);
            }
            if (run.handle().isCancelled()) {
                return BackendOutcome.cancelled(run.handle().cancelReason(), tracker.steps(), sent(run, upload));
            }
            return outcome(tracker, imageId, error, sent(run, upload));
        } catch (IOException e) {
            throw run.daemon().unreachable(e);
        }
    }

    private static long sent(BuildRun run, ContextUpload upload) {
        return run.fileSync() ? run.syncedBytes().getAsLong() : upload.bytesSent();
    }

    private static BackendOutcome outcome(VertexTracker tracker, String imageId, String error, long contextBytes) {
        Duration daemonTime = tracker.daemonTime();
        if (error == null && imageId != null) {
            return new BackendOutcome(BuildStatus.SUCCESS, imageId, tracker.steps(), contextBytes, null, null, null,
                    List.of(), daemonTime);
        }
        if (error == null) {
            error = "the daemon ended the build stream without an image id";
        }
        BuildStatus status = error.contains("context canceled") ? BuildStatus.CANCELLED : BuildStatus.FAILED;
        var failed = tracker.failure();
        String step = failed.map(VertexTracker.FailedStep::name).orElse(null);
        List<String> last = failed.map(VertexTracker.FailedStep::lastLines).orElse(List.of());
        return new BackendOutcome(status, imageId, tracker.steps(), contextBytes, error, step,
                ExitCodes.find(failed.map(VertexTracker.FailedStep::error).orElse(error)), last, daemonTime);
    }
}
