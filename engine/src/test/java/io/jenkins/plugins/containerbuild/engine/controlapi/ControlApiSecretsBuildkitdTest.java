package io.jenkins.plugins.containerbuild.engine.controlapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildOutput;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import io.jenkins.plugins.containerbuild.engine.testing.Buildkitd;
import io.jenkins.plugins.containerbuild.engine.testing.Images;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build secret reaches a RUN step on the real buildkitd through the session carried inside BuildKit's own API,
 * and never the log: the step prints the secret's SHA-256 (proof it arrived) and the secret itself (masked).
 * The base is the host's static busybox copied into an image of its own (nothing is pulled).
 */
@Tag("buildkitd")
class ControlApiSecretsBuildkitdTest {
    @BeforeEach
    void builder() {
        Buildkitd.require();
    }

    @Test
    void theSecretArrivesAndTheLogShowsOnlyItsHashAndTheMask(@TempDir Path dir) throws Exception {
        String secret = "s3cr3t-" + UUID.randomUUID();
        Files.copy(Path.of("/bin/busybox"), dir.resolve("busybox"));
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM scratch\n"
                        + "COPY busybox /bin/busybox\n"
                        + "RUN --mount=type=secret,id=tok [\"/bin/busybox\", \"sh\", \"-c\","
                        + " \"/bin/busybox sha256sum /run/secrets/tok; /bin/busybox cat /run/secrets/tok; echo\"]\n");
        BuildContext ctx = BuildContext.builder()
                .contextDir(dir)
                .noCache(true)
                .secret("tok", SecretSource.ofBytes(secret.getBytes(StandardCharsets.UTF_8)))
                .build();
        List<BuildProgress> events = new CopyOnWriteArrayList<>();
        BuildResult r;
        try (BuildEngine engine =
                BuildEngine.builder().builder(Buildkitd.unix()).build()) {
            r = engine.build(ctx, events::add);
        }
        String hash = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        assertThat(r.imageId()).startsWith("sha256:");
        assertThat(events).anySatisfy(e -> assertThat(e.message()).contains(hash));
        assertThat(events).anySatisfy(e -> assertThat(e.message()).contains("****"));
        assertThat(events)
                .noneSatisfy(e -> assertThat(e.message() + e.vertexName()).contains(secret));
        assertThat(r.toString()).doesNotContain(secret);
    }

    @Test
    void theSecretIsInNoOutputOfAnyType(@TempDir Path dir, @TempDir Path out) throws Exception {
        String secret = "s3cr3t-" + UUID.randomUUID();
        Files.copy(Path.of("/bin/busybox"), dir.resolve("busybox"));
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM scratch\n"
                        + "COPY busybox /bin/busybox\n"
                        + "RUN --mount=type=secret,id=tok [\"/bin/busybox\", \"sh\", \"-c\","
                        + " \"/bin/busybox sha256sum /run/secrets/tok > /hash; /bin/busybox cat /run/secrets/tok\"]\n");
        BuildContext ctx = BuildContext.builder()
                .contextDir(dir)
                .noCache(true)
                .secret("tok", SecretSource.ofBytes(secret.getBytes(StandardCharsets.UTF_8)))
                .outputs(List.of(
                        BuildOutput.parse(
                                "outputs", "type=oci,dest=" + out.resolve("oci.tar") + ",compression=uncompressed"),
                        BuildOutput.parse(
                                "outputs",
                                "type=docker,dest=" + out.resolve("docker.tar") + ",compression=uncompressed"),
                        BuildOutput.parse("outputs", "type=tar,dest=" + out.resolve("fs.tar")),
                        BuildOutput.parse("outputs", "type=local,dest=" + out.resolve("fs"))))
                .build();
        List<BuildProgress> events = new CopyOnWriteArrayList<>();
        try (BuildEngine engine =
                BuildEngine.builder().builder(Buildkitd.unix()).build()) {
            engine.build(ctx, events::add);
        }
        assertThat(out.resolve("fs/hash")).exists();
        assertThat(events)
                .noneSatisfy(e -> assertThat(e.message() + e.vertexName()).contains(secret));
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(out)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        // The layers are uncompressed, so the secret's bytes would be seen in the archives too.
        assertThat(files).hasSizeGreaterThanOrEqualTo(5);
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            assertThat(Images.indexOf(bytes, needle)).as(f.toString()).isEqualTo(-1);
        }
    }
}
