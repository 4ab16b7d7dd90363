package io.jenkins.plugins.containerbuild.engine.faults;

import io.jenkins.plugins.containerbuild.engine.testing.Podman;
import io.jenkins.plugins.containerbuild.engine.testing.PrivatePodman;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Podman API service (owned by the test) killed (SIGKILL) during a {@code RUN}: the build ends within 10 s naming
 * the service and the step, and the same engine builds again once the service is back.
 */
@Tag("daemon")
class BuilderDiesPodmanTest {
    @Test
    void aKilledPodmanServiceEndsTheBuildNamingTheStep(@TempDir Path dir) throws Exception {
        Podman.assumeAvailable();
        try (PrivatePodman podman = PrivatePodman.start(
                Path.of("/tmp", "cb-pm-" + UUID.randomUUID().toString().substring(0, 8)))) {
            BuilderDeath.killDuringPlainRun(dir, podman, podman::engine, "the Podman service at unix://");
        }
    }
}
