package io.jenkins.plugins.containerbuild.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every scenario once against each test daemon (DOCKER_HOST) at tiny size so the harness cannot rot; asserts the output's shape, not timings. */
@Tag("daemon")
class BenchSmokeTest {
    /** The docker CLI of the run's daemon (set per daemon by the Surefire executions). */
    private static final String DOCKER = System.getenv().getOrDefault("CB_TEST_DOCKER_CLI", "/usr/bin/docker");

    @Test
    void everyScenarioRunsOnceAndTheReportIsWritten(@TempDir Path tmp) throws Exception {
        boolean cli = Files.isExecutable(Path.of(DOCKER));
        require(cli, "no docker CLI at " + DOCKER);
        Process p = new ProcessBuilder(DOCKER, "image", "inspect", Bench.BASE_IMAGE)
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        require(p.waitFor() == 0, "no daemon with " + Bench.BASE_IMAGE + " (run scripts/setup.sh as root)");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path doc = tmp.resolve("benchmarks.md");
        Bench.Target daemon = new Bench.Target(
                System.getenv().getOrDefault("CB_TEST_DAEMON", "test daemon"),
                null,
                DOCKER,
                System.getenv("DOCKER_CONFIG"));
        List<Bench.Result> results = Bench.run(new Bench.Options(
                        1,
                        Bench.Scale.TINY,
                        tmp.resolve("work"),
                        doc,
                        List.of(daemon),
                        Set.of(),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        false))
                .get(daemon);

        assertThat(results).extracting(Bench.Result::id).containsExactly("S1", "S2", "S3", "S4", "S5", "S6", "S7");
        assertThat(results).filteredOn(r -> !r.id().equals("S7")).allSatisfy(r -> {
            assertThat(r.engine().median()).as(r.id() + " engine").isPositive();
            assertThat(r.cli().median()).as(r.id() + " CLI").isPositive();
        });
        // S4 after one small change: the engine sent about that file, not the context (dockerd 26's frontend also
        // pulls the Dockerfile, a few hundred bytes, on every build).
        assertThat(results.get(3).notes()).containsPattern("engine sent 64\\.[0-4] KiB");
        // S6 finished in a 64 MiB heap and measured its memory.
        assertThat(results.get(5).goalMet()).isTrue();
        assertThat(results.get(5).notes())
                .containsPattern("peak RSS [0-9.]+ MiB, peak heap [0-9.]+ (MiB|KiB) of")
                .contains("engine sent 6.0 MiB per build");
        String lines = out.toString(StandardCharsets.UTF_8);
        assertThat(lines.lines().filter(l -> l.startsWith("bench ")).toList())
                .hasSize(7)
                .allMatch(l -> l.matches("bench S[1-7] engine_ms=-?\\d+ cli_ms=-?\\d+ ratio=-?\\d+\\.\\d\\d"));
        String md = Files.readString(doc);
        assertThat(md)
                .contains(
                        "### " + daemon.label(),
                        "| scenario | engine median (ms) | CLI median (ms) | ratio engine/CLI |",
                        "## Machine",
                        "bench/run.sh");
        for (Bench.Result r : results) {
            assertThat(md)
                    .contains(
                            "| " + r.id() + " " + r.title() + " | " + r.engine().median() + " | ");
        }
    }

    /** Skips without what the test needs; in CI (CI=true) fails instead. */
    static void require(boolean present, String why) {
        assertThat("true".equalsIgnoreCase(System.getenv("CI")) && !present)
                .as("CI=true and " + why)
                .isFalse();
        assumeTrue(present, why);
    }
}
