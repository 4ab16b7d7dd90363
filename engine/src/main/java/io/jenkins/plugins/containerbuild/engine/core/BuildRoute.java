package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BatchListener;
import io.jenkins.plugins.containerbuild.engine.api.BatchOptions;
import io.jenkins.plugins.containerbuild.engine.api.BatchOutcome;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import io.jenkins.plugins.containerbuild.engine.api.BuildListener;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.EngineSettings;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.build.BuildHandle;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Where a build goes: a push or multi-platform build through the {@link PushRunner}, which runs one daemon build
 * per platform; any other straight through the {@link StepsRunner}. Also how builds start asynchronously and in a
 * batch, each with its timeout.
 */
final class BuildRoute {
    private final EngineSettings settings;
    private final DaemonClient daemon;
    private final EngineThreads threads;
    private final BuilderChoice builders;
    private final RunningBuilds running;
    private final StepsRunner steps;

    BuildRoute(
            EngineSettings settings,
            DaemonClient daemon,
            EngineThreads threads,
            BuilderChoice builders,
            RunningBuilds running,
            StepsRunner steps) {
        this.settings = settings;
        this.daemon = daemon;
        this.threads = threads;
        this.builders = builders;
        this.running = running;
        this.steps = steps;
    }

    static String newBuildId() {
        return "cb-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    BuildResult run(String buildId, BuildContext ctx, BuildListener listener, Duration timeout) {
        Objects.requireNonNull(ctx, "ctx");
        BuildListener out = listener == null ? BuildListener.none() : listener;
        // A standalone buildkitd (or a containerd-store daemon's BuildKit) builds every platform in one solve and
        // pushes the tags itself.
        if (!builders.solvesWhole(ctx) && (ctx.push() || ctx.platforms().size() > 1)) {
            return runPush(buildId, ctx, out, timeout);
        }
        return runOne(buildId, ctx, out, timeout);
    }

    private BuildResult runPush(String buildId, BuildContext ctx, BuildListener out, Duration timeout) {
        PushRunner.check(ctx);
        if (ctx.platforms().size() > 1 && builders.resolve() == Backend.CLASSIC) {
            throw new InvalidBuildContextException(
                    "platforms",
                    "a multi-platform build needs BuildKit; the classic"
                            + " builder builds the daemon's own platform only (use backend BUILDKIT, or AUTO on a daemon with"
                            + " BuildKit)");
        }
        AtomicBoolean cancelled = running.startPushRun(buildId);
        try {
            return new PushRunner(
                            daemon,
                            (id, c, l) -> runOne(id, c, l, timeout),
                            id -> running.cancel(id, "cancelled by request"),
                            settings.maxParallelBuilds())
                    .run(buildId, ctx, out, cancelled::get);
        } finally {
            running.endPushRun(buildId);
        }
    }

    /** One daemon build; pushes nothing (a push is done by {@link PushRunner} around it). */
    private BuildResult runOne(String buildId, BuildContext ctx, BuildListener listener, Duration timeout) {
        Objects.requireNonNull(ctx, "ctx");
        BuildHandle handle = running.register(buildId, ctx);
        try {
            BuildListener out = listener == null ? BuildListener.none() : listener;
            return steps.run(new BuildState(buildId, ctx, out, timeout, handle));
        } finally {
            running.remove(buildId);
        }
    }

    /** Starts a build on the engine's workers; cancelling the future cancels the build. */
    BatchRunner.Started startAsync(BuildContext ctx, BuildListener listener) {
        Objects.requireNonNull(ctx, "ctx");
        String buildId = newBuildId();
        CompletableFuture<BuildResult> future = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                running.cancel(buildId, "cancelled by request");
                return super.cancel(mayInterruptIfRunning);
            }
        };
        threads.execute(new AsyncBuild(future, () -> run(buildId, ctx, listener, settings.buildTimeout())));
        return new BatchRunner.Started(buildId, future);
    }

    /** Runs a batch: one thread per running build, so that the batch's own limit applies, not the engine's. */
    List<BatchOutcome> runBatch(List<BuildContext> contexts, BatchOptions options, BatchListener listener) {
        Objects.requireNonNull(options, "options");
        BatchListener batchOut = listener == null ? (i, p) -> {} : listener;
        Duration timeout = options.timeout() != null ? options.timeout() : settings.buildTimeout();
        BatchRunner runner = new BatchRunner(
                (i, ctx) -> {
                    String buildId = newBuildId();
                    BuildListener out = p -> batchOut.onProgress(i, p);
                    CompletableFuture<BuildResult> f = CompletableFuture.supplyAsync(
                            () -> run(buildId, ctx, out, timeout),
                            r -> EngineThreads.startDaemonThread(r, "container-build-batch-"));
                    return new BatchRunner.Started(buildId, f);
                },
                id -> running.cancel(id, "cancelled by request"));
        return runner.run(List.copyOf(contexts), options);
    }

    /** Ends the builds still queued when the engine closed. */
    void closeQueued(List<Runnable> never) {
        for (Runnable r : never) {
            if (r instanceof AsyncBuild queued) {
                queued.future()
                        .completeExceptionally(
                                new BuildException("the build engine was closed before this build started"));
            }
        }
    }

    /** A queued asynchronous build; {@link #closeQueued} completes those that never ran. */
    private record AsyncBuild(CompletableFuture<BuildResult> future, Supplier<BuildResult> build) implements Runnable {
        @Override
        public void run() {
            if (future.isDone()) {
                return;
            }
            try {
                future.complete(build.get());
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        }
    }
}
