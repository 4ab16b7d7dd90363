package io.jenkins.plugins.containerbuild.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cancel that arrives while a build is still being prepared (validated, its context walked) ends it as
 * cancelled before anything is sent. The preparation's warning event is the moment to cancel in; the engine
 * points at a socket that does not exist, so any request to a daemon would fail the test another way.
 */
class CancelWhilePreparingTest {
    @TempDir
    Path dir;

    @Test
    void aCancelDuringPreparationIsNotLost() throws Exception {
        // A secret-looking build argument gives a validation warning, sent as progress before the build starts.
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\nARG API_TOKEN\n");
        try (BuildEngine engine = BuildEngine.builder()
                .dockerHost("unix:///nonexistent/docker.sock")
                .backend(Backend.BUILDKIT)
                .build()) {
            BuildContext ctx = BuildContext.builder().contextDir(dir).build();
            boolean[] warned = {false};
            assertThatThrownBy(() -> engine.build(ctx, p -> {
                        if (p.message().startsWith("warning:")) {
                            warned[0] = true;
                            assertThat(engine.activeBuilds())
                                    .extracting(ActiveBuild::buildId)
                                    .containsExactly(p.buildId());
                            engine.cancel(p.buildId().substring(0, 3)); // a prefix of the id ("cb-") names no build
                            assertThat(engine.activeBuilds()).hasSize(1);
                            engine.cancel(p.buildId());
                        }
                    }))
                    .isInstanceOfSatisfying(BuildFailedException.class, e -> {
                        assertThat(e.metrics().status()).isEqualTo(BuildStatus.CANCELLED);
                        assertThat(e.getMessage()).contains("cancelled by request");
                    });
            assertThat(warned[0]).as("the validator warned about API_TOKEN").isTrue();
            assertThat(engine.activeBuilds()).isEmpty();
        }
    }

    @Test
    void closingTheEngineEndsQueuedAsyncBuildsInsteadOfLeavingThemWaiting() throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\nARG API_TOKEN\n");
        BuildContext ctx = BuildContext.builder().contextDir(dir).build();
        CountDownLatch preparing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BuildEngine engine = BuildEngine.builder()
                .dockerHost("unix:///nonexistent/docker.sock")
                .backend(Backend.BUILDKIT)
                .maxParallelBuilds(1)
                .build();
        // The only worker is held inside the first build's preparation; the second build waits in the queue.
        CompletableFuture<BuildResult> first = engine.buildAsync(ctx, p -> {
            preparing.countDown();
            await(release);
        });
        CompletableFuture<BuildResult> queued = engine.buildAsync(ctx, null);
        assertThat(preparing.await(10, TimeUnit.SECONDS)).isTrue();

        engine.close();
        release.countDown();

        assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(BuildException.class)
                .hasMessageContaining("the build engine was closed before this build started");
        assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(
                                ((BuildFailedException) e.getCause()).metrics().status())
                        .isEqualTo(BuildStatus.CANCELLED));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
