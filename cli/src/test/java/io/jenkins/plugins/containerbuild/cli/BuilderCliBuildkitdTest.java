package io.jenkins.plugins.containerbuild.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prune}, {@code stats} and {@code build} with {@code --builder} against the real buildkitd of the test run. */
@Tag("buildkitd")
class BuilderCliBuildkitdTest {
    private String unix;
    private String tcp;
    private String tls;

    @BeforeEach
    void builder() {
        unix = System.getenv("CB_TEST_BUILDKIT_UNIX");
        tcp = System.getenv("CB_TEST_BUILDKIT_TCP");
        tls = System.getenv("CB_TEST_BUILDKIT_TLS");
        boolean present = unix != null && Files.exists(Path.of(unix.substring("unix://".length())));
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("no buildkitd: scripts/start-buildkitd.sh start (the buildkitd-0.13 Surefire execution names it)");
        }
        Assumptions.assumeTrue(present, "no buildkitd");
    }

    @Test
    void pruneAndStatsWorkOnTheBuildkitdOverUnixAndTcpWithTls() {
        CliRun prune = CliRun.of("prune", "--all", "--builder", unix);
        assertThat(prune.exit()).as(prune.err()).isZero();
        assertThat(prune.out()).matches("(?s)deleted \\d+ cache records, reclaimed .* MB\\s*");
        CliRun stats = CliRun.of("stats", "--builder", tcp, "--builder-tls-dir", tls);
        assertThat(stats.exit()).as(stats.err()).isZero();
        assertThat(stats.out()).contains("build cache:");
    }

    @Test
    void withoutTheClientCertificateTheTcpBuilderIsUnreachableAndTheErrorSaysWhy() {
        CliRun r = CliRun.of("stats", "--builder", tcp);
        assertThat(r.exit()).isEqualTo(Main.EXIT_UNREACHABLE);
        assertThat(r.err()).contains("cannot reach the builder at " + tcp).contains("--builder-tls-dir");
    }

    @Test
    void aBuildOnTheBuildkitdPrintsItsImageAndMetrics(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\nCOPY hello.txt /\n");
        Files.writeString(dir.resolve("hello.txt"), "hello " + System.nanoTime());
        CliRun r = CliRun.of("build", dir.toString(), "--builder", unix, "-t", "cb-test/cli:1", "--progress", "plain");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("COPY hello.txt /").containsPattern("image: sha256:[0-9a-f]{64}");
        assertThat(r.out()).containsPattern("metrics: SUCCESS in [0-9.]+s, \\d+ steps");
    }

    @Test
    void historyListsTheBuildsTheBuildkitdRemembers(@TempDir Path dir) throws Exception {
        // scratch has no shell: the RUN fails on the builder (not in the validator).
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\nRUN echo " + System.nanoTime() + "\n");
        CliRun failed = CliRun.of("build", dir.toString(), "--builder", unix, "--progress", "plain");
        assertThat(failed.exit()).as(failed.err()).isEqualTo(Main.EXIT_FAILED);
        CliRun r = CliRun.of("history", "--builder", unix, "--limit", "5");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("REF", "STARTED (UTC)", "CACHED", "STATE").containsPattern("\\d+ of \\d+ builds");
        assertThat(r.out().lines().filter(l -> l.contains("failed:"))).isNotEmpty();
        assertThat(CliRun.of("history", "--builder", unix, "--limit", "0").exit())
                .isNotZero();
    }
}
