package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.ActiveBuild;
import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BatchListener;
import io.jenkins.plugins.containerbuild.engine.api.BatchOptions;
import io.jenkins.plugins.containerbuild.engine.api.BatchOutcome;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildListener;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.BuilderBuild;
import io.jenkins.plugins.containerbuild.engine.api.CacheStats;
import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.DockerfileProblem;
import io.jenkins.plugins.containerbuild.engine.api.EngineSettings;
import io.jenkins.plugins.containerbuild.engine.api.HistoryEntry;
import io.jenkins.plugins.containerbuild.engine.api.PruneOptions;
import io.jenkins.plugins.containerbuild.engine.api.PruneResult;
import io.jenkins.plugins.containerbuild.engine.context.ContextArchive;
import io.jenkins.plugins.containerbuild.engine.daemon.BuildCacheApi;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.dockerfile.DockerfileValidator;
import io.jenkins.plugins.containerbuild.engine.history.BuildHistory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The engine behind {@link BuildEngine}: it wires the parts and hands each call to the one that does it. One build
 * runs through {@link BuildRoute} and its {@link StepsRunner}; cancelling is {@link RunningBuilds}'s; threads are
 * {@link EngineThreads}'.
 */
final class DefaultBuildEngine implements BuildEngine {
    private final EngineSettings settings;
    private final DaemonClient daemon;
    private final BuildCacheApi cacheApi;
    private final BuildHistory history;
    private final EngineThreads threads;
    private final BuilderChoice builders;
    private final RunningBuilds running;
    private final BuildRoute route;
    private final BuilderCache cache;

    DefaultBuildEngine(EngineSettings s) {
        settings = s;
        daemon = new DaemonClient(
                s.endpoint(), s.connectTimeout(), s.readIdleTimeout(), Math.max(8, s.maxParallelBuilds() * 2));
        cacheApi = new BuildCacheApi(daemon);
        history = new BuildHistory(s.historySize(), s.historyFile());
        threads = new EngineThreads(s.maxParallelBuilds());
        builders = new BuilderChoice(s.backend(), s.builder(), s.connectTimeout(), daemon);
        running = new RunningBuilds(cacheApi, threads, builders::stopsByClosing);
        route = new BuildRoute(s, daemon, threads, builders, running, steps(s));
        cache = s.builder() == null
                ? BuilderCache.ofDaemon(cacheApi, builders::resolve)
                : BuilderCache.ofBuildkitd(builders::buildkitdClient);
    }

    private StepsRunner steps(EngineSettings s) {
        TransportPolicy transport = new TransportPolicy(s.contextTransport(), s.endpoint(), builders::reachableProfile);
        return new StepsRunner(List.of(
                new ChooseBuilderStep(builders),
                new ValidateStep(builders),
                new PrepareContextStep(),
                new ChooseTransportStep(transport),
                new OpenSessionStep(s.endpoint(), daemon, s.connectTimeout(), s.nodeId()),
                new RunOnBuilderStep(daemon, threads, transport, running::cancel),
                new InspectStep(daemon),
                new RecordStep(history, s.endpoint())));
    }

    @Override
    public DaemonEndpoint endpoint() {
        return settings.endpoint();
    }

    @Override
    public BuildResult build(BuildContext ctx, BuildListener listener) {
        return route.run(BuildRoute.newBuildId(), ctx, listener, settings.buildTimeout());
    }

    @Override
    public java.util.concurrent.CompletableFuture<BuildResult> buildAsync(BuildContext ctx, BuildListener listener) {
        return route.startAsync(ctx, listener).done();
    }

    @Override
    public List<BatchOutcome> buildBatchIndexed(
            List<BuildContext> contexts, BatchOptions options, BatchListener listener) {
        return route.runBatch(contexts, options, listener);
    }

    @Override
    public void cancel(String buildId) {
        running.cancel(buildId, "cancelled by request");
    }

    @Override
    public List<ActiveBuild> activeBuilds() {
        return running.snapshot();
    }

    @Override
    public List<HistoryEntry> history() {
        return history.entries();
    }

    @Override
    public List<BuilderBuild> builderHistory() {
        return builders.buildKitApi().history();
    }

    @Override
    public CacheStats cacheStats() {
        return CacheStatistics.of(history.entries(), cache.usage());
    }

    @Override
    public PruneResult pruneBuildCache(PruneOptions options) {
        return cache.prune(Objects.requireNonNull(options, "options"));
    }

    @Override
    public long exportBuildContext(BuildContext ctx, OutputStream out) throws IOException {
        return ContextArchive.of(ctx).writeTo(out);
    }

    @Override
    public List<DockerfileProblem> validateDockerfile(Path dockerfile, String target) throws IOException {
        return DockerfileValidator.validate(dockerfile, target);
    }

    @Override
    public Backend resolveBackend() {
        return builders.resolve();
    }

    @Override
    public void ping() {
        daemon.ping();
    }

    @Override
    public void close() {
        running.cancelAll("cancelled: the engine was closed");
        route.closeQueued(threads.shutdown());
        cache.close();
        builders.close();
        daemon.close();
    }
}
