package io.jenkins.plugins.containerbuild.engine.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.DaemonUnreachableException;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import io.jenkins.plugins.containerbuild.engine.testing.KillableBuilder;
import io.jenkins.plugins.containerbuild.engine.testing.ProcessResources;
import io.jenkins.plugins.containerbuild.engine.testing.SecretScan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The scenario of a builder killed during a {@code RUN} that reads a secret, shared by the builders' tests: the
 * build ends on its own within 10 s saying the builder went away during that step, the same engine builds again
 * once the builder is back, threads and file descriptors return to their baseline, and the secret is nowhere.
 */
final class BuilderDeath {
    private BuilderDeath() {}

    /**
     * Runs the scenario.
     *
     * @param engines     makes an engine on the builder that writes its history to the given file
     * @param builderName how the error must name the builder, e.g. {@code the buildkitd at unix://}
     * @param cacheExport whether the killed build also exports a local cache (then it must leave no directory)
     */
    static void killDuringRun(
            Path dir,
            KillableBuilder builder,
            Function<Path, BuildEngine> engines,
            String builderName,
            boolean cacheExport)
            throws Exception {
        Path small = FaultContexts.small(dir);
        // The step prints the secret, then runs until the builder is killed.
        Path slow = FaultContexts.runReadingSecret(dir, "slow", "exec /bin/busybox sleep 25");
        byte[] secret = SecretScan.randomSecret();
        Path history = dir.resolve("history.jsonl");

        // Warm up class loading and the shared gRPC/netty threads, then take the baseline.
        try (BuildEngine warm = engines.apply(history)) {
            warm.build(BuildContext.builder().contextDir(small).build(), null);
        }
        int threads = ProcessResources.liveThreads();
        long fds = ProcessResources.openFiles();

        List<BuildProgress> console = new CopyOnWriteArrayList<>();
        Throwable failure;
        try (BuildEngine engine = engines.apply(history)) {
            CountDownLatch running = new CountDownLatch(1);
            BuildContext.Builder killed =
                    BuildContext.builder().contextDir(slow).secret("tok", SecretSource.ofBytes(secret));
            if (cacheExport) {
                killed.cacheTo("type=local,mode=max,dest=" + dir.resolve("cache"));
            }
            CompletableFuture<BuildResult> build = engine.buildAsync(killed.build(), (BuildProgress p) -> {
                console.add(p);
                if (p.kind() == BuildProgress.Kind.LOG && p.message().contains("got:")) {
                    running.countDown();
                }
            });
            assertThat(running.await(120, TimeUnit.SECONDS))
                    .as("the RUN step started and printed")
                    .isTrue();
            builder.kill();
            long killedAt = System.nanoTime();
            try {
                build.get(10, TimeUnit.SECONDS);
                throw new AssertionError("the build succeeded without its builder");
            } catch (ExecutionException e) {
                failure = e.getCause();
                System.out.printf(
                        "the build ended %d ms after the kill: %s%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt), failure.getMessage());
            } catch (TimeoutException e) {
                throw new AssertionError("the build did not end within 10 s of its builder's death", e);
            }
            assertThat(failure)
                    .isInstanceOf(DaemonUnreachableException.class)
                    .hasMessageContaining(builderName)
                    .hasMessageContaining("went away during step '")
                    .hasMessageContaining("sleep")
                    .hasMessageContaining("check that it runs, then build again");

            assertThat(engine.history())
                    .as("the history holds the failed build")
                    .anySatisfy(h -> assertThat(h.error()).contains("went away during step"));

            assertThat(dir.resolve("cache")).as("no partial cache export").doesNotExist();

            builder.start();
            BuildResult again = engine.build(
                    BuildContext.builder().contextDir(small).noCache(true).build(), null);
            assertThat(again.imageId()).startsWith("sha256:");
        }
        assertThat(ProcessResources.settledThreads(threads))
                .as("live threads, baseline " + threads)
                .isLessThanOrEqualTo(threads + 2);
        assertThat(ProcessResources.openFiles())
                .as("open files, baseline " + fds)
                .isLessThanOrEqualTo(fds + 4);

        assertThat(console.stream().map(BuildProgress::message))
                .as("the secret was printed, masked")
                .contains("got:****");
        assertThat(SecretScan.eventsHolding(console, secret))
                .as("console lines")
                .isEmpty();
        assertThat(SecretScan.failureHolds(failure, secret)).as("the failure").isFalse();
        assertThat(Files.size(history)).as("history written").isPositive();
        assertThat(SecretScan.filesHolding(List.of(dir), secret))
                .as("files written")
                .isEmpty();
    }

    /**
     * A builder that takes no secrets (the classic builder, Podman) killed during a {@code RUN}: the build ends within
     * 10 s naming the builder and the step, and the same engine builds again once the builder is back.
     */
    static void killDuringPlainRun(
            Path dir, KillableBuilder builder, Function<Path, BuildEngine> engines, String builderName)
            throws Exception {
        Path slow = Files.createDirectory(dir.resolve("slow"));
        Files.copy(Path.of("/bin/busybox"), slow.resolve("busybox"));
        Files.writeString(
                slow.resolve("Dockerfile"),
                "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"sleep\", \"25\"]\n");
        try (BuildEngine engine = engines.apply(dir.resolve("history.jsonl"))) {
            CountDownLatch running = new CountDownLatch(1);
            CompletableFuture<BuildResult> build =
                    engine.buildAsync(BuildContext.builder().contextDir(slow).build(), p -> {
                        if (p.kind() == BuildProgress.Kind.STEP_STARTED
                                && p.vertexName().contains("sleep")) {
                            running.countDown();
                        }
                    });
            assertThat(running.await(120, TimeUnit.SECONDS))
                    .as("the RUN step started")
                    .isTrue();
            Thread.sleep(2000); // its container runs: these builders announce a step before they start it
            builder.kill();
            Throwable failure;
            try {
                build.get(10, TimeUnit.SECONDS);
                throw new AssertionError("the build succeeded without its builder");
            } catch (ExecutionException e) {
                failure = e.getCause();
            } catch (TimeoutException e) {
                throw new AssertionError("the build did not end within 10 s of its builder's death", e);
            }
            assertThat(failure)
                    .isInstanceOf(DaemonUnreachableException.class)
                    .hasMessageContaining(builderName)
                    .hasMessageContaining("went away during step '")
                    .hasMessageContaining("sleep");
            builder.start();
            BuildResult again = engine.build(
                    BuildContext.builder().contextDir(FaultContexts.small(dir)).build(), null);
            assertThat(again.imageId()).startsWith("sha256:");
        }
    }
}
