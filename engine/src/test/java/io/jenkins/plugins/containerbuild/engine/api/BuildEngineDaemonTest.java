package io.jenkins.plugins.containerbuild.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import io.jenkins.plugins.containerbuild.engine.testing.Daemon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Builds against the real daemon, asserting through image inspect. */
@Tag("daemon")
class BuildEngineDaemonTest {
    private static final String RUN_ID = UUID.randomUUID().toString().substring(0, 8);
    private static final List<String> CREATED = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void daemon() {
        Daemon.assumeAvailable();
    }

    @AfterAll
    static void cleanUp() {
        CREATED.forEach(Daemon::removeImage);
    }

    @BeforeEach
    void context() throws IOException {
        Files.writeString(
                dir.resolve("Dockerfile"),
                String.join(
                        "\n",
                        "ARG BASE=" + Daemon.BASE_IMAGE,
                        "FROM ${BASE} AS build",
                        "ARG GREETING=hi",
                        "COPY msg.txt /msg.txt",
                        "RUN echo \"$GREETING $(cat /msg.txt) " + RUN_ID + "\" > /out.txt",
                        "FROM ${BASE} AS final",
                        "COPY --from=build /out.txt /out.txt",
                        "LABEL stage=final",
                        "FROM ${BASE} AS unused",
                        "RUN exit 7",
                        ""));
        Files.writeString(dir.resolve("msg.txt"), "from-context");
    }

    private static String tag(String name) {
        String t = "cb-test/" + name + ":" + RUN_ID;
        CREATED.add(t);
        return t;
    }

