package io.jenkins.plugins.containerbuild.engine.controlapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildOutput;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.Platform;
import io.jenkins.plugins.containerbuild.engine.api.PlatformImage;
import io.jenkins.plugins.containerbuild.engine.json.Json;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import io.jenkins.plugins.containerbuild.engine.testing.Buildkitd;
import io.jenkins.plugins.containerbuild.engine.testing.Registries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two platforms in one solve on the real buildkitd: each platform's RUN runs its own architecture (arm64 through the
 * host's QEMU), one index is pushed, and the result names the index digest and each platform's manifest digest, the
 * ones the registry serves. The base is Debian's busybox-static of each architecture (the arm64 one from the package
 * the setup downloaded), so nothing is pulled.
 */
@Tag("buildkitd")
class ControlApiMultiPlatformBuildkitdTest {
    @BeforeEach
    void builder() {
        Buildkitd.require();
        Registries.assumeQemu();
        Registries.assumeRegistry(Registries.OPEN);
    }

    /** The arm64 busybox binary, from the busybox-static package the setup downloaded for the base images. */
    private static Path arm64Busybox(Path tmp) throws Exception {
        Path debs = Buildkitd.tlsDir().getParent().getParent().resolve("debs");
        Path deb;
        try (Stream<Path> s = Files.list(debs)) {
            deb = s.filter(p -> p.getFileName().toString().matches("busybox-static_.*_arm64\\.deb"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no arm64 busybox-static package in " + debs
                            + " (scripts/make-base-images.sh downloads it)"));
        }
        Process p = new ProcessBuilder("dpkg-deb", "-x", deb.toString(), tmp.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return tmp.resolve("bin/busybox");
    }

    @Test
    void twoPlatformsInOneSolveEachRunningItsOwnArchitecture(@TempDir Path dir, @TempDir Path tmp, @TempDir Path out)
            throws Exception {
        Files.copy(Path.of("/bin/busybox"), dir.resolve("busybox-amd64"));
        Files.copy(arm64Busybox(tmp), dir.resolve("busybox-arm64"));
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM scratch\n"
                        + "ARG TARGETARCH\n"
                        + "COPY busybox-${TARGETARCH} /bin/busybox\n"
                        + "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"/bin/busybox uname -m > /arch; echo "
                        + UUID.randomUUID() + "\"]\n");
        String repo = "cb-test/bk-multi-" + UUID.randomUUID().toString().substring(0, 8);
        String tag = Registries.OPEN + "/" + repo + ":1";
        BuildContext ctx = BuildContext.builder()
                .contextDir(dir)
                .tag(tag)
                .platforms(
                        List.of(Platform.parse("platforms", "linux/amd64"), Platform.parse("platforms", "linux/arm64")))
                .push(true)
                .outputs(List.of(
                        BuildOutput.parse("outputs", "type=image"),
                        BuildOutput.parse("outputs", "type=local,dest=" + out.resolve("fs"))))
                .build();
        BuildResult r;
        try (BuildEngine engine =
                BuildEngine.builder().builder(Buildkitd.unix()).build()) {
            r = engine.build(ctx, null);
        }
        assertThat(out.resolve("fs/linux_amd64/arch")).hasContent("x86_64");
        assertThat(out.resolve("fs/linux_arm64/arch")).hasContent("aarch64");

        Registries.Fetched index = Registries.getManifest(Registries.OPEN, repo, "1", null);
        assertThat(index.status()).isEqualTo(200);
        assertThat(r.digest())
                .isEqualTo("sha256:"
                        + java.util.HexFormat.of()
                                .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                        .digest(index.body())));
        JsonValue manifests =
                Json.parse(new String(index.body(), StandardCharsets.UTF_8)).path("manifests");
        List<String> registryDigests = new ArrayList<>();
        for (JsonValue m : manifests) {
            if (!m.path("platform").path("architecture").asText("unknown").equals("unknown")) {
                registryDigests.add(m.path("digest").asText());
            }
        }
        assertThat(r.platforms())
                .extracting(pi -> pi.platform().specifier())
                .containsExactlyInAnyOrder("linux/amd64", "linux/arm64");
        assertThat(r.platforms())
                .extracting(PlatformImage::digest)
                .containsExactlyInAnyOrderElementsOf(registryDigests);
        assertThat(r.platforms()).allSatisfy(pi -> {
            assertThat(pi.imageId()).startsWith("sha256:");
            assertThat(pi.reference()).isEqualTo(tag);
            assertThat(Registries.getManifest(Registries.OPEN, repo, pi.digest(), null)
                            .status())
                    .isEqualTo(200);
        });
        assertThat(r.metrics().layers()).isEqualTo(4); // COPY and RUN, per platform
    }
}
