package io.jenkins.plugins.containerbuild.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.testing.Daemon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cancel, timeouts, async and batch builds, history, stats and prune against the real daemon. */
@Tag("daemon")
class EngineOperationsDaemonTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void daemon() {
        Daemon.assumeAvailable();
    }

    private BuildContext context(String name, String run) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(
                d.resolve("Dockerfile"),
                "FROM " + Daemon.BASE_IMAGE + "\nRUN echo " + UUID.randomUUID() + " && " + run + "\n");
        return BuildContext.builder().contextDir(d).build();
    }

    @Test
    void cancelStopsTheDaemonsBuildAndEndsCancelled() throws Exception {
        BuildContext ctx = context("long", "sleep 120");
        CountDownLatch running = new CountDownLatch(1);
        try (BuildEngine engine = Daemon.engine(Backend.BUILDKIT)) {
            CompletableFuture<BuildResult> f = engine.buildAsync(ctx, p -> {
                if (p.kind() == BuildProgress.Kind.STEP_STARTED
                        && p.vertexName().contains("sleep 120")) {
                    running.countDown();
                }
            });
            assertThat(running.await(60, TimeUnit.SECONDS)).isTrue();
            List<ActiveBuild> active = engine.activeBuilds();
            assertThat(active).singleElement().satisfies(a -> {
                assertThat(a.contextDir()).isEqualTo(ctx.contextDir().toString());
                assertThat(a.lastProgress()).isNotNull();
            });
            Instant asked = Instant.now();
            engine.cancel(active.get(0).buildId());
            assertThatThrownBy(() -> f.get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(
                            BuildFailedException.class,
                            e -> assertThat(e.metrics().status()).isEqualTo(BuildStatus.CANCELLED));
            // Far below the 120 s the step would have slept: the daemon really stopped it.
            assertThat(Duration.between(asked, Instant.now())).isLessThan(Duration.ofSeconds(60));
            assertThat(engine.activeBuilds()).isEmpty();
            assertThat(engine.history()).last().extracting(HistoryEntry::status).isEqualTo(BuildStatus.CANCELLED);
        }
    }

    @Test
    void buildTimeoutCancelsTheBuild() throws Exception {
        BuildContext ctx = context("timeout", "sleep 120");
        try (BuildEngine engine = BuildEngine.builder()
                .endpoint(Daemon.endpoint())
                .buildTimeout(Duration.ofSeconds(3))
                .build()) {
            assertThatThrownBy(() -> engine.build(ctx, null)).isInstanceOfSatisfying(BuildFailedException.class, e -> {
                assertThat(e.metrics().status()).isEqualTo(BuildStatus.CANCELLED);
                assertThat(e.getMessage()).contains("timed out after PT3S");
            });
        }
    }

    @Test
    void cancellingTheFutureCancelsTheBuild() throws Exception {
        BuildContext ctx = context("future", "sleep 120");
        CountDownLatch running = new CountDownLatch(1);
        try (BuildEngine engine = Daemon.engine(Backend.BUILDKIT)) {
            CompletableFuture<BuildResult> f = engine.buildAsync(ctx, p -> {
                if (p.kind() == BuildProgress.Kind.STEP_STARTED
                        && p.vertexName().contains("sleep")) {
                    running.countDown();
                }
            });
            assertThat(running.await(60, TimeUnit.SECONDS)).isTrue();
            f.cancel(true);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!engine.activeBuilds().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(engine.activeBuilds()).isEmpty();
            assertThat(engine.history()).last().extracting(HistoryEntry::status).isEqualTo(BuildStatus.CANCELLED);
        }
    }

    @Test
    void batchKeepsInputOrderAndFailFastCancelsTheRest() throws Exception {
        List<BuildContext> ok = List.of(context("a", "true"), context("b", "true"), context("c", "true"));
        try (BuildEngine engine = Daemon.engine(Backend.BUILDKIT)) {
            List<BatchOutcome> outcomes =
                    engine.buildBatch(ok, BatchOptions.builder().maxParallel(2).build(), null);
            assertThat(outcomes).extracting(BatchOutcome::index).containsExactly(0, 1, 2);
            assertThat(outcomes).allMatch(o -> o.status() == BuildStatus.SUCCESS && o.result() != null);

            List<BuildContext> mixed = List.of(
                    context("slow", "sleep 120"),
                    context("bad", "exit 4"),
                    context("later1", "true"),
                    context("later2", "true"));
            Instant start = Instant.now();
            List<BatchOutcome> ff = engine.buildBatch(
                    mixed, BatchOptions.builder().maxParallel(2).failFast(true).build(), null);
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(100));
            assertThat(ff)
                    .extracting(BatchOutcome::status)
                    .containsExactly(
                            BuildStatus.CANCELLED, BuildStatus.FAILED, BuildStatus.CANCELLED, BuildStatus.CANCELLED);
            assertThat(ff.get(1).error()).contains("exit code 4");
            assertThat(engine.activeBuilds()).isEmpty();
        }
    }

    @Test
    void historyPersistsAndStatsCountCacheHits() throws Exception {
        Path file = dir.resolve("history.jsonl");
        BuildContext ctx = context("hist", "true");
        try (BuildEngine engine = BuildEngine.builder()
                .endpoint(Daemon.endpoint())
                .historyFile(file)
                .build()) {
            engine.build(ctx, null);
            engine.build(ctx, null);
        }
        try (BuildEngine engine = BuildEngine.builder()
                .endpoint(Daemon.endpoint())
                .historyFile(file)
                .build()) {
            assertThat(engine.history()).hasSize(2);
            CacheStats s = engine.cacheStats();
            assertThat(s.totalBuilds()).isEqualTo(2);
            assertThat(s.cacheHits()).isEqualTo(3); // FROM on both builds, RUN on the second
            assertThat(s.cacheMisses()).isEqualTo(1);
            assertThat(s.p95Duration()).isGreaterThanOrEqualTo(s.averageDuration());
            assertThat(s.buildCacheBytes()).isGreaterThanOrEqualTo(0);
            assertThat(s.buildCacheRecords()).isPositive();
        }
    }

    @Test
    void pruneRemovesOldRecordsAndRefusesBadFilters() throws Exception {
        try (BuildEngine engine = Daemon.engine(Backend.BUILDKIT)) {
            engine.build(context("prune", "echo data > /f"), null);
            PruneResult kept = engine.pruneBuildCache(
                    PruneOptions.builder().filter("until", "240h").build());
            assertThat(kept.spaceReclaimed()).isGreaterThanOrEqualTo(0);
            int before = engine.cacheStats().buildCacheRecords();
            PruneResult r =
                    engine.pruneBuildCache(PruneOptions.builder().all(true).build());
            assertThat(r.cachesDeleted()).isNotEmpty();
            assertThat(r.spaceReclaimed()).isPositive();
            assertThat(engine.cacheStats().buildCacheRecords()).isLessThan(before);
        }
        assertThatThrownBy(() ->
                        PruneOptions.builder().filter("until", "yesterday").build())
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessageContaining("filters.until");
        assertThatThrownBy(() -> PruneOptions.builder().filter("colour", "x").build())
                .hasMessageContaining("unknown filter 'colour'");
        assertThat(PruneOptions.parseSize("keepStorage", "10GB")).isEqualTo(10_000_000_000L);
        assertThat(PruneOptions.parseSize("keepStorage", "512MiB")).isEqualTo(512L * 1024 * 1024);
        assertThatThrownBy(() -> PruneOptions.parseSize("keepStorage", "lots")).hasMessageContaining("keepStorage");
    }
}