    @ParameterizedTest
    @EnumSource(
            value = Backend.class,
            names = {"BUILDKIT", "CLASSIC"})
    void buildsWithTagsLabelsArgsAndTarget(Backend backend) throws IOException {
        String t1 = tag("full-" + backend.name().toLowerCase());
        String t2 = tag("full2-" + backend.name().toLowerCase());
        List<BuildProgress> events = new ArrayList<>();
        BuildContext ctx = BuildContext.builder()
                .contextDir(dir)
                .tag(t1)
                .tag(t2)
                .buildArg("GREETING", "howdy")
                .label("team", "ci")
                .target("final")
                .build();
        BuildResult r;
        try (BuildEngine engine = Daemon.engine(backend)) {
            r = engine.build(ctx, events::add);
        }
        assertThat(r.imageId()).startsWith("sha256:");
        JsonValue img = Daemon.inspect(t1);
        assertThat(img.path("Id").asText()).isEqualTo(r.imageId());
        assertThat(Daemon.inspect(t2).path("Id").asText()).isEqualTo(r.imageId());
        assertThat(img.path("Config").path("Labels").path("team").asText()).isEqualTo("ci");
        assertThat(img.path("Config").path("Labels").path("stage").asText()).isEqualTo("final");
        BuildMetrics m = r.metrics();
        assertThat(m.status()).isEqualTo(BuildStatus.SUCCESS);
        assertThat(m.backend()).isEqualTo(backend);
        assertThat(m.layers())
                .isEqualTo(img.path("RootFS").path("Layers").size())
                .isGreaterThan(1);
        assertThat(m.imageSizeBytes()).isEqualTo(img.path("Size").asLong());
        // A fresh directory: the tar and the file sync (whose daemon copy starts empty) both send every file.
        assertThat(m.contextBytes())
                .isGreaterThanOrEqualTo(Files.size(dir.resolve("Dockerfile")) + Files.size(dir.resolve("msg.txt")));
        assertThat(m.steps())
                .extracting(StepTiming::name)
                .anyMatch(n -> n.contains("RUN echo"))
                .noneMatch(n -> n.contains("exit 7"));
        assertThat(events)
                .anyMatch(e -> e.kind() == BuildProgress.Kind.STEP_DONE
                        && e.vertexName().contains("RUN"));
        // The build argument reached the RUN step: run the image's file through a second build.
        Path probe = Files.createDirectory(dir.resolve("probe"));
        Files.writeString(probe.resolve("Dockerfile"), "FROM " + t1 + "\nRUN grep -q 'howdy from-context' /out.txt\n");
        try (BuildEngine engine = Daemon.engine(backend)) {
            assertThat(engine.build(BuildContext.builder().contextDir(probe).build(), null)
                            .imageId())
                    .startsWith("sha256:");
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Backend.class,
            names = {"BUILDKIT", "CLASSIC"})
    void rebuildIsFullyCachedAndNoCacheIsNot(Backend backend) {
        BuildContext ctx =
                BuildContext.builder().contextDir(dir).target("final").build();
        try (BuildEngine engine = Daemon.engine(backend)) {
            BuildResult first = engine.build(ctx, null);
            BuildResult second = engine.build(ctx, null);
            assertThat(second.imageId()).isEqualTo(first.imageId());
            assertThat(second.metrics().stepsTotal())
                    .isEqualTo(first.metrics().stepsTotal())
                    .isGreaterThanOrEqualTo(4);
            assertThat(second.metrics().stepsCached())
                    .isEqualTo(second.metrics().stepsTotal());
            assertThat(second.metrics().cacheMisses()).isZero();

            BuildResult fresh = engine.build(ctx.toBuilder().noCache(true).build(), null);
            assertThat(fresh.metrics().steps())
                    .filteredOn(s -> s.name().contains("RUN"))
                    .allMatch(s -> !s.cached())
                    .isNotEmpty();
            assertThat(fresh.metrics().stepsCached()).isLessThan(fresh.metrics().stepsTotal());
        }
    }

    /** On every daemon (v0.13 lists vertexes about in reverse) step n of m follows the Dockerfile's order. */
    @Test
    void stepsAreNumberedInDockerfileOrder() {
        List<BuildProgress> events = new ArrayList<>();
        try (BuildEngine engine = Daemon.engine(Backend.BUILDKIT)) {
            engine.build(
                    BuildContext.builder()
                            .contextDir(dir)
                            .target("final")
                            .noCache(true)
                            .build(),
                    events::add);
        }
        Pattern step = Pattern.compile("^\\[(build|final) (\\d+)/\\d+\\] .*");
        List<String> stages = List.of("build", "final");
        List<Integer> places = new ArrayList<>();
        events.stream()
                .filter(e -> e.kind() == BuildProgress.Kind.STEP_DONE || e.kind() == BuildProgress.Kind.STEP_CACHED)
                .sorted(java.util.Comparator.comparingInt(BuildProgress::step))
                .map(BuildProgress::vertexName)
                .filter(n -> !n.contains("] FROM ")) // one FROM serves both stages
                .map(step::matcher)
                .filter(Matcher::matches)
                .forEach(m -> places.add(stages.indexOf(m.group(1)) * 100 + Integer.parseInt(m.group(2))));
        assertThat(places)
                .as(
                        "the steps of %s by number: %s",
                        Daemon.name(),
                        events.stream()
                                .filter(e -> e.step() > 0)
                                .map(e -> e.step() + " " + e.vertexName())
                                .distinct()
                                .toList())
                .hasSizeGreaterThanOrEqualTo(3)
                .isSorted();
        // The base image both stages build on comes first.
        assertThat(events)
                .filteredOn(e -> e.step() == 1)
                .extracting(BuildProgress::vertexName)
                .allMatch(n -> n.contains("] FROM "))
                .isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(
            value = Backend.class,
            names = {"BUILDKIT", "CLASSIC"})
    void failingRunNamesTheStepAndExitCode(Backend backend) {
        BuildContext ctx =
                BuildContext.builder().contextDir(dir).target("unused").build();
        try (BuildEngine engine = Daemon.engine(backend)) {
            assertThatThrownBy(() -> engine.build(ctx, null)).isInstanceOfSatisfying(BuildFailedException.class, e -> {
                assertThat(e.step()).contains("RUN exit 7");
                assertThat(e.exitCode()).isEqualTo(7);
                assertThat(e.getMessage()).contains("RUN exit 7").contains("exit code 7");
                assertThat(e.metrics().status()).isEqualTo(BuildStatus.FAILED);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Backend.class,
            names = {"BUILDKIT", "CLASSIC"})
    void symlinkToAFileOutsideTheContextSendsTheLinkNotTheFile(Backend backend, @TempDir Path outside)
            throws IOException {
        Path secret = outside.resolve("outside.txt");
        Files.writeString(secret, "OUTSIDE-MARKER-" + RUN_ID);
        Path ctx = Files.createDirectory(dir.resolve("links"));
        Files.createSymbolicLink(ctx.resolve("link"), secret);
        // The build fails unless /ctx/link is a dangling link and the marker is nowhere under /ctx.
        Files.writeString(
                ctx.resolve("Dockerfile"),
                "FROM " + Daemon.BASE_IMAGE + "\nCOPY . /ctx\n"
                        + "RUN test -L /ctx/link && [ \"$(readlink /ctx/link)\" = \"" + secret
                        + "\" ] && ! test -e /ctx/link"
                        + " && rm /ctx/Dockerfile && ! (cat /ctx/* 2>/dev/null | grep -q OUTSIDE-MARKER)\n");
        try (BuildEngine engine = Daemon.engine(backend)) {
            BuildResult r = engine.build(
                    BuildContext.builder().contextDir(ctx).noCache(true).build(), null);
            assertThat(r.metrics().status()).isEqualTo(BuildStatus.SUCCESS);
            assertThat(r.metrics().contextBytes()).isLessThan(16 * 1024);
        }
    }

    @Test
    void aFileNameTheJvmCannotDecodeIsRefusedBeforeTheBuildIsRegistered() throws Exception {
        // A name that is not UTF-8 decodes with U+FFFD: the archive would send another name, or the walk
        // would fail half-way through the upload. Refused before anything reaches the daemon instead.
        Process touch = new ProcessBuilder("sh", "-c", "touch \"$(printf 'caf\\351.txt')\"")
                .directory(dir.toFile())
                .start();
        assertThat(touch.waitFor()).isZero();
        try (BuildEngine engine =
                BuildEngine.builder().endpoint(Daemon.endpoint()).build()) {
            BuildContext ctx = BuildContext.builder().contextDir(dir).build();
            assertThatThrownBy(() -> engine.build(ctx, null))
                    .isInstanceOf(InvalidBuildContextException.class)
                    .hasMessageStartingWith("contextDir: ")
                    .hasMessageContaining("LANG=C.UTF-8");
            assertThat(engine.activeBuilds()).isEmpty();
        }
    }

    @Test
    void unreachableDaemonNamesTheHost() {
        try (BuildEngine engine = BuildEngine.builder()
                .dockerHost("unix:///nonexistent/docker.sock")
                .build()) {
            BuildContext ctx = BuildContext.builder().contextDir(dir).build();
            assertThatThrownBy(() -> engine.build(ctx, null))
                    .isInstanceOf(DaemonUnreachableException.class)
                    .hasMessageContaining("unix:///nonexistent/docker.sock");
        }
    }

    @Test
    void autoPicksBuildKitOnThisDaemon() {
        try (BuildEngine engine = Daemon.engine(Backend.AUTO)) {
            assertThat(engine.resolveBackend()).isEqualTo(Backend.BUILDKIT);
        }
    }
}
