package io.jenkins.plugins.containerbuild.engine.controlapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.BatchOptions;
import io.jenkins.plugins.containerbuild.engine.api.BatchOutcome;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildFailedException;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.testing.Buildkitd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's timeout and batch, unchanged, on the real buildkitd: a timed-out build is cancelled there. */
@Tag("buildkitd")
class ControlApiTimeoutAndBatchBuildkitdTest {
    /** A sleep no other process here runs, so that its process can be looked for. */
    private static final String SLEEP = "1237";

    private static boolean sleeperRuns() {
        return ProcessHandle.allProcesses()
                .anyMatch(p -> p.info().commandLine().orElse("").endsWith("sleep " + SLEEP));
    }

    @BeforeEach
    void builder() {
        Buildkitd.require();
    }

    @Test
    void aBuildPastItsTimeoutIsCancelledAndTheNextBuildWorks(@TempDir Path dir) throws Exception {
        Files.copy(Path.of("/bin/busybox"), dir.resolve("busybox"));
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM scratch\nCOPY busybox /bin/busybox\n" + "RUN [\"/bin/busybox\", \"sleep\", \"" + SLEEP + "\"]\n");
        BuildContext slow = BuildContext.builder().contextDir(dir).noCache(true).build();
        try (BuildEngine engine = BuildEngine.builder()
                .builder(Buildkitd.unix())
                .buildTimeout(Duration.ofSeconds(3))
                .build()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> engine.build(slow, null))
                    .isInstanceOfSatisfying(
                            BuildFailedException.class,
                            e -> assertThat(e.metrics().status()).isEqualTo(BuildStatus.CANCELLED))
                    .hasMessageContaining("timed out after PT3S");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
            assertThat(engine.activeBuilds()).isEmpty();
            // The buildkitd stops the step too: its RUN process goes away.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (sleeperRuns() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(sleeperRuns())
                    .as("the timed-out RUN step still runs on the buildkitd")
                    .isFalse();
            Path quick = Buildkitd.context(
                    Files.createDirectory(dir.resolve("quick")),
                    UUID.randomUUID().toString());
            assertThat(engine.build(BuildContext.builder().contextDir(quick).build(), null)
                            .imageId())
                    .startsWith("sha256:");
        }
    }

    @Test
    void aBatchRunsEveryBuildOnTheBuildkitd(@TempDir Path dir) throws Exception {
        List<BuildContext> builds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path ctx = Buildkitd.context(
                    Files.createDirectory(dir.resolve("b" + i)),
                    UUID.randomUUID().toString());
            builds.add(BuildContext.builder().contextDir(ctx).build());
        }
        try (BuildEngine engine = BuildEngine.builder().builder(Buildkitd.tcp()).build()) {
            List<BatchOutcome> outcomes = engine.buildBatch(
                    builds, BatchOptions.builder().maxParallel(2).build(), null);
            assertThat(outcomes)
                    .hasSize(3)
                    .allSatisfy(o -> assertThat(o.status()).isEqualTo(BuildStatus.SUCCESS));
        }
    }
}
