package io.jenkins.plugins.containerbuild.engine.controlapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildFailedException;
import io.jenkins.plugins.containerbuild.engine.api.BuildOutput;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import io.jenkins.plugins.containerbuild.engine.testing.Buildkitd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code type=local,dest=DIR} on the real buildkitd: the builder sends the result's tree over the session and it is
 * written whole (directories, files with their modes, symlinks, hard links, a large file in many chunks), or, when
 * the build fails, not at all. An image output and a local output in one build each reach their place.
 */
@Tag("buildkitd")
class ControlApiLocalOutputBuildkitdTest {
    @BeforeEach
    void builder() {
        Buildkitd.require();
    }

    /** A busybox-based Dockerfile whose last stage is the tree to export. */
    private static Path context(Path dir, String run) throws Exception {
        Files.copy(Path.of("/bin/busybox"), dir.resolve("busybox"));
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM scratch AS work\n"
                        + "COPY busybox /bin/busybox\n"
                        + "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"" + run + "\"]\n"
                        + "FROM scratch\n"
                        + "COPY --from=work /out/ /\n");
        return dir;
    }

    private static String tree() {
        String b = "/bin/busybox ";
        return b + "mkdir -p /out/bin /out/etc/deep/er && "
                + b + "echo hello > /out/etc/greeting && "
                + b + "printf '#!/bin/sh\\\\necho hi\\\\n' > /out/bin/tool && " + b + "chmod 0750 /out/bin/tool && "
                + b + "ln -s ../etc/greeting /out/bin/link && "
                + b + "ln /out/etc/greeting /out/etc/hard && "
                + b + "touch /out/etc/deep/er/empty && "
                + b + "dd if=/dev/zero of=/out/big bs=1024 count=3000 2>/dev/null && "
                + b + "chmod 0555 /out/etc/deep";
    }

    @Test
    void theTreeIsWrittenWithModesLinksAndContents(@TempDir Path dir, @TempDir Path out) throws Exception {
        Path dest = out.resolve("rootfs");
        BuildContext ctx = BuildContext.builder()
                .contextDir(context(dir, tree() + " && /bin/busybox echo " + UUID.randomUUID()))
                .outputs(List.of(BuildOutput.parse("outputs", "type=local,dest=" + dest)))
                .build();
        BuildResult r;
        try (BuildEngine engine =
                BuildEngine.builder().builder(Buildkitd.unix()).build()) {
            r = engine.build(ctx, null);
        }
        assertThat(r.imageId()).isNull();
        assertThat(dest.resolve("etc/greeting")).hasContent("hello");
        assertThat(Files.readString(dest.resolve("bin/tool"))).isEqualTo("#!/bin/sh\necho hi\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dest.resolve("bin/tool"))))
                .isEqualTo("rwxr-x---");
        assertThat(Files.isSymbolicLink(dest.resolve("bin/link"))).isTrue();
        assertThat(Files.readSymbolicLink(dest.resolve("bin/link"))).isEqualTo(Path.of("../etc/greeting"));
        assertThat(Files.getAttribute(dest.resolve("etc/hard"), "unix:ino"))
                .isEqualTo(Files.getAttribute(dest.resolve("etc/greeting"), "unix:ino"));
        assertThat(dest.resolve("etc/deep/er/empty")).isEmptyFile();
        assertThat(Files.size(dest.resolve("big"))).isEqualTo(3000 * 1024L);
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(dest.resolve("etc/deep"), LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("r-xr-xr-x");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("rootfs");
        }
    }

    @Test
    void anImageAndALocalTreeInOneBuild(@TempDir Path dir, @TempDir Path out) throws Exception {
        Path dest = out.resolve("files");
        BuildContext ctx = BuildContext.builder()
                .contextDir(Buildkitd.context(dir, UUID.randomUUID().toString()))
                .tag("cb-test/local-and-image:1")
                .outputs(List.of(
                        BuildOutput.parse("outputs", "type=image"),
                        BuildOutput.parse("outputs", "type=local,dest=" + dest)))
                .build();
        BuildResult r;
        try (BuildEngine engine =
                BuildEngine.builder().builder(Buildkitd.unix()).build()) {
            r = engine.build(ctx, null);
        }
        assertThat(r.imageId()).startsWith("sha256:");
        assertThat(dest.resolve("marker.txt")).exists();
    }

    @Test
    void aFailedBuildWritesNothingAndTheSecretIsNowhere(@TempDir Path dir, @TempDir Path out) throws Exception {
        String secret = "s3cr3t-" + UUID.randomUUID();
        Path dest = out.resolve("rootfs");
        Path tar = out.resolve("rootfs.tar");
        Files.copy(Path.of("/bin/busybox"), dir.resolve("busybox"));
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM scratch\n"
                        + "COPY busybox /bin/busybox\n"
                        + "RUN --mount=type=secret,id=tok [\"/bin/busybox\", \"sh\", \"-c\","
                        + " \"/bin/busybox cat /run/secrets/tok; exit 3\"]\n");
        BuildContext ctx = BuildContext.builder()
                .contextDir(dir)
                .noCache(true)
                .secret("tok", SecretSource.ofBytes(secret.getBytes(StandardCharsets.UTF_8)))
                .outputs(List.of(
                        BuildOutput.parse("outputs", "type=local,dest=" + dest),
                        BuildOutput.parse("outputs", "type=tar,dest=" + tar)))
                .build();
        try (BuildEngine engine =
                BuildEngine.builder().builder(Buildkitd.unix()).build()) {
            assertThatThrownBy(() -> engine.build(ctx, null))
                    .isInstanceOf(BuildFailedException.class)
                    .hasMessageContaining("exit code: 3")
                    .satisfies(e -> assertThat(e.toString()).doesNotContain(secret));
        }
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aDestinationThatCannotTakeTheOutputIsRefusedBeforeBuilding(@TempDir Path dir, @TempDir Path out)
            throws Exception {
        Path ctxDir = Buildkitd.context(dir, "x");
        Path full = Files.createDirectories(out.resolve("full"));
        Files.writeString(full.resolve("old.txt"), "old");
        Path file = Files.writeString(out.resolve("file"), "f");
        try (BuildEngine engine =
                BuildEngine.builder().builder(Buildkitd.unix()).build()) {
            assertThatThrownBy(() -> engine.build(withOutput(ctxDir, "type=local,dest=" + full), null))
                    .isInstanceOf(InvalidBuildContextException.class)
                    .hasMessageStartingWith("outputs: ")
                    .hasMessageContaining("already exists and is not empty; remove it first");
            assertThatThrownBy(() -> engine.build(withOutput(ctxDir, "type=local,dest=" + file), null))
                    .isInstanceOf(InvalidBuildContextException.class)
                    .hasMessageContaining("is not a directory; type=local needs a directory");
            assertThatThrownBy(() -> engine.build(withOutput(ctxDir, "type=tar,dest=" + full), null))
                    .isInstanceOf(InvalidBuildContextException.class)
                    .hasMessageContaining("is a directory; type=tar writes one file");
            assertThatThrownBy(() -> engine.build(withOutput(ctxDir, "type=oci,dest=" + file.resolve("x.tar")), null))
                    .isInstanceOf(InvalidBuildContextException.class)
                    .hasMessageContaining("cannot be written: " + file + " is not a directory");
            // An existing empty directory is taken, as is an existing file for a file output.
            Path empty = Files.createDirectories(out.resolve("empty"));
            engine.build(withOutput(ctxDir, "type=local,dest=" + empty), null);
            engine.build(withOutput(ctxDir, "type=tar,dest=" + file), null);
            assertThat(empty.resolve("marker.txt")).hasContent("x");
            assertThat(Files.size(file)).isGreaterThan(1024);
        }
        assertThat(full.resolve("old.txt")).hasContent("old");
    }

    private static BuildContext withOutput(Path ctxDir, String output) {
        return BuildContext.builder()
                .contextDir(ctxDir)
                .outputs(List.of(BuildOutput.parse("outputs", output)))
                .build();
    }
}
