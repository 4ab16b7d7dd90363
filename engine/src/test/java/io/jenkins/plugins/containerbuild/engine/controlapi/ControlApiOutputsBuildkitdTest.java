package io.jenkins.plugins.containerbuild.engine.controlapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildOutput;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.report.BuildResultMaps;
import io.jenkins.plugins.containerbuild.engine.testing.Buildkitd;
import io.jenkins.plugins.containerbuild.engine.testing.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs in buildx's syntax on the real buildkitd: an OCI layout and a file-system tar in one build, each written
 * beside its destination and moved into place; nothing partial is left behind.
 */
@Tag("buildkitd")
class ControlApiOutputsBuildkitdTest {
    @BeforeEach
    void builder() {
        Buildkitd.require();
    }

    @Test
    void anOciLayoutAndATarAreWrittenInOneBuild(@TempDir Path dir, @TempDir Path out) throws Exception {
        Path ctxDir = Buildkitd.context(dir, UUID.randomUUID().toString());
        Path oci = out.resolve("image-oci.tar");
        Path tar = out.resolve("rootfs.tar");
        BuildContext ctx = BuildContext.builder()
                .contextDir(ctxDir)
                .tag("cb-test/outputs:1")
                .outputs(List.of(
                        BuildOutput.parse("outputs", "type=oci,dest=" + oci),
                        BuildOutput.parse("outputs", "type=tar,dest=" + tar)))
                .build();
        try (BuildEngine engine =
                BuildEngine.builder().builder(Buildkitd.unix()).build()) {
            engine.build(ctx, null);
        }
        assertThat(Images.tarEntries(oci)).contains("index.json", "oci-layout");
        assertThat(Images.tarEntries(tar)).contains("marker.txt");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("image-oci.tar", "rootfs.tar");
        }
    }

    @Test
    void everyOutputTypeInOneBuildOverTcpWithMutualTls(@TempDir Path dir, @TempDir Path out) throws Exception {
        Path ctxDir = Buildkitd.context(dir, UUID.randomUUID().toString());
        BuildContext ctx = BuildContext.builder()
                .contextDir(ctxDir)
                .tag("cb-test/every-output:1")
                .outputs(List.of(
                        BuildOutput.parse("outputs", "type=image"),
                        BuildOutput.parse("outputs", "type=oci,dest=" + out.resolve("oci.tar")),
                        BuildOutput.parse("outputs", "type=docker,dest=" + out.resolve("docker.tar")),
                        BuildOutput.parse("outputs", "type=tar,dest=" + out.resolve("fs.tar")),
                        BuildOutput.parse("outputs", "type=local,dest=" + out.resolve("fs"))))
                .build();
        BuildResult r;
        try (BuildEngine engine = BuildEngine.builder().builder(Buildkitd.tcp()).build()) {
            r = engine.build(ctx, null);
        }
        assertThat(r.imageId()).startsWith("sha256:");
        assertThat(Images.tarEntries(out.resolve("oci.tar"))).contains("index.json", "oci-layout");
        assertThat(Images.tarEntries(out.resolve("docker.tar"))).contains("manifest.json");
        assertThat(Images.tarEntries(out.resolve("fs.tar"))).contains("marker.txt");
        assertThat(out.resolve("fs/marker.txt")).exists();
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("oci.tar", "docker.tar", "fs.tar", "fs");
        }
    }

    @Test
    void aTarOnlyBuildHasNoImageAndTheMetadataOfAnImageBuildIsBuildxs(@TempDir Path dir, @TempDir Path out)
            throws Exception {
        Path ctxDir = Buildkitd.context(dir, UUID.randomUUID().toString());
        Path tar = out.resolve("rootfs.tar");
        BuildContext tarOnly = BuildContext.builder()
                .contextDir(ctxDir)
                .outputs(List.of(BuildOutput.parse("outputs", "type=tar,dest=" + tar)))
                .build();
        BuildContext image =
                BuildContext.builder().contextDir(ctxDir).tag("cb-test/meta:1").build();
        try (BuildEngine engine =
                BuildEngine.builder().builder(Buildkitd.unix()).build()) {
            BuildResult files = engine.build(tarOnly, null);
            assertThat(files.imageId()).isNull();
            assertThat(Images.tarEntries(tar)).contains("marker.txt");

            BuildResult r = engine.build(image, null);
            Map<String, Object> meta = BuildResultMaps.result(r);
            assertThat((String) meta.get("containerimage.digest")).startsWith("sha256:");
            assertThat(meta.get("containerimage.config.digest")).isEqualTo(r.imageId());
            assertThat(meta.get("buildx.build.ref")).isEqualTo(r.buildId());
            assertThat(meta.get("containerimage.descriptor"))
                    .asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsKeys("mediaType", "digest", "size");
        }
    }

    @Test
    void theClassicBuilderRefusesAFileOutputBeforeAnythingIsSent(@TempDir Path dir) throws Exception {
        Path ctxDir = Buildkitd.context(dir, "x");
        BuildContext ctx = BuildContext.builder()
                .contextDir(ctxDir)
                .outputs(List.of(BuildOutput.parse("outputs", "type=oci,dest=" + dir.resolve("o.tar"))))
                .build();
        try (BuildEngine engine = BuildEngine.builder()
                .dockerHost("unix:///run/no-such-docker.sock")
                .backend(io.jenkins.plugins.containerbuild.engine.api.Backend.CLASSIC)
                .build()) {
            assertThatThrownBy(() -> engine.build(ctx, null))
                    .isInstanceOf(InvalidBuildContextException.class)
                    .hasMessageStartingWith("outputs: 'type=oci,dest=")
                    .hasMessageContaining("the classic builder builds through the Docker Engine API")
                    .hasMessageContaining("need BuildKit: a Docker daemon with BuildKit, or a standalone buildkitd");
        }
        assertThat(dir.resolve("o.tar")).doesNotExist();
    }
}
