package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.BatchOptions;
import io.jenkins.plugins.containerbuild.engine.api.BatchOutcome;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import io.jenkins.plugins.containerbuild.engine.api.BuildFailedException;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Runs a batch: at most {@code maxParallel} builds at once, outcomes in input order; with
 * fail-fast, the first failure cancels what is running and what has not started.
 */
public final class BatchRunner {
    private final BiFunction<Integer, BuildContext, Started> starter;
    private final Consumer<String> canceller;

    /** A build of the batch that has been started. */
    public record Started(String buildId, CompletableFuture<BuildResult> done) {}

    /**
     * @param starter   starts build i of the batch asynchronously
     * @param canceller cancels a running build by id (its future then ends as cancelled)
     */
    public BatchRunner(BiFunction<Integer, BuildContext, Started> starter, Consumer<String> canceller) {
        this.starter = starter;
        this.canceller = canceller;
    }

    public List<BatchOutcome> run(List<BuildContext> contexts, BatchOptions options) {
        int n = contexts.size();
        Semaphore slots = new Semaphore(options.maxParallel());
        List<Started> started = java.util.Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<BuildResult>> recorded = new ArrayList<>();
        BatchOutcome[] outcomes = new BatchOutcome[n];
        boolean stop = false;
        for (int i = 0; i < n; i++) {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancelAll(started);
                throw new BuildException("the batch was interrupted");
            }
            synchronized (outcomes) {
                stop = options.failFast() && anyFailed(outcomes);
            }
            if (stop) {
                slots.release();
                break;
            }
            int index = i;
            Started s = starter.apply(index, contexts.get(index));
            started.add(s);
            // Wait on the recording stage, not the build's future, so every outcome is stored before we read it.
            recorded.add(s.done().whenComplete((r, err) -> {
                BatchOutcome o = outcome(index, r, err);
                synchronized (outcomes) {
                    outcomes[index] = o;
                }
                slots.release();
                if (options.failFast() && o.status() == BuildStatus.FAILED) {
                    cancelAll(started);
                }
            }));
        }
        for (CompletableFuture<BuildResult> f : recorded) {
            try {
                f.join();
            } catch (CompletionException | CancellationException e) {
                // recorded by whenComplete
            }
        }
        synchronized (outcomes) {
            for (int i = 0; i < n; i++) {
                if (outcomes[i] == null) {
                    outcomes[i] = new BatchOutcome(
                            i,
                            BuildStatus.CANCELLED,
                            null,
                            "not started: an earlier build of the batch failed (failFast)");
                }
            }
            return List.of(outcomes);
        }
    }

    private void cancelAll(List<Started> started) {
        for (Started s : List.copyOf(started)) {
            if (!s.done().isDone()) {
                canceller.accept(s.buildId());
            }
        }
    }

    private static boolean anyFailed(BatchOutcome[] outcomes) {
        for (BatchOutcome o : outcomes) {
            if (o != null && o.status() == BuildStatus.FAILED) {
                return true;
            }
        }
        return false;
    }

    private static BatchOutcome outcome(int index, BuildResult r, Throwable err) {
        if (err == null) {
            return new BatchOutcome(index, BuildStatus.SUCCESS, r, null);
        }
        Throwable cause =
                err instanceof CompletionException || err instanceof ExecutionException ? err.getCause() : err;
        if (cause instanceof CancellationException) {
            return new BatchOutcome(index, BuildStatus.CANCELLED, null, "cancelled: another build of the batch failed");
        }
        if (cause instanceof BuildFailedException bf && bf.metrics() != null) {
            return new BatchOutcome(index, bf.metrics().status(), null, bf.getMessage());
        }
        return new BatchOutcome(index, BuildStatus.FAILED, null, String.valueOf(cause.getMessage()));
    }
}
