package io.jenkins.plugins.containerbuild.engine.controlapi;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import io.jenkins.plugins.containerbuild.engine.api.BuildOutput;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.api.Platform;
import io.jenkins.plugins.containerbuild.engine.build.BackendOutcome;
import io.jenkins.plugins.containerbuild.engine.build.BuildBackend;
import io.jenkins.plugins.containerbuild.engine.build.BuildRun;
import io.jenkins.plugins.containerbuild.engine.buildkit.BuildKitBackend;
import io.jenkins.plugins.containerbuild.engine.buildkit.VertexTracker;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.CacheOptions;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.CacheOptionsEntry;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.Exporter;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.SolveRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds on a standalone buildkitd through BuildKit's own API: a {@code Solve} with the Dockerfile frontend, the
 * context and the Dockerfile's folder over the file sync of the session the solve carries, progress from
 * {@code Status}, and the image exporter (which pushes the tags itself with {@code push}). Cancelling the build
 * cancels the solve.
 */
public final class ControlApiBackend implements BuildBackend, AutoCloseable {
    private static final String FRONTEND = "dockerfile.v0";
    private final ControlApiClient client;

    public ControlApiBackend(ControlApiClient client) {
        this.client = client;
    }

    @Override
    public boolean carriesSession() {
        return true;
    }

    @Override
    public void refuseUnsupported(BuildContext ctx) {
        if (ctx.networkMode().equals("host")) {
            throw new InvalidBuildContextException(
                    "network",
                    "RUN steps on the host's network need the"
                            + " network.host entitlement, which the buildkitd at " + client.endpoint()
                            + " is not asked for;"
                            + " use default or none");
        }
    }

    @Override
    public BackendOutcome run(BuildRun run) {
        BuildContext ctx = run.context();
        VertexTracker tracker =
                new VertexTracker(run.buildId(), run.listener(), run.masker(), BuildKitBackend.stageOrder(ctx));
        long sent;
        Map<String, String> response;
        try {
            response = client.solve(
                    solveRequest(run),
                    run.carried().providers(),
                    run.carried().sharedKey(),
                    tracker::accept,
                    run.handle()::attach);
        } catch (BuildException e) {
            return failed(run, tracker, e);
        } catch (IOException e) {
            throw new BuildException(
                    "cannot open the session with the builder at " + client.endpoint() + ": " + e.getMessage(), e);
        } finally {
            sent = run.syncedBytes() == null ? 0 : run.syncedBytes().getAsLong();
        }
        // A solve that returns succeeded; a tar output has no image, so no image id.
        return new BackendOutcome(
                BuildStatus.SUCCESS,
                response.get("containerimage.config.digest"),
                tracker.steps(),
                sent,
                null,
                null,
                null,
                List.of(),
                tracker.daemonTime(),
                response);
    }

    private BackendOutcome failed(BuildRun run, VertexTracker tracker, BuildException e) {
        long sent = run.syncedBytes() == null ? 0 : run.syncedBytes().getAsLong();
        if (run.handle().isCancelled()
                || (e.getCause() instanceof StatusRuntimeException s
                        && s.getStatus().getCode() == Status.Code.CANCELLED)) {
            return BackendOutcome.cancelled(run.handle().cancelReason(), tracker.steps(), sent);
        }
        if (e.getCause() instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.UNKNOWN) {
            // The build itself failed: BuildKit's message is the build's error.
            String error = run.masker().apply(String.valueOf(s.getStatus().getDescription()));
            return BuildKitBackend.outcome(tracker, null, error, sent);
        }
        throw e;
    }

    private static SolveRequest solveRequest(BuildRun run) {
        BuildContext ctx = run.context();
        SolveRequest.Builder r = SolveRequest.newBuilder()
                .setRef(run.buildId())
                .setFrontend(FRONTEND)
                .putFrontendAttrs("filename", run.dockerfileName());
        ctx.target().ifPresent(t -> r.putFrontendAttrs("target", t));
        ctx.buildArgs().forEach((k, v) -> r.putFrontendAttrs("build-arg:" + k, v));
        ctx.labels().forEach((k, v) -> r.putFrontendAttrs("label:" + k, v));
        if (!ctx.platforms().isEmpty()) {
            r.putFrontendAttrs(
                    "platform",
                    ctx.platforms().stream().map(Platform::specifier).collect(Collectors.joining(",")));
        }
        if (ctx.noCache()) {
            r.putFrontendAttrs("no-cache", "");
        }
        if (ctx.pull()) {
            r.putFrontendAttrs("image-resolve-mode", "pull");
        }
        if (ctx.networkMode().equals("none")) {
            r.putFrontendAttrs("force-network-mode", "none");
        }
        if (!ctx.extraHosts().isEmpty()) {
            r.putFrontendAttrs(
                    "add-hosts",
                    ctx.extraHosts().entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(",")));
        }
        CacheOptions.Builder cache = CacheOptions.newBuilder();
        ctx.cacheFrom()
                .forEach(ref -> cache.addImports(
                        CacheOptionsEntry.newBuilder().setType("registry").putAttrs("ref", ref)));
        if (ctx.inlineCache()) {
            cache.addExports(CacheOptionsEntry.newBuilder().setType("inline"));
        }
        r.setCache(cache);
        exporters(ctx).forEach(r::addExporters);
        return r.build();
    }

    /**
     * The build's exporters in order: its outputs, or the image exporter when it has none. Images are named by the
     * tags unless the output names them; file outputs reach this machine through the session's FileSend.
     */
    private static List<Exporter> exporters(BuildContext ctx) {
        List<BuildOutput> outputs = ctx.outputs().isEmpty()
                ? List.of(new BuildOutput(BuildOutput.Type.IMAGE, Map.of(), null))
                : ctx.outputs();
        List<Exporter> out = new ArrayList<>();
        for (BuildOutput o : outputs) {
            Exporter.Builder e =
                    Exporter.newBuilder().setType(o.type().exporter()).putAllAttrs(o.attrs());
            boolean named = o.type() != BuildOutput.Type.TAR && o.type() != BuildOutput.Type.LOCAL;
            if (named && !o.attrs().containsKey("name") && !ctx.tags().isEmpty()) {
                e.putAttrs("name", String.join(",", ctx.tags()));
            }
            if (o.type() == BuildOutput.Type.IMAGE && ctx.push()) {
                e.putAttrs("push", "true");
            }
            out.add(e.build());
        }
        return out;
    }

    /** The builder's Dockerfile frontend release, e.g. 13 for BuildKit v0.13.x; {@code Integer.MAX_VALUE} if unknown. */
    public int buildKitMinor() {
        String v = client.version();
        String[] parts = v.startsWith("v") ? v.substring(1).split("\\.") : new String[0];
        try {
            return parts.length > 1 ? Integer.parseInt(parts[1]) : Integer.MAX_VALUE;
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** The connection to the builder. */
    public ControlApiClient client() {
        return client;
    }

    /** Closes the connection to the builder. */
    @Override
    public void close() {
        client.close();
    }

    /** What to call the builder in messages. */
    public String describe() {
        return "the buildkitd at " + client.endpoint();
    }
}
