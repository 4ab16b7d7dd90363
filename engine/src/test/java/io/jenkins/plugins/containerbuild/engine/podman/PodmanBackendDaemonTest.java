package io.jenkins.plugins.containerbuild.engine.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildFailedException;
import io.jenkins.plugins.containerbuild.engine.api.BuildMetrics;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.api.StepTiming;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import io.jenkins.plugins.containerbuild.engine.testing.Podman;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds on the real Podman service (scripts/start-podman.sh), asserting through Podman's image inspect. */
class PodmanBackendDaemonTest {
    private static final String RUN_ID = UUID.randomUUID().toString().substring(0, 8);
    private static final Path HELLO =
            Path.of("..", "examples", "hello").toAbsolutePath().normalize();
    private static final List<String> CREATED = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void podman() {
        Podman.assumeAvailable();
    }

    @AfterAll
    static void cleanUp() {
        CREATED.forEach(Podman::removeImage);
    }

    private static String tag(String name) {
        String t = "cb-test/" + name + ":" + RUN_ID;
        CREATED.add(t);
        return t;
    }

    @Test
    void buildsHelloWithTagsLabelsArgsAndTarget() throws IOException {
        String t1 = tag("hello");
        String t2 = tag("hello2");
        List<BuildProgress> events = new CopyOnWriteArrayList<>();
        BuildContext ctx = BuildContext.builder()
                .contextDir(HELLO)
                .tag(t1)
                .tag(t2)
                .buildArg("GREETING", "howdy-" + RUN_ID)
                .label("team", "ci")
                .target("final")
                .build();
        BuildResult r;
        try (BuildEngine engine = Podman.engine(Backend.PODMAN)) {
            r = engine.build(ctx, events::add);
        }
        assertThat(r.imageId()).startsWith("sha256:");
        JsonValue img = Podman.inspect(t1);
        assertThat(img.path("Id").asText()).isEqualTo(r.imageId());
        assertThat(Podman.inspect(t2).path("Id").asText()).isEqualTo(r.imageId());
        JsonValue labels = img.path("Config").path("Labels");
        assertThat(labels.path("team").asText()).isEqualTo("ci");
        assertThat(labels.path("org.opencontainers.image.title").asText()).isEqualTo("hello example");
        // target=final: the final stage's CMD, not the build stage's WORKDIR.
        assertThat(img.path("Config").path("Cmd").toString()).isEqualTo("[\"cat\",\"/srv/release.txt\"]");
        assertThat(img.path("Config").path("WorkingDir").asText()).isNotEqualTo("/src");

        BuildMetrics m = r.metrics();
        assertThat(m.status()).isEqualTo(BuildStatus.SUCCESS);
        assertThat(m.backend()).isEqualTo(Backend.PODMAN);
        assertThat(m.layers())
                .isEqualTo(img.path("RootFS").path("Layers").size())
                .isGreaterThan(1);
        assertThat(m.imageSizeBytes()).isEqualTo(img.path("Size").asLong()).isPositive();
        assertThat(m.contextBytes()).isGreaterThan(1024);
        assertThat(m.steps())
                .extracting(StepTiming::name)
                .anyMatch(n -> n.contains("RUN echo"))
                .anyMatch(n -> n.contains("COPY --from=build"));
        // The RUN changed the image (the build argument differs per run), so it ran rather than hit the cache.
        assertThat(m.steps())
                .filteredOn(s -> s.name().contains("RUN echo"))
                .singleElement()
                .matches(s -> !s.cached());
        assertThat(events)
                .anyMatch(e -> e.kind() == BuildProgress.Kind.STEP_DONE
                        && e.vertexName().contains("RUN"));
        assertThat(events)
                .filteredOn(e -> e.kind() == BuildProgress.Kind.STEP_STARTED)
                .extracting(BuildProgress::step)
                .startsWith(1, 2, 3)
                .doesNotHaveDuplicates();

        // The build argument reached the RUN step: check the file through a second build from the image.
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM " + t1 + "\nRUN grep -q 'howdy-" + RUN_ID
                        + " from ' /srv/release.txt && grep -q 'built by container-build' /srv/release.txt\n");
        try (BuildEngine engine = Podman.engine(Backend.PODMAN)) {
            assertThat(engine.build(BuildContext.builder().contextDir(dir).build(), null)
                            .imageId())
                    .startsWith("sha256:");
        }
    }

    @Test
    void targetSelectsTheStage() {
        String t = tag("hello-build-stage");
        try (BuildEngine engine = Podman.engine(Backend.PODMAN)) {
            engine.build(
                    BuildContext.builder()
                            .contextDir(HELLO)
                            .tag(t)
                            .target("build")
                            .build(),
                    null);
        }
        JsonValue img = Podman.inspect(t);
        assertThat(img.path("Config").path("WorkingDir").asText()).isEqualTo("/src");
        assertThat(img.path("Config").path("Labels").has("org.opencontainers.image.title"))
                .isFalse();
    }

    @Test
    void rebuildReportsEveryStepCachedAndNoCacheDoesNot() {
        BuildContext ctx = BuildContext.builder()
                .contextDir(HELLO)
                .tag(tag("hello-cache"))
                .target("final")
                .build();
        try (BuildEngine engine = Podman.engine(Backend.PODMAN)) {
            BuildResult first = engine.build(ctx, null);
            BuildResult second = engine.build(ctx, null);
            assertThat(second.imageId()).isEqualTo(first.imageId());
            assertThat(second.metrics().stepsTotal())
                    .isEqualTo(first.metrics().stepsTotal())
                    .isGreaterThanOrEqualTo(8);
            assertThat(second.metrics().stepsCached())
                    .isEqualTo(second.metrics().stepsTotal());
            assertThat(second.metrics().cacheMisses()).isZero();

            BuildResult fresh = engine.build(ctx.toBuilder().noCache(true).build(), null);
            assertThat(fresh.metrics().steps())
                    .filteredOn(s -> s.name().contains("RUN"))
                    .isNotEmpty()
                    .allMatch(s -> !s.cached());
            assertThat(fresh.metrics().stepsCached()).isLessThan(fresh.metrics().stepsTotal());
        }
    }

    @Test
    void failingRunNamesTheStepAndExitCode() throws IOException {
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM local/busybox:latest\nRUN echo before-" + RUN_ID + "\nRUN echo dying >&2; exit 7\n");
        try (BuildEngine engine = Podman.engine(Backend.PODMAN)) {
            assertThatThrownBy(() ->
                            engine.build(BuildContext.builder().contextDir(dir).build(), null))
                    .isInstanceOfSatisfying(BuildFailedException.class, e -> {
                        assertThat(e.step()).contains("RUN echo dying >&2; exit 7");
                        assertThat(e.exitCode()).isEqualTo(7);
                        assertThat(e.getMessage()).contains("RUN echo dying").contains("exit code 7");
                        assertThat(e.lastLogLines()).contains("dying");
                        assertThat(e.metrics().status()).isEqualTo(BuildStatus.FAILED);
                        assertThat(e.metrics().backend()).isEqualTo(Backend.PODMAN);
                    });
        }
    }

    @Test
    void networkNoneLeavesOnlyLoopback() throws IOException {
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM local/busybox:latest\n" + "RUN echo nets: $(ls /sys/class/net) " + RUN_ID + "\n");
        List<BuildProgress> events = new CopyOnWriteArrayList<>();
        try (BuildEngine engine = Podman.engine(Backend.PODMAN)) {
            engine.build(
                    BuildContext.builder()
                            .contextDir(dir)
                            .networkMode("none")
                            .noCache(true)
                            .build(),
                    events::add);
        }
        assertThat(events)
                .filteredOn(
                        e -> e.kind() == BuildProgress.Kind.LOG && e.message().startsWith("nets:"))
                .extracting(BuildProgress::message)
                .containsExactly("nets: lo " + RUN_ID);
    }

    @Test
    void extraHostsReachEtcHosts() throws IOException {
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM local/busybox:latest\n"
                        + "RUN grep -E '^10\\.1\\.2\\.3[[:space:]]+cb-extra-host$' /etc/hosts && echo " + RUN_ID
                        + "\n");
        try (BuildEngine engine = Podman.engine(Backend.PODMAN)) {
            assertThat(engine.build(
                                    BuildContext.builder()
                                            .contextDir(dir)
                                            .extraHost("cb-extra-host", "10.1.2.3")
                                            .build(),
                                    null)
                            .metrics()
                            .status())
                    .isEqualTo(BuildStatus.SUCCESS);
        }
    }

    @Test
    void cancelStopsTheBuild() throws Exception {
        Files.writeString(
                dir.resolve("Dockerfile"), "FROM local/busybox:latest\nRUN echo started-" + RUN_ID + " && sleep 120\n");
        CountDownLatch running = new CountDownLatch(1);
        try (BuildEngine engine = Podman.engine(Backend.PODMAN)) {
            CompletableFuture<BuildResult> f =
                    engine.buildAsync(BuildContext.builder().contextDir(dir).build(), e -> {
                        if (e.kind() == BuildProgress.Kind.LOG && e.message().startsWith("started-")) {
                            running.countDown();
                        }
                    });
            assertThat(running.await(60, TimeUnit.SECONDS)).isTrue();
            String id = engine.activeBuilds().get(0).buildId();
            engine.cancel(id);
            assertThatThrownBy(() -> f.join())
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOfSatisfying(
                            BuildFailedException.class,
                            e -> assertThat(e.metrics().status()).isEqualTo(BuildStatus.CANCELLED));
            assertThat(engine.activeBuilds()).isEmpty();
        }
    }
}
