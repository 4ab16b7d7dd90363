package io.jenkins.plugins.containerbuild.engine.podman;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.testing.Daemon;
import io.jenkins.plugins.containerbuild.engine.testing.Podman;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** AUTO tells Podman's service from dockerd by the {@code Libpod-Api-Version} header of {@code /_ping}. */
@Tag("daemon")
class AutoBackendDaemonTest {

    @Test
    void autoPicksPodmanOnThePodmanSocket() {
        Podman.assumeAvailable();
        try (BuildEngine engine = Podman.engine(Backend.AUTO)) {
            assertThat(engine.resolveBackend()).isEqualTo(Backend.PODMAN);
        }
    }

    @Test
    void autoPicksBuildKitOnDockerd() {
        Daemon.assumeAvailable();
        try (BuildEngine engine = Daemon.engine(Backend.AUTO)) {
            assertThat(engine.resolveBackend()).isEqualTo(Backend.BUILDKIT);
        }
    }
}
