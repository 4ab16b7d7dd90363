package io.jenkins.plugins.containerbuild.bench;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * Runs the buildkitd scenarios once at tiny size against the test buildkitd and its buildctl, so that the harness's
 * buildctl side cannot rot; asserts the output's shape, not timings.
 */
@Tag("buildkitd")
class BenchBuildkitdSmokeTest {
    @Test
    void theBuildctlScenariosRunOnceAndTheReportHasTheirTable(@TempDir Path tmp) throws Exception {
        String address = System.getenv("CB_TEST_BUILDKIT_UNIX");
        String buildctl = System.getenv("CB_TEST_BUILDCTL");
        BenchSmokeTest.require(
                address != null && buildctl != null && Files.isExecutable(Path.of(buildctl)),
                "no test buildkitd (CB_TEST_BUILDKIT_UNIX, CB_TEST_BUILDCTL; run scripts/start-buildkitd.sh start)");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path doc = tmp.resolve("benchmarks.md");
        Bench.Target target = new Bench.Target("buildkitd-0.13", null, null, null, address, buildctl);
        List<Bench.Result> results = Bench.run(new Bench.Options(
                        1,
                        Bench.Scale.TINY,
                        tmp.resolve("work"),
                        doc,
                        List.of(target),
                        Set.of(),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        false))
                .get(target);

        assertThat(results).extracting(Bench.Result::id).containsExactly("S1", "S2", "S3", "S4", "S7", "S8");
        assertThat(results).filteredOn(r -> !r.id().equals("S7")).allSatisfy(r -> {
            assertThat(r.engine().median()).as(r.id() + " engine").isPositive();
            assertThat(r.cli().median()).as(r.id() + " buildctl").isPositive();
        });
        assertThat(results.get(1).notes()).contains("one bare `Solve`");
        assertThat(results.get(3).notes()).containsPattern("engine sent 64\\.[0-4] KiB");
        // S8: from the registry cache every step of the build is cached on the emptied builder.
        assertThat(results.get(5).notes()).containsPattern("with the cache (\\d+) of \\1 steps cached");
        String md = Files.readString(doc);
        assertThat(md).contains("### buildkitd-0.13", "buildctl github.com/moby/buildkit");
    }
}
