package io.jenkins.plugins.containerbuild.engine.faults;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.testing.Daemon;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Endurance} on the run's daemon: every image made is in the daemon's store with its own label. Docker 26
 * with the containerd store exports a local cache too; the others refuse one.
 */
@Tag("daemon")
class EnduranceDaemonTest {
    @Test
    void twoHundredBuildsInARowThenTwentyAtOnceLeakNothing(@TempDir Path dir) throws Exception {
        Daemon.assumeAvailable();
        boolean localCache =
                Daemon.profile().containerdImageStore() && Daemon.profile().buildKitMinor() >= 13;
        Endurance.runOnDaemon(
                dir,
                BuildEngine.builder().endpoint(Daemon.endpoint()).backend(Backend.BUILDKIT),
                Daemon::inspect,
                Daemon::removeImage,
                localCache ? Endurance.Sessions.SECRETS_FILES_AND_CACHE : Endurance.Sessions.SECRETS_AND_FILES);
    }
}
