package io.jenkins.plugins.containerbuild.engine.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildFailedException;
import io.jenkins.plugins.containerbuild.engine.testing.Buildkitd;
import io.jenkins.plugins.containerbuild.engine.testing.MisbehavingRegistry;
import io.jenkins.plugins.containerbuild.engine.testing.MisbehavingRegistry.Fault;
import io.jenkins.plugins.containerbuild.engine.testing.Registries;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that misbehaves while the standalone buildkitd's image exporter pushes ({@code push: true}): it answers
 * the manifest's {@code PUT} with 500 or with 401, or it drops the connection in the middle of a blob upload. Each
 * build fails with a {@link BuildFailedException} naming the registry and what failed, no result is returned,
 * nothing is reported pushed, and the real registry holds no manifest under the tag. The registry is the real one on
 * 127.0.0.1:5000 behind {@link MisbehavingRegistry}, a test double: a real registry cannot be made to fail one
 * request to order.
 */
@Tag("buildkitd")
class RegistryMisbehavesBuildkitdTest {
    private static final String RUN_ID = UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path dir;

    @BeforeEach
    void environment() {
        Buildkitd.require();
        Registries.assumeRegistry(Registries.OPEN);
    }

    @Test
    void aManifestAnswered500FailsTheBuildNamingTheRegistryAndTheStatus() throws IOException {
        try (MisbehavingRegistry registry = new MisbehavingRegistry(5000, Fault.MANIFEST_500)) {
            BuildFailedException e = pushFails(registry, "bk-m500");
            assertThat(e.getMessage())
                    .contains("500 Internal Server Error")
                    .contains("the push to registry " + registry.host() + " failed at the manifest upload")
                    .contains("the registry answered 500, an error on its side");
        }
    }

    @Test
    void aManifestAnswered401FailsTheBuildAskingForCredentials() throws IOException {
        try (MisbehavingRegistry registry = new MisbehavingRegistry(5000, Fault.MANIFEST_401)) {
            BuildFailedException e = pushFails(registry, "bk-m401");
            assertThat(e.getMessage())
                    .contains("the push to registry " + registry.host() + " failed at the manifest upload")
                    .contains("the registry answered 401 Unauthorized: give registryAuth for " + registry.host());
        }
    }

    @Test
    void aBlobUploadCutMidBodyFailsTheBuildNamingTheUpload() throws IOException {
        try (MisbehavingRegistry registry = new MisbehavingRegistry(5000, Fault.BLOB_CUT)) {
            BuildFailedException e = pushFails(registry, "bk-cut");
            // The first line is the error; the step's last output lines below it are BuildKit's own, as it logged them.
            assertThat(e.getMessage().lines().findFirst().orElseThrow())
                    .containsPattern("the push to registry " + Pattern.quote(registry.host())
                            + " failed at the upload of (layer|the image config)")
                    .contains("is the registry at " + registry.host() + " up and reachable from the builder?")
                    .doesNotContain("_state=");
        }
    }

    /**
     * Builds a one-layer image of 3 MB of fresh random bytes (a blob the registry has never seen) tagged for the
     * misbehaving registry, pushed by the buildkitd; returns the failure after checking what every fault has in
     * common.
     */
    private BuildFailedException pushFails(MisbehavingRegistry registry, String name) throws IOException {
        String repo = "cb-test/" + name + "-" + RUN_ID;
        Throwable thrown = RegistryFaults.pushFails(
                dir,
                registry,
                repo,
                registry.host() + "/" + repo + ":1",
                () -> BuildEngine.builder().builder(Buildkitd.unix()).build(),
                "buildkitd " + name,
                Duration.ofSeconds(120));
        assertThat(thrown).isInstanceOf(BuildFailedException.class);
        assertThat(thrown.getMessage()).contains(registry.host());
        return (BuildFailedException) thrown;
    }
}
