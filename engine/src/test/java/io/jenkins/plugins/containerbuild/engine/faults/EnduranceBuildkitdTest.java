package io.jenkins.plugins.containerbuild.engine.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.testing.Buildkitd;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Endurance} on the standalone buildkitd, through BuildKit's own API. */
@Tag("buildkitd")
class EnduranceBuildkitdTest {
    @Test
    void twoHundredBuildsInARowThenTwentyAtOnceLeakNothing(@TempDir Path dir) throws Exception {
        Buildkitd.require();
        Endurance.run(
                dir,
                history -> BuildEngine.builder()
                        .builder(Buildkitd.unix())
                        .maxParallelBuilds(Endurance.PARALLEL)
                        .historyFile(history)
                        .build(),
                (n, r) -> assertThat(r.imageId()).as("build " + n).startsWith("sha256:"),
                Endurance.Sessions.SECRETS_FILES_AND_CACHE);
    }
}
