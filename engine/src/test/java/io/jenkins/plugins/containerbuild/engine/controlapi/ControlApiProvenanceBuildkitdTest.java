package io.jenkins.plugins.containerbuild.engine.controlapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.api.SourceInfo;
import io.jenkins.plugins.containerbuild.engine.json.Json;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import io.jenkins.plugins.containerbuild.engine.testing.Buildkitd;
import io.jenkins.plugins.containerbuild.engine.testing.Registries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SLSA provenance on the real buildkitd: {@code attestations: ['type=provenance,mode=max']} stores an attestation
 * manifest beside the pushed image, BuildKit's own document, naming the Jenkins run as its builder and the source
 * revision; the image itself stays pullable by its platform. A builder that cannot attest refuses before building.
 */
@Tag("buildkitd")
class ControlApiProvenanceBuildkitdTest {
    @BeforeEach
    void builder() {
        Buildkitd.require();
        Registries.assumeRegistry(Registries.OPEN);
    }

    @Test
    void theProvenanceNamesTheRunAndTheRevisionBesideThePushedImage(@TempDir Path dir) throws Exception {
        Buildkitd.context(dir, UUID.randomUUID().toString());
        String repo = "cb-test/bk-provenance-" + UUID.randomUUID().toString().substring(0, 8);
        String run = "https://jenkins.example/job/app/42/";
        String revision = "0123456789abcdef0123456789abcdef01234567";
        BuildContext ctx = BuildContext.builder()
                .contextDir(dir)
                .tag(Registries.OPEN + "/" + repo + ":1")
                .push(true)
                .attestations(List.of("type=provenance,mode=max"))
                .sourceInfo(new SourceInfo(run, "https://git.example/app.git", revision))
                .build();
        BuildResult r;
        try (BuildEngine engine =
                BuildEngine.builder().builder(Buildkitd.unix()).build()) {
            r = engine.build(ctx, null);
        }
        JsonValue index =
                json(Registries.getManifest(Registries.OPEN, repo, "1", null).body());
        String attestation = null;
        String image = null;
        for (JsonValue m : index.path("manifests")) {
            if (m.path("annotations")
                    .path("vnd.docker.reference.type")
                    .asText("")
                    .equals("attestation-manifest")) {
                attestation = m.path("digest").asText();
            } else {
                image = m.path("digest").asText();
            }
        }
        assertThat(attestation).as("an attestation manifest in " + index).isNotNull();
        assertThat(image).isNotNull();
        assertThat(r.metrics().attestationManifests()).as("named in the result").containsExactly(attestation);
        // The image is still what a plain pull of the platform gets.
        assertThat(Registries.getManifest(Registries.OPEN, repo, image, null).status())
                .isEqualTo(200);
        JsonValue att = json(
                Registries.getManifest(Registries.OPEN, repo, attestation, null).body());
        String layer = att.path("layers").get(0).path("digest").asText();
        String statement = Registries.getBlob(Registries.OPEN, repo, layer);
        assertThat(statement)
                .startsWith("200 ")
                .contains("https://slsa.dev/provenance")
                .contains(run)
                .contains(revision);
        assertThat(r.digest()).startsWith("sha256:");
    }

    private static JsonValue json(byte[] body) throws Exception {
        return Json.parse(new String(body, StandardCharsets.UTF_8));
    }

    @Test
    void mistakesAndBuildersThatCannotAttestAreRefused(@TempDir Path dir) throws Exception {
        Buildkitd.context(dir, "x");
        assertThatThrownBy(() -> BuildContext.builder()
                        .contextDir(dir)
                        .attestations(List.of("type=provenance,mode=maximal"))
                        .build())
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessageContaining("mode=maximal is not a provenance mode");
        assertThatThrownBy(() -> BuildContext.builder()
                        .contextDir(dir)
                        .attestations(List.of("type=sbom"))
                        .build())
                .hasMessageContaining("type=sbom needs BuildKit's scanner image");
        try (BuildEngine engine = BuildEngine.builder()
                .dockerHost("unix:///run/no-such-docker.sock")
                .backend(Backend.CLASSIC)
                .build()) {
            assertThatThrownBy(() -> engine.build(
                            BuildContext.builder()
                                    .contextDir(dir)
                                    .attestations(List.of("type=provenance"))
                                    .build(),
                            null))
                    .isInstanceOf(InvalidBuildContextException.class)
                    .hasMessageStartingWith("attestations: ")
                    .hasMessageContaining("needs a buildkitd builder");
        }
    }
}
