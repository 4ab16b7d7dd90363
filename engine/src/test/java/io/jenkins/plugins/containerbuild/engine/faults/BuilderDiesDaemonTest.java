package io.jenkins.plugins.containerbuild.engine.faults;

import io.jenkins.plugins.containerbuild.engine.testing.Daemon;
import io.jenkins.plugins.containerbuild.engine.testing.PrivateDockerd;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dockerd of the run's release and image store, owned by the test, killed (SIGKILL) during a {@code RUN} that
 * reads a secret: the same guarantees as for a buildkitd ({@link BuilderDeath}).
 */
@Tag("daemon")
class BuilderDiesDaemonTest {
    @Test
    void aKilledDockerdEndsTheBuildAtOnceAndTheEngineBuildsAgainWhenItIsBack(@TempDir Path dir) throws Exception {
        Daemon.assumeAvailable();
        try (PrivateDockerd daemon = PrivateDockerd.start(Path.of("/tmp", "cb-dd-" + UUID.randomUUID()), null)) {
            BuilderDeath.killDuringRun(dir, daemon, daemon::engine, "the Docker daemon at unix://");
        }
    }
}
