package io.jenkins.plugins.containerbuild.engine.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildFailedException;
import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.Platform;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-platform build whose first platform fails starts none of the platforms still waiting for a slot.
 * The per-platform builds are a stand-in function here (this is the runner's scheduling, not the daemon's
 * work: the daemon tests build and push real platforms); nothing reaches a daemon or a registry.
 */
class PushRunnerFailFastTest {
    @TempDir
    Path dir;

    @Test
    void platformsWaitingForASlotAreNotBuiltOnceOneFailed() throws Exception {
        BuildContext ctx = threePlatforms();
        List<String> built = new CopyOnWriteArrayList<>();
        List<String> cancelled = new CopyOnWriteArrayList<>();
        try (DaemonClient nowhere = nowhere()) {
            PushRunner runner = new PushRunner(
                    nowhere,
                    (id, c, l) -> {
                        built.add(c.platforms().get(0).specifier());
                        throw new BuildFailedException("step failed", "[2/2] RUN false", 1, List.of(), null);
                    },
                    cancelled::add,
                    1);

            assertThatThrownBy(() -> runner.run("cb-test", ctx, p -> {}))
                    .isInstanceOf(BuildFailedException.class)
                    .hasMessageContaining("step failed");
        }
        // One slot: exactly one platform was built (whichever got the slot first), the other two stopped.
        assertThat(built).hasSize(1);
        assertThat(cancelled).contains("cb-test-linux-amd64", "cb-test-linux-arm64", "cb-test-linux-arm-v7");
    }

    @Test
    void platformsWaitingForASlotAreNotBuiltOnceTheWholeBuildWasCancelled() throws Exception {
        BuildContext ctx = threePlatforms();
        List<String> built = new CopyOnWriteArrayList<>();
        AtomicBoolean cancelled = new AtomicBoolean();
        try (DaemonClient nowhere = nowhere()) {
            PushRunner runner = new PushRunner(
                    nowhere,
                    (id, c, l) -> {
                        built.add(c.platforms().get(0).specifier());
                        // The user cancels while the first platform builds; the engine ends that one by its own id.
                        cancelled.set(true);
                        throw new BuildFailedException("build cancelled by request", null, null, List.of(), null);
                    },
                    id -> {},
                    1);

            assertThatThrownBy(() -> runner.run("cb-test", ctx, p -> {}, cancelled::get))
                    .isInstanceOf(BuildFailedException.class);
        }
        assertThat(built).hasSize(1);
    }

    /** Three platforms to push, one slot at a time in the tests. */
    private BuildContext threePlatforms() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        return BuildContext.builder()
                .contextDir(dir)
                .tag("127.0.0.1:5999/team/app:1")
                .push(true)
                .platforms(List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64, Platform.LINUX_ARM_V7))
                .build();
    }

    /** A client for a socket that does not exist: any request to a daemon would fail the test. */
    private static DaemonClient nowhere() {
        return new DaemonClient(
                DaemonEndpoint.fromEnvironment(Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock")),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                1);
    }
}
