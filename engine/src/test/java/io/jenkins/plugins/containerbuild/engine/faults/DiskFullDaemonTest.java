package io.jenkins.plugins.containerbuild.engine.faults;

import io.jenkins.plugins.containerbuild.engine.testing.Daemon;
import io.jenkins.plugins.containerbuild.engine.testing.PrivateDockerd;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dockerd of the run's release and image store (owned by the test) whose data root is a small tmpfs fills up
 * during a build ({@link DiskFull}).
 */
@Tag("daemon")
class DiskFullDaemonTest {
    @Test
    void aFullDiskNamesTheDaemonAndTheNextBuildAfterPruningWorks(@TempDir Path dir) throws Exception {
        Daemon.assumeAvailable();
        try (PrivateDockerd daemon =
                PrivateDockerd.start(Path.of("/tmp", "cb-dd-" + UUID.randomUUID()), DiskFull.TMPFS_SIZE)) {
            DiskFull.fillThenRecover(dir, daemon.dataRoot(), daemon::engine, "the Docker daemon at unix://");
        }
    }
}
