package io.jenkins.plugins.containerbuild.engine.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.testing.Podman;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Endurance} on Podman's service. Podman takes no secrets and no outputs from the engine (it would write
 * secrets to disk; see PodmanRefusalTest), so its 20 builds at once are labelled builds, each image checked.
 */
@Tag("daemon")
class EndurancePodmanTest {
    @Test
    void twoHundredBuildsInARowThenTwentyAtOnceLeakNothing(@TempDir Path dir) throws Exception {
        Podman.assumeAvailable();
        List<String> ids = List.of();
        try {
            ids = Endurance.run(
                    dir,
                    history -> BuildEngine.builder()
                            .endpoint(Podman.endpoint())
                            .backend(Backend.PODMAN)
                            .maxParallelBuilds(Endurance.PARALLEL)
                            .historyFile(history)
                            .build(),
                    (n, r) -> assertThat(Podman.inspect(r.imageId())
                                    .path("Config")
                                    .path("Labels")
                                    .path("n")
                                    .asText())
                            .as("build " + n + "'s image")
                            .isEqualTo(String.valueOf(n)),
                    Endurance.Sessions.NONE);
        } finally {
            ids.forEach(Podman::removeImage);
        }
    }
}
