package io.jenkins.plugins.containerbuild.engine.faults;

import io.jenkins.plugins.containerbuild.engine.testing.Buildkitd;
import io.jenkins.plugins.containerbuild.engine.testing.PrivateBuildkitd;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A buildkitd killed (SIGKILL) during a {@code RUN} that reads a secret: the build ends on its own within 10 s
 * saying the builder went away during that step, the same engine builds again once the builder is back, the
 * engine's threads and file descriptors return to what they were, and the secret is nowhere ({@link BuilderDeath}).
 */
@Tag("buildkitd")
class BuilderDiesBuildkitdTest {
    @Test
    void aKilledBuildkitdEndsTheBuildAtOnceAndTheEngineBuildsAgainWhenItIsBack(@TempDir Path dir) throws Exception {
        Buildkitd.require();
        try (PrivateBuildkitd builder = PrivateBuildkitd.start(Path.of("/tmp", "cb-bk-" + UUID.randomUUID()))) {
            BuilderDeath.killDuringRun(dir, builder, builder::engine, "the buildkitd at unix://", true);
        }
    }
}
