package io.jenkins.plugins.containerbuild.engine.faults;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.testing.Podman;
import java.nio.file.Path;
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
        Endurance.runOnDaemon(
                dir,
                BuildEngine.builder().endpoint(Podman.endpoint()).backend(Backend.PODMAN),
                Podman::inspect,
                Podman::removeImage,
                Endurance.Sessions.NONE);
    }
}
