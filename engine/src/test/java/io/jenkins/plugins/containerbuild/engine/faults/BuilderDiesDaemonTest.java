package io.jenkins.plugins.containerbuild.engine.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.ContextTransport;
import io.jenkins.plugins.containerbuild.engine.testing.Daemon;
import io.jenkins.plugins.containerbuild.engine.testing.PrivateDockerd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dockerd of the run's release and image store, owned by the test, killed (SIGKILL) during a {@code RUN} that
 * reads a secret: the same guarantees as for a buildkitd ({@link BuilderDeath}).
 */
@Tag("daemon")
class BuilderDiesDaemonTest {
    @Test
    void aKilledDockerdEndsTheBuildAtOnceAndTheEngineBuildsAgainWhenItIsBack(@TempDir Path dir) throws Exception {
        Daemon.assumeAvailable();
        try (PrivateDockerd daemon = PrivateDockerd.start(Path.of("/tmp", "cb-dd-" + UUID.randomUUID()), null)) {
            BuilderDeath.killDuringRun(
                    dir,
                    daemon,
                    daemon::engine,
                    "the Docker daemon at unix://",
                    // Docker 26 with the containerd store solves a cache export through /grpc; the others use /build.
                    Daemon.profile().containerdImageStore() && Daemon.profile().buildKitMinor() >= 13);
        }
    }

    /**
     * The daemon restarts between builds (an upgrade overnight): the engine's pooled connections to it are dead, and
     * the next builds, the context sent as a tar body that cannot be sent twice where the daemon takes one, still
     * work.
     */
    @Test
    void anEngineBuildsAgainAfterItsDaemonRestartedBetweenBuilds(@TempDir Path dir) throws Exception {
        Daemon.assumeAvailable();
        Path small = FaultContexts.small(dir);
        try (PrivateDockerd daemon = PrivateDockerd.start(Path.of("/tmp", "cb-dd-" + UUID.randomUUID()), null);
                BuildEngine engine = BuildEngine.builder()
                        .endpoint(daemon.endpoint())
                        .backend(Backend.BUILDKIT)
                        // The containerd store takes the context only over the session.
                        .contextTransport(
                                Daemon.profile().containerdImageStore() ? ContextTransport.AUTO : ContextTransport.TAR)
                        .maxParallelBuilds(4)
                        .build()) {
            // Four at once leave several connections in the pool.
            List<CompletableFuture<BuildResult>> before = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                before.add(engine.buildAsync(
                        BuildContext.builder()
                                .contextDir(small)
                                .label("n", "" + i)
                                .build(),
                        null));
            }
            for (CompletableFuture<BuildResult> b : before) {
                assertThat(b.get(2, TimeUnit.MINUTES).imageId()).startsWith("sha256:");
            }
            daemon.kill();
            daemon.start();
            for (int i = 0; i < 3; i++) {
                BuildResult after = engine.build(
                        BuildContext.builder()
                                .contextDir(small)
                                .label("n", "after-" + i)
                                .build(),
                        null);
                assertThat(after.imageId())
                        .as("build " + i + " after the restart")
                        .startsWith("sha256:");
            }
        }
    }

    /** The classic builder's stream breaks the same way: the step it was running is named. */
    @Test
    void aKilledDockerdEndsAClassicBuildNamingTheStep(@TempDir Path dir) throws Exception {
        Daemon.assumeAvailable();
        try (PrivateDockerd daemon = PrivateDockerd.start(Path.of("/tmp", "cb-dd-" + UUID.randomUUID()), null)) {
            BuilderDeath.killDuringPlainRun(
                    dir,
                    daemon,
                    history -> BuildEngine.builder()
                            .endpoint(daemon.endpoint())
                            .backend(Backend.CLASSIC)
                            .historyFile(history)
                            .build(),
                    "the Docker daemon at unix://");
        }
    }
}
