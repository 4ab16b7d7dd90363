package io.jenkins.plugins.containerbuild.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end against the real daemon (each test daemon, DOCKER_HOST), as a user runs it. */
@Tag("daemon")
class CliDaemonTest {
    private static final Path HELLO =
            Path.of("../examples/hello").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static synchronized Run cli(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static void assumeDaemon() {
        Run r = cli("stats");
        String why = "no Docker daemon answers (run scripts/setup.sh as root): " + r.err();
        // In CI a missing daemon fails the test instead of skipping it.
        assertThat("true".equalsIgnoreCase(System.getenv("CI")) && r.exit() != 0)
                .as(why)
                .isFalse();
        assumeTrue(r.exit() == 0, why);
    }

    @Test
    void buildWithJsonProgressWritesMetadataAndEveryStepIsCachedNextTime() throws Exception {
        assumeDaemon();
        Path meta = dir.resolve("meta.json");
        Run first = cli(
                "build",
                HELLO.toString(),
                "-t",
                "cb-cli-test/hello:1",
                "--progress",
                "json",
                "--metadata-file",
                meta.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        List<JsonNode> events = new ArrayList<>();
        for (String line : first.out().split("\n")) {
            events.add(JSON.readTree(line)); // stdout is JSON only
        }
        assertThat(events)
                .anyMatch(e -> e.path("kind").asText().equals("STEP_DONE")
                        || e.path("kind").asText().equals("STEP_CACHED"));
        assertThat(first.err()).contains("image: sha256:");
        JsonNode m = JSON.readTree(meta.toFile());
        assertThat(m.path("imageId").asText()).startsWith("sha256:");
        assertThat(m.path("tags").get(0).asText()).isEqualTo("cb-cli-test/hello:1");
        JsonNode metrics = m.path("metrics");
        assertThat(metrics.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(metrics.path("stepsTotal").asInt()).isEqualTo(5); // 2 FROMs merged + WORKDIR, COPY, RUN, COPY --from
        for (String f : List.of(
                "durationMillis",
                "stepsCached",
                "cacheHits",
                "cacheMisses",
                "layers",
                "imageSizeBytes",
                "contextBytes",
                "backend")) {
            assertThat(metrics.has(f)).as(f).isTrue();
        }
        assertThat(metrics.path("layers").asInt()).isEqualTo(2);
        assertThat(metrics.path("backend").asText()).isEqualTo("BUILDKIT");

        Run second = cli("build", HELLO.toString(), "--progress", "plain", "--metadata-file", meta.toString());
        assertThat(second.exit()).isZero();
        JsonNode again = JSON.readTree(meta.toFile()).path("metrics");
        assertThat(again.path("stepsCached").asInt())
                .isEqualTo(again.path("stepsTotal").asInt())
                .isEqualTo(5);
        assertThat(second.out()).contains(": CACHED").contains("metrics: SUCCESS");

        Path html = dir.resolve("report.html");
        Run report = cli("report", meta.toString(), "-o", html.toString());
        assertThat(report.exit()).as(report.err()).isZero();
        assertThat(Files.readString(html))
                .contains("<svg")
                .contains("100%")
                .contains("[build 4/4] RUN")
                .contains(JSON.readTree(meta.toFile()).path("imageId").asText().substring(7, 19));
    }

    @Test
    void exitCodesSayWhatWentWrong() throws Exception {
        Run bad = cli("build", HELLO.toString(), "-t", "Not A Tag");
        assertThat(bad.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(bad.err()).contains("tags:");
        Run unknownOption = cli("build", "--frobnicate", HELLO.toString());
        assertThat(unknownOption.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        Run noDaemon = cli("build", HELLO.toString(), "-H", "unix:///nonexistent/docker.sock");
        assertThat(noDaemon.exit()).isEqualTo(Main.EXIT_UNREACHABLE);
        assertThat(noDaemon.err()).contains("unix:///nonexistent/docker.sock");

        assumeDaemon();
        Path ctx = Files.createDirectory(dir.resolve("fails"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM local/busybox:latest\nRUN echo about to fail && exit 9\n");
        Run failed = cli("build", ctx.toString(), "--progress", "plain");
        assertThat(failed.exit()).isEqualTo(Main.EXIT_FAILED);
        assertThat(failed.err()).contains("RUN echo about to fail && exit 9").contains("exit code 9");
    }

    @Test
    void validateExportAndBatch() throws Exception {
        Path df = dir.resolve("Dockerfile");
        Files.writeString(df, "FROM local/busybox:latest\nCOPY onlyone\n");
        Run invalid = cli("validate", "-f", df.toString());
        assertThat(invalid.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(invalid.out()).contains(":2:").contains("error");
        assertThat(cli("validate", "-f", HELLO.resolve("Dockerfile").toString()).exit())
                .isZero();

        Run list = cli("export", HELLO.toString(), "--list");
        assertThat(list.exit()).isZero();
        assertThat(list.out())
                .contains("app/message.txt")
                .contains("Dockerfile")
                .contains("4 entries");
        Path tar = dir.resolve("ctx.tar.gz");
        assertThat(cli("export", HELLO.toString(), "-o", tar.toString(), "--gzip")
                        .exit())
                .isZero();
        assertThat(Files.size(tar)).isPositive();
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));

        assumeDaemon();
        Path file = dir.resolve("builds.yaml");
        Files.writeString(
                file,
                "maxParallel: 2\nbuilds:\n  - name: one\n    context: " + HELLO + "\n  - name: two\n    context: "
                        + HELLO + "\n    target: build\n");
        Run batch = cli("batch", file.toString());
        assertThat(batch.exit()).as(batch.err()).isZero();
        assertThat(batch.out())
                .contains("one: SUCCESS sha256:")
                .contains("two: SUCCESS sha256:")
                .contains("one | ")
                .contains("two | ");
    }
}
