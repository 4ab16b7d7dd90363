package io.jenkins.plugins.containerbuild.engine.build;

import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonResponse;
import io.jenkins.plugins.containerbuild.engine.daemon.Query;
import io.jenkins.plugins.containerbuild.engine.json.JsonLines;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Sends one {@code POST /build} with the context tar as its body and hands each JSON line of the
 * answer to a handler: the part every builder shares, with cancellation and failures sorted out
 * in one place.
 */
public final class BuildStreams {
    private BuildStreams() {}

    /**
     * How the request ended.
     *
     * @param cancelled true when the build was cancelled ({@link BuildHandle#cancelReason()} says why)
     * @param tarBytes  bytes of tar sent as the body
     */
    public record Ended(boolean cancelled, long tarBytes) {}

    /**
     * Sends the request and feeds {@code onLine} until the daemon ends the stream.
     *
     * @param running the step running now, if any: what a daemon that goes away was doing
     * @param builder what to call the daemon then ({@link BuildBackend#describe})
     */
    public static Ended send(
            BuildRun run,
            Query query,
            ContextUpload.TarWriter body,
            Consumer<JsonValue> onLine,
            Supplier<Optional<String>> running,
            String builder) {
        try (ContextUpload upload = ContextUpload.start(run.buildId(), body)) {
            DaemonResponse response;
            // The build request cannot go again once its body is read: a ping first weeds out pooled connections a
            // restarted daemon left dead, and the pool hands the build the connection the ping just used.
            run.daemon().ping();
            try {
                // The HTTP client sends the whole body inside this call: a failure to read the context shows here.
                response = run.daemon().stream(
                        DaemonClient.Method.POST,
                        "/build" + query,
                        upload.body(),
                        Map.of("Content-Type", "application/x-tar"));
            } catch (RuntimeException e) {
                if (run.handle().isCancelled()) {
                    return new Ended(true, upload.bytesSent());
                }
                throw upload.failure() != null ? contextFailure(upload.failure()) : e;
            }
            try (response) {
                run.handle().attach(response);
                JsonLines lines = new JsonLines(response.body());
                for (JsonValue n = lines.next(); n != null; n = lines.next()) {
                    onLine.accept(n);
                }
            } catch (IOException e) {
                if (!run.handle().isCancelled()) {
                    if (upload.failure() != null) {
                        throw contextFailure(upload.failure());
                    }
                    throw run.daemon()
                            .lostDuringBuild(
                                    e,
                                    running.get()
                                            .map(step -> "step '" + step + "'")
                                            .orElse("the build"),
                                    builder);
                }
            }
            return new Ended(run.handle().isCancelled(), upload.bytesSent());
        } catch (IOException e) {
            throw run.daemon().unreachable(e);
        }
    }

    /** The context could not be read while it was being sent (a file that became unreadable, ...). */
    private static BuildException contextFailure(IOException failure) {
        return new BuildException("could not send the build context: " + failure.getMessage(), failure);
    }

    /** The masked message of an error line ({@code errorDetail} / {@code error}), or null for any other line. */
    public static String error(JsonValue n, UnaryOperator<String> masker) {
        if (!n.hasNonNull("errorDetail") && !n.hasNonNull("error")) {
            return null;
        }
        return masker.apply(
                n.path("errorDetail").path("message").asText(n.path("error").asText()));
    }
}
