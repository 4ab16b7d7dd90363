package io.jenkins.plugins.containerbuild.engine.controlapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import io.jenkins.plugins.containerbuild.engine.api.BuildFailedException;
import io.jenkins.plugins.containerbuild.engine.api.BuildOutput;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import io.jenkins.plugins.containerbuild.engine.testing.Daemon;
import io.jenkins.plugins.containerbuild.engine.testing.Images;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs written to this machine by a Docker daemon's own BuildKit, reached through its {@code POST /grpc}: the
 * engine takes that road by itself when a build asks for a tar or local output. Each daemon does what it can (20.10:
 * one output per build; oci and docker archives only with the containerd store) and refuses the rest before building.
 */
@Tag("daemon")
class ControlApiThroughDockerTest {
    @BeforeEach
    void daemon() {
        Daemon.assumeAvailable();
    }

    private static boolean several() {
        return Daemon.profile().buildKitMinor() >= 13;
    }

    private static BuildContext.Builder busybox(Path dir, String dockerfileBody) throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + Daemon.BASE_IMAGE + "\n" + dockerfileBody);
        return BuildContext.builder().contextDir(dir);
    }

    @Test
    void aLocalTreeAndATarArriveAndTheSecretIsInNeither(@TempDir Path dir, @TempDir Path out) throws Exception {
        String secret = "s3cr3t-" + UUID.randomUUID();
        Files.writeString(dir.resolve("data.txt"), "from the context");
        BuildContext.Builder b = busybox(
                dir,
                "COPY data.txt /out/data.txt\n"
                        + "RUN --mount=type=secret,id=tok sha256sum /run/secrets/tok > /out/hash && cat /run/secrets/tok\n");
        b.noCache(true).secret("tok", SecretSource.ofBytes(secret.getBytes(StandardCharsets.UTF_8)));
        Path tree = out.resolve("tree");
        Path tar = out.resolve("fs.tar");
        List<BuildProgress> events = new CopyOnWriteArrayList<>();
        try (BuildEngine engine = Daemon.engine(Backend.AUTO)) {
            if (several()) {
                engine.build(
                        b.outputs(List.of(
                                        BuildOutput.parse("outputs", "type=local,dest=" + tree),
                                        BuildOutput.parse("outputs", "type=tar,dest=" + tar)))
                                .build(),
                        events::add);
            } else {
                engine.build(
                        b.outputs(List.of(BuildOutput.parse("outputs", "type=local,dest=" + tree)))
                                .build(),
                        events::add);
                engine.build(
                        b.outputs(List.of(BuildOutput.parse("outputs", "type=tar,dest=" + tar)))
                                .build(),
                        events::add);
            }
        }
        assertThat(tree.resolve("out/data.txt")).hasContent("from the context");
        assertThat(tree.resolve("out/hash")).exists();
        assertThat(tree.resolve("bin/busybox")).exists();
        assertThat(Images.tarEntries(tar)).contains("out/data.txt", "out/hash");
        assertThat(events).anySatisfy(e -> assertThat(e.message()).contains("****"));
        assertThat(events)
                .noneSatisfy(e -> assertThat(e.message() + e.vertexName()).contains(secret));
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Images.indexOf(Files.readAllBytes(f), needle))
                        .as(f.toString())
                        .isEqualTo(-1);
            }
        }
    }

    @Test
    void anImageAndATarInOneBuildWhereTheDaemonCanElseARefusal(@TempDir Path dir, @TempDir Path out) throws Exception {
        String tag =
                "cb-test/grpc-image-and-tar:" + UUID.randomUUID().toString().substring(0, 8);
        Path tar = out.resolve("fs.tar");
        BuildContext ctx = busybox(dir, "RUN echo " + UUID.randomUUID() + " > /marker\n")
                .tag(tag)
                .outputs(List.of(
                        BuildOutput.parse("outputs", "type=image"),
                        BuildOutput.parse("outputs", "type=tar,dest=" + tar)))
                .build();
        try (BuildEngine engine = Daemon.engine(Backend.AUTO)) {
            if (!several()) {
                assertThatThrownBy(() -> engine.build(ctx, null))
                        .isInstanceOf(InvalidBuildContextException.class)
                        .hasMessageStartingWith("outputs: the Docker daemon at ")
                        .hasMessageContaining("older than v0.13, which writes one output per build");
                assertThat(tar).doesNotExist();
                return;
            }
            BuildResult r = engine.build(ctx, null);
            assertThat(r.imageId()).isEqualTo(Daemon.inspect(tag).path("Id").asText(""));
            assertThat(r.metrics().layers()).isGreaterThan(0);
            assertThat(Images.tarEntries(tar)).contains("marker");
        } finally {
            Daemon.removeImage(tag);
        }
    }

    @Test
    void ociAndDockerArchivesOnlyWithTheContainerdStore(@TempDir Path dir, @TempDir Path out) throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + Daemon.BASE_IMAGE + "\nRUN true\n");
        try (BuildEngine engine = Daemon.engine(Backend.AUTO)) {
            for (String type : List.of("oci", "docker")) {
                Path archive = out.resolve(type + ".tar");
                BuildContext ctx = BuildContext.builder()
                        .contextDir(dir)
                        .outputs(List.of(BuildOutput.parse("outputs", "type=" + type + ",dest=" + archive)))
                        .build();
                if (Daemon.profile().containerdImageStore()) {
                    engine.build(ctx, null);
                    assertThat(Images.tarEntries(archive))
                            .contains(type.equals("oci") ? "oci-layout" : "manifest.json", "index.json");
                } else {
                    assertThatThrownBy(() -> engine.build(ctx, null))
                            .isInstanceOf(InvalidBuildContextException.class)
                            .hasMessageContaining("cannot write type=" + type)
                            .hasMessageContaining("the containerd image store, or a buildkitd builder");
                    assertThat(archive).doesNotExist();
                }
            }
        }
    }

    @Test
    void cancellingStopsTheSolveAndWritesNothing(@TempDir Path dir, @TempDir Path out) throws Exception {
        Path tree = out.resolve("tree");
        BuildContext ctx = busybox(dir, "RUN echo started-" + UUID.randomUUID() + " && sleep 60\n")
                .outputs(List.of(BuildOutput.parse("outputs", "type=local,dest=" + tree)))
                .build();
        List<BuildProgress> events = new CopyOnWriteArrayList<>();
        long t0;
        CompletableFuture<BuildResult> f;
        try (BuildEngine engine = Daemon.engine(Backend.AUTO)) {
            f = engine.buildAsync(ctx, events::add);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (events.stream().noneMatch(e -> e.message().contains("started-")) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(events).anySatisfy(e -> assertThat(e.message()).contains("started-"));
            t0 = System.nanoTime();
            f.cancel(true);
        }
        // Closing the engine waits for its builds: the cancelled solve ended well before the step's 60 s.
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
        assertThatThrownBy(() -> f.get(1, TimeUnit.SECONDS))
                .isInstanceOfAny(ExecutionException.class, java.util.concurrent.CancellationException.class);
        try (Stream<Path> left = Files.list(out)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aFailingRunStepFailsTheBuildWithItsExitCode(@TempDir Path dir, @TempDir Path out) throws Exception {
        BuildContext ctx = busybox(dir, "RUN echo nope && exit 7\n")
                .outputs(List.of(BuildOutput.parse("outputs", "type=local,dest=" + out.resolve("t"))))
                .build();
        try (BuildEngine engine = Daemon.engine(Backend.AUTO)) {
            assertThatThrownBy(() -> engine.build(ctx, null))
                    .isInstanceOf(BuildFailedException.class)
                    .isInstanceOf(BuildException.class)
                    .hasMessageContaining("exit code: 7");
        }
        assertThat(out.resolve("t")).doesNotExist();
    }

    @Test
    void theDaemonsOwnBuildHistoryWhereItKeepsOne(@TempDir Path dir) throws Exception {
        java.time.Instant before = java.time.Instant.now().minusSeconds(1);
        try (BuildEngine engine = Daemon.engine(Backend.AUTO)) {
            BuildResult r = engine.build(
                    busybox(dir, "RUN echo " + UUID.randomUUID() + "\n").build(), null);
            if (Daemon.profile().buildKitMinor() < 11) {
                assertThatThrownBy(engine::builderHistory)
                        .isInstanceOf(BuildException.class)
                        .hasMessageContaining("keeps no build history")
                        .hasMessageContaining("Docker 23 and later");
                return;
            }
            // The daemon names builds that came through POST /build itself, not by the engine's build id.
            assertThat(engine.builderHistory())
                    .filteredOn(b -> !b.createdAt().isBefore(before))
                    .anySatisfy(b -> {
                        assertThat(b.state()).isEqualTo("succeeded");
                        assertThat(b.totalSteps()).isPositive();
                    });
        }
    }
}
