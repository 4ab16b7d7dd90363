package io.jenkins.plugins.containerbuild.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.testing.Buildkitd;
import io.jenkins.plugins.containerbuild.engine.testing.PrivateBuildkitd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code build} on a buildkitd killed during a RUN: exit code 3, one clear line, no stack trace. */
@Tag("buildkitd")
class BuilderDiesCliBuildkitdTest {
    @Test
    void aKilledBuilderExitsWithThreeAndSaysWhichStepItWasRunning(@TempDir Path dir) throws Exception {
        Buildkitd.require();
        Files.copy(Path.of("/bin/busybox"), dir.resolve("busybox"));
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"sleep\", \"25\"]\n");
        try (PrivateBuildkitd builder = PrivateBuildkitd.start(Path.of("/tmp", "cb-bk-" + UUID.randomUUID()))) {
            String unix = "unix://" + builder.socket();
            CompletableFuture<CliRun> run =
                    CompletableFuture.supplyAsync(() -> CliRun.of("build", "--builder", unix, dir.toString()));
            assertThat(builder.awaitProcess("sleep", 120))
                    .as("the RUN step started")
                    .isTrue();
            builder.kill();
            CliRun r = run.get(10, TimeUnit.SECONDS);
            assertThat(r.exit()).as(r.err()).isEqualTo(Main.EXIT_UNREACHABLE);
            assertThat(r.err())
                    .contains("error: the buildkitd at " + unix + " went away during step '")
                    .contains("sleep")
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ");
        }
    }
}
