package io.jenkins.plugins.containerbuild.engine.faults;

import io.jenkins.plugins.containerbuild.engine.testing.Buildkitd;
import io.jenkins.plugins.containerbuild.engine.testing.PrivateBuildkitd;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A buildkitd (owned by the test) whose root is a small tmpfs fills up during a build ({@link DiskFull}). */
@Tag("buildkitd")
class DiskFullBuildkitdTest {
    @Test
    void aFullDiskNamesTheBuilderAndTheNextBuildAfterPruningWorks(@TempDir Path dir) throws Exception {
        Buildkitd.require();
        try (PrivateBuildkitd builder =
                PrivateBuildkitd.start(Path.of("/tmp", "cb-bk-" + UUID.randomUUID()), DiskFull.TMPFS_SIZE)) {
            DiskFull.fillThenRecover(dir, builder.root(), builder::engine, "the buildkitd at unix://");
        }
    }
}
