package io.jenkins.plugins.containerbuild.engine.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.testing.Daemon;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Endurance} on the run's daemon: every sequential build's image is in the daemon's store with its own label.
 */
@Tag("daemon")
class EnduranceDaemonTest {
    @Test
    void twoHundredBuildsInARowThenTwentyAtOnceLeakNothing(@TempDir Path dir) throws Exception {
        Daemon.assumeAvailable();
        List<String> ids = List.of();
        try {
            ids = Endurance.run(
                    dir,
                    history -> BuildEngine.builder()
                            .endpoint(Daemon.endpoint())
                            .backend(Backend.BUILDKIT)
                            .maxParallelBuilds(Endurance.PARALLEL)
                            .historyFile(history)
                            .build(),
                    (n, r) -> assertThat(Daemon.inspect(r.imageId())
                                    .path("Config")
                                    .path("Labels")
                                    .path("n")
                                    .asText())
                            .as("build " + n + "'s image")
                            .isEqualTo(String.valueOf(n)),
                    sessions());
        } finally {
            ids.forEach(Daemon::removeImage);
        }
    }

    /** Docker 26 with the containerd store exports a local cache too; the others refuse one. */
    private static Endurance.Sessions sessions() {
        return Daemon.profile().containerdImageStore() && Daemon.profile().buildKitMinor() >= 13
                ? Endurance.Sessions.SECRETS_FILES_AND_CACHE
                : Endurance.Sessions.SECRETS_AND_FILES;
    }
}
