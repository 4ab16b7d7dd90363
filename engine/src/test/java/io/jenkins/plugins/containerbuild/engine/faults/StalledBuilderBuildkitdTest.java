package io.jenkins.plugins.containerbuild.engine.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.BuilderEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.DaemonUnreachableException;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import io.jenkins.plugins.containerbuild.engine.testing.Buildkitd;
import io.jenkins.plugins.containerbuild.engine.testing.PrivateBuildkitd;
import io.jenkins.plugins.containerbuild.engine.testing.SecretScan;
import io.jenkins.plugins.containerbuild.engine.testing.UnixRelay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A builder that stops answering: a proxy to a real buildkitd forwards nothing more once the build's RUN started.
 * With a keepalive of 10 s and 5 s the build fails within about 15 s of silence (the bound is the keepalive, which
 * is settable); a cancel during the stall returns within 5 s.
 */
@Tag("buildkitd")
class StalledBuilderBuildkitdTest {
    @TempDir
    static Path written;

    private static PrivateBuildkitd builder;
    private static Path slow;

    @BeforeAll
    static void builder() throws Exception {
        Buildkitd.require();
        builder = PrivateBuildkitd.start(Path.of("/tmp", "cb-bk-" + UUID.randomUUID()));
        slow = Files.createTempDirectory("cb-slow-");
        Files.copy(Path.of("/bin/busybox"), slow.resolve("busybox"));
    }

    @AfterAll
    static void stop() throws java.io.IOException {
        if (builder != null) {
            builder.close();
        }
        if (slow != null) {
            try (var walk = Files.walk(slow)) {
                walk.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The secret the step reads and prints (masked) before it goes silent. */
    private final byte[] secret = SecretScan.randomSecret();

    private final Path history = written.resolve("history-" + UUID.randomUUID() + ".jsonl");

    private final List<BuildProgress> console = new CopyOnWriteArrayList<>();

    private BuildContext slowBuild() throws Exception {
        Files.writeString(
                slow.resolve("Dockerfile"),
                "FROM scratch\nCOPY busybox /bin/busybox\nRUN --mount=type=secret,id=tok [\"/bin/busybox\", \"sh\","
                        + " \"-c\", \"echo got:$(/bin/busybox cat /run/secrets/tok); sleep 60; echo "
                        + UUID.randomUUID() + "\"]\n");
        return BuildContext.builder()
                .contextDir(slow)
                .secret("tok", SecretSource.ofBytes(secret))
                .build();
    }

    private CompletableFuture<BuildResult> startAndStall(BuildEngine engine, UnixRelay proxy) throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<BuildResult> build = engine.buildAsync(slowBuild(), (BuildProgress p) -> {
            console.add(p);
            if (p.kind() == BuildProgress.Kind.LOG && p.message().contains("got:")) {
                running.countDown();
            }
        });
        assertThat(running.await(120, TimeUnit.SECONDS))
                .as("the RUN step started")
                .isTrue();
        proxy.stall();
        return build;
    }

    @Test
    void aStalledBuilderFailsTheBuildWithinTheKeepalive() throws Exception {
        try (UnixRelay proxy = new UnixRelay(builder.socket());
                BuildEngine engine = BuildEngine.builder()
                        .builder(BuilderEndpoint.of(proxy.host(), null)
                                .withKeepAlive(Duration.ofSeconds(10), Duration.ofSeconds(5)))
                        .historyFile(history)
                        .build()) {
            CompletableFuture<BuildResult> build = startAndStall(engine, proxy);
            long stalledAt = System.nanoTime();
            Throwable failure;
            try {
                build.get(60, TimeUnit.SECONDS);
                throw new AssertionError("the build succeeded through a stalled link");
            } catch (ExecutionException e) {
                failure = e.getCause();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - stalledAt);
            assertThat(failure)
                    .isInstanceOf(DaemonUnreachableException.class)
                    .hasMessageContaining("went away during step '")
                    .hasMessageContaining("sleep");
            assertThat(took).as("keepalive 10 s + 5 s, with slack").isLessThan(Duration.ofSeconds(30));
            assertThat(SecretScan.failureHolds(failure, secret))
                    .as("the failure")
                    .isFalse();
        }
        assertNoSecretWritten();
    }

    /** The step printed the secret masked; the console, the history and the test's files hold none of it. */
    private void assertNoSecretWritten() throws Exception {
        assertThat(console.stream().map(BuildProgress::message)).contains("got:****");
        assertThat(SecretScan.eventsHolding(console, secret))
                .as("console lines")
                .isEmpty();
        assertThat(SecretScan.filesHolding(List.of(history.getParent(), slow), secret))
                .as("files written")
                .isEmpty();
    }

    @Test
    void aCancelDuringTheStallReturnsWithinFiveSeconds() throws Exception {
        try (UnixRelay proxy = new UnixRelay(builder.socket());
                BuildEngine engine = BuildEngine.builder()
                        .builder(BuilderEndpoint.of(proxy.host(), null))
                        .historyFile(history)
                        .build()) {
            CompletableFuture<BuildResult> build = startAndStall(engine, proxy);
            String id = engine.activeBuilds().get(0).buildId();
            long cancelAt = System.nanoTime();
            engine.cancel(id);
            try {
                build.get(5, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                assertThat(e.getCause()).hasMessageContaining("cancel");
            }
            assertThat(build).isDone();
            assertThat(Duration.ofNanos(System.nanoTime() - cancelAt)).isLessThan(Duration.ofSeconds(5));
        }
        assertNoSecretWritten();
    }
}
