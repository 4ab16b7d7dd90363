package io.jenkins.plugins.containerbuild.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code validate --buildkit}: the frontend a Dockerfile is checked for. */
class ValidateCommandTest {
    @TempDir
    Path dir;

    @Test
    void aHeredocIsAnErrorForDockerd2010sFrontendAndFineForBuildKitV013() throws IOException {
        Path df = dir.resolve("Dockerfile");
        Files.writeString(df, "FROM local/busybox:latest\nRUN <<EOF\necho hi\nEOF\n");

        CliDaemonTest.Run old = CliDaemonTest.cli("validate", "-f", df.toString());
        assertThat(old.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(old.out()).contains("heredoc", "dockerd 20.10", "Docker Engine 23.0");

        CliDaemonTest.Run modern = CliDaemonTest.cli("validate", "--buildkit", "0.13", "-f", df.toString());
        assertThat(modern.exit()).as(modern.out() + modern.err()).isZero();
        assertThat(modern.out()).contains("ok (0 warnings)");

        CliDaemonTest.Run bad = CliDaemonTest.cli("validate", "--buildkit", "1.x", "-f", df.toString());
        assertThat(bad.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(bad.err()).contains("--buildkit", "0.13");
    }
}
