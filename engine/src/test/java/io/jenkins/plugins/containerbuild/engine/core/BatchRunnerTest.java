package io.jenkins.plugins.containerbuild.engine.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.BatchOptions;
import io.jenkins.plugins.containerbuild.engine.api.BatchOutcome;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch's concurrency limit and ordering, with builds simulated by timed futures (no daemon needed). */
class BatchRunnerTest {
    @TempDir
    Path dir;

    @Test
    void neverRunsMoreThanMaxParallelAndKeepsOrder() throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        BuildContext ctx = BuildContext.builder().contextDir(dir).build();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<String> cancelled = Collections.synchronizedList(new ArrayList<>());
        BatchRunner runner = new BatchRunner(
                (i, c) -> {
                    CompletableFuture<BuildResult> f = CompletableFuture.supplyAsync(() -> {
                        peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                        try {
                            Thread.sleep(50L * (5 - i % 5));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        running.decrementAndGet();
                        return null;
                    });
                    return new BatchRunner.Started("b" + i, f);
                },
                cancelled::add);
        List<BatchOutcome> out = runner.run(
                Collections.nCopies(10, ctx),
                BatchOptions.builder().maxParallel(3).build());
        assertThat(peak.get()).isEqualTo(3);
        assertThat(out).extracting(BatchOutcome::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(out).allMatch(o -> o.status() == BuildStatus.SUCCESS);
        assertThat(cancelled).isEmpty();
    }
}
