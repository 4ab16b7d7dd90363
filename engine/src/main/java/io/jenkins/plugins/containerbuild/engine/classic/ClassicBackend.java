package io.jenkins.plugins.containerbuild.engine.classic;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.transport.DockerHttpClient;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.build.BackendOutcome;
import io.jenkins.plugins.containerbuild.engine.build.BuildBackend;
import io.jenkins.plugins.containerbuild.engine.build.BuildQueries;
import io.jenkins.plugins.containerbuild.engine.build.BuildRun;
import io.jenkins.plugins.containerbuild.engine.build.ContextUpload;
import io.jenkins.plugins.containerbuild.engine.build.ExitCodes;
import io.jenkins.plugins.containerbuild.engine.build.JsonLines;
import io.jenkins.plugins.containerbuild.engine.daemon.Query;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Builds with the legacy builder: {@code POST /build?version=1}; cache hits from its text stream. */
public final class ClassicBackend implements BuildBackend {

    @Override
    public BackendOutcome run(BuildRun run) {
        BuildContext ctx = run.context();
        // BuildEngine refuses secrets, SSH keys and registry credentials for this backend before any request.
        Query q = BuildQueries.common(run, "1").add("rm", "1").add("forcerm", "1");
        q.addIf(!ctx.networkMode().equals("default"), "networkmode", ctx.networkMode());
        if (ctx.platforms().size() == 1) {
            q.add("platform", ctx.platforms().get(0).specifier());
        }
        return stream(run, q, StreamDialect.classic());
    }

    /**
     * Sends {@code POST /build} with query {@code q} and the context tar, and follows the
     * classic-style answer in {@code dialect}: step progress, cache hits, the image id from
     * {@code {"aux":{"ID":…}}}, the error from {@code errorDetail}. Podman's backend uses it too.
     */
    public static BackendOutcome stream(BuildRun run, Query q, StreamDialect dialect) {
        ClassicStepTracker tracker = new ClassicStepTracker(dialect, run.buildId(), run.listener(), run.masker(),
                Clock.systemUTC());
        String imageId = null;
        String error = null;
        try (ContextUpload upload = ContextUpload.start(run.buildId(), run.tar())) {
            try (DockerHttpClient.Response response = run.daemon().stream(DockerHttpClient.Request.Method.POST,
                    "/build" + q, upload.body(), Map.of("Content-Type", "application/x-tar"))) {
                run.handle().attach(response);
                JsonLines lines = new JsonLines(response.getBody());
                for (JsonNode n = lines.next(); n != null; n = lines.next()) {
                    if (n.hasNonNull("errorDetail") || n.hasNonNull("error")) {
                        error = run.masker().apply(n.path("errorDetail").path("message").asText(n.path("error").asText()));
                    } else if (n.path("aux").hasNonNull("ID")) {
                        imageId = n.path("aux").path("ID").asText();
                    } else if (n.hasNonNull("stream")) {
                        tracker.accept(n.get("stream").asText());
                    }
                }
            } catch (IOException e) {
                if (run.handle().isCancelled()) {
                    return BackendOutcome.cancelled(run.handle().cancelReason(), tracker.steps(), upload.bytesSent());
                }
                if (upload.failure() != null) {
                    throw new BuildException("could not send the build context: " + upload.failure().getMessage(),
                            upload.failure());
                }
                throw run.daemon().unreachable(e);
            }
            tracker.end(error);
            if (run.handle().isCancelled()) {
                return BackendOutcome.cancelled(run.handle().cancelReason(), tracker.steps(), upload.bytesSent());
            }
            if (error == null && imageId != null) {
                return new BackendOutcome(BuildStatus.SUCCESS, imageId, tracker.steps(), upload.bytesSent(), null, null,
                        null, List.of(), tracker.elapsed());
            }
            String message = error == null ? "the daemon ended the build stream without an image id" : error;
            return new BackendOutcome(BuildStatus.FAILED, imageId, tracker.steps(), upload.bytesSent(), message,
                    tracker.lastStepName(), ExitCodes.find(message), tracker.lastLines(), tracker.elapsed());
        } catch (IOException e) {
            throw run.daemon().unreachable(e);
        }
    }
}
