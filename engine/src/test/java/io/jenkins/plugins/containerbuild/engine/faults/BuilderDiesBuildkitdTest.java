package io.jenkins.plugins.containerbuild.engine.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.DaemonUnreachableException;
import io.jenkins.plugins.containerbuild.engine.testing.Buildkitd;
import io.jenkins.plugins.containerbuild.engine.testing.PrivateBuildkitd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A buildkitd killed (SIGKILL) during a {@code RUN}: the build ends on its own within 10 s saying the builder went
 * away during that step, the same engine builds again once the builder is back, and the engine's threads and file
 * descriptors return to what they were.
 */
@Tag("buildkitd")
class BuilderDiesBuildkitdTest {
    @Test
    void aKilledBuildkitdEndsTheBuildAtOnceAndTheEngineBuildsAgainWhenItIsBack(@TempDir Path dir) throws Exception {
        Buildkitd.require();
        Path small = Buildkitd.context(
                Files.createDirectory(dir.resolve("small")), UUID.randomUUID().toString());
        Path slow = Files.createDirectory(dir.resolve("slow"));
        Files.copy(Path.of("/bin/busybox"), slow.resolve("busybox"));
        Files.writeString(
                slow.resolve("Dockerfile"),
                "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"sleep\", \"20\"]\n");
        try (PrivateBuildkitd builder = PrivateBuildkitd.start(Path.of("/tmp", "cb-bk-" + UUID.randomUUID()))) {
            // Warm up class loading and the shared gRPC/netty threads, then take the baseline.
            try (BuildEngine warm =
                    BuildEngine.builder().builder(builder.endpoint()).build()) {
                warm.build(BuildContext.builder().contextDir(small).build(), null);
            }
            int threads = liveThreads();
            long fds = openFiles();

            try (BuildEngine engine =
                    BuildEngine.builder().builder(builder.endpoint()).build()) {
                CountDownLatch running = new CountDownLatch(1);
                CompletableFuture<BuildResult> build = engine.buildAsync(
                        BuildContext.builder().contextDir(slow).build(), (BuildProgress p) -> {
                            if (p.kind() == BuildProgress.Kind.STEP_STARTED
                                    && p.vertexName().contains("sleep")) {
                                running.countDown();
                            }
                        });
                assertThat(running.await(120, TimeUnit.SECONDS))
                        .as("the RUN step started")
                        .isTrue();
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
                        .hasMessageContaining("the buildkitd at unix://")
                        .hasMessageContaining("went away during step '")
                        .hasMessageContaining("sleep")
                        .hasMessageContaining("check that it runs, then build again");

                builder.start();
                BuildResult again =
                        engine.build(BuildContext.builder().contextDir(small).build(), null);
                assertThat(again.imageId()).startsWith("sha256:");
            }
            assertThat(settled(threads)).as("live threads, baseline " + threads).isLessThanOrEqualTo(threads + 2);
            assertThat(openFiles()).as("open files, baseline " + fds).isLessThanOrEqualTo(fds + 4);
        }
    }

    /** The live thread count once threads that are ending have ended (up to 10 s). */
    private static int settled(int baseline) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int n = liveThreads();
        while (n > baseline + 2 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            n = liveThreads();
        }
        return n;
    }

    private static int liveThreads() {
        return Thread.getAllStackTraces().size();
    }

    private static long openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
