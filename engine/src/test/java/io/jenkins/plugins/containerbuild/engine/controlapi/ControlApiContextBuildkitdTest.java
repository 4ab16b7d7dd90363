package io.jenkins.plugins.containerbuild.engine.controlapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildOutput;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.testing.Buildkitd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The context on the real buildkitd: {@code .dockerignore} keeps out what it names (with its exceptions), the same as
 * on a Docker daemon; a rebuild after changing one file sends about that file only (the builder's copy is kept per
 * shared key); and the Dockerfile is checked against the builder's own frontend (v0.13) before anything is sent.
 */
@Tag("buildkitd")
class ControlApiContextBuildkitdTest {
    @BeforeEach
    void builder() {
        Buildkitd.require();
    }

    @Test
    void dockerignoreAndTheIncrementalContext(@TempDir Path dir, @TempDir Path out) throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\nCOPY . /ctx/\n");
        Files.writeString(dir.resolve(".dockerignore"), "*.log\nsecret/\n!keep.log\n");
        Files.writeString(dir.resolve("a.log"), "ignored");
        Files.writeString(dir.resolve("keep.log"), "kept by the exception");
        Files.createDirectories(dir.resolve("secret"));
        Files.writeString(dir.resolve("secret/key"), "ignored");
        Files.createDirectories(dir.resolve("data"));
        byte[] chunk = new byte[256 * 1024];
        Random rnd = new Random(42);
        for (int i = 0; i < 8; i++) {
            rnd.nextBytes(chunk);
            Files.write(dir.resolve("data/f" + i + ".bin"), chunk);
        }
        try (BuildEngine engine =
                BuildEngine.builder().builder(Buildkitd.unix()).build()) {
            BuildResult first = engine.build(withOutput(dir, out.resolve("one")), null);
            assertThat(first.metrics().contextBytes()).isGreaterThanOrEqualTo(8 * 256 * 1024L);
            assertThat(out.resolve("one/ctx/keep.log")).hasContent("kept by the exception");
            assertThat(out.resolve("one/ctx/a.log")).doesNotExist();
            assertThat(out.resolve("one/ctx/secret")).doesNotExist();
            assertThat(out.resolve("one/ctx/data/f7.bin")).exists();

            rnd.nextBytes(chunk);
            Files.write(dir.resolve("data/f3.bin"), chunk);
            BuildResult second = engine.build(withOutput(dir, out.resolve("two")), null);
            // One 256 KiB file and the small ones the frontend always reads (Dockerfile, .dockerignore).
            assertThat(second.metrics().contextBytes()).isBetween(256 * 1024L, 256 * 1024L + 4096);
            assertThat(Files.readAllBytes(out.resolve("two/ctx/data/f3.bin"))).isEqualTo(chunk);
        }
    }

    private static BuildContext withOutput(Path dir, Path dest) {
        return BuildContext.builder()
                .contextDir(dir)
                .outputs(List.of(BuildOutput.parse("outputs", "type=local,dest=" + dest)))
                .build();
    }

    @Test
    void theDockerfileIsCheckedAgainstTheBuildersFrontend(@TempDir Path dir) throws Exception {
        // Heredocs are built from v0.10 on: accepted here. COPY --exclude only from v0.18 (Docker 27.2): refused,
        // naming the buildkitd, before anything is sent.
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\nCOPY <<EOF /hello\nhi\nEOF\n");
        try (BuildEngine engine =
                BuildEngine.builder().builder(Buildkitd.unix()).build()) {
            engine.build(BuildContext.builder().contextDir(dir).build(), null);
            Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\nCOPY --exclude=*.tmp . /app/\n");
            assertThatThrownBy(() ->
                            engine.build(BuildContext.builder().contextDir(dir).build(), null))
                    .isInstanceOf(InvalidBuildContextException.class)
                    .hasMessageStartingWith("dockerfile: ")
                    .hasMessageContaining("--exclude")
                    .hasMessageContaining("the buildkitd at " + Buildkitd.unix());
        }
    }
}
