package io.jenkins.plugins.containerbuild.engine.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuilderEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.DaemonUnreachableException;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.api.PruneOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine given a standalone buildkitd builds, prunes and measures there, never on the Docker daemon; a buildkitd
 * that is not there is named, whichever way a build starts.
 */
class StandaloneBuilderTest {
    private static final BuilderEndpoint MISSING = BuilderEndpoint.of("unix:///run/no-such-buildkitd.sock", null);

    @Test
    void aBuildGoesToTheBuildkitdAndNamesItsMissingSocket(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        BuildContext ctx = BuildContext.builder().contextDir(dir).build();
        try (BuildEngine engine = BuildEngine.builder()
                .dockerHost("unix:///run/no-such-docker.sock")
                .builder(MISSING)
                .build()) {
            assertThatThrownBy(() -> engine.build(ctx, null))
                    .isInstanceOf(DaemonUnreachableException.class)
                    .hasMessageContaining("cannot reach the builder at " + MISSING)
                    .hasMessageContaining("does not exist (is buildkitd running?)");
            assertThatThrownBy(() -> engine.buildAsync(ctx, null).get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(DaemonUnreachableException.class);
        }
    }

    @Test
    void theClassicBuilderCannotBuildOnABuildkitd(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        BuildContext ctx = BuildContext.builder().contextDir(dir).build();
        try (BuildEngine engine = BuildEngine.builder()
                .dockerHost("unix:///run/no-such-docker.sock")
                .builder(MISSING)
                .backend(io.jenkins.plugins.containerbuild.engine.api.Backend.CLASSIC)
                .build()) {
            assertThatThrownBy(() -> engine.build(ctx, null))
                    .isInstanceOf(InvalidBuildContextException.class)
                    .hasMessageStartingWith("backend: CLASSIC cannot build on the standalone buildkitd");
        }
    }

    @Test
    void pruneGoesToTheBuildkitdAndNamesItsMissingSocket() {
        try (BuildEngine engine = BuildEngine.builder()
                .dockerHost("unix:///run/no-such-docker.sock")
                .builder(MISSING)
                .build()) {
            assertThatThrownBy(
                            () -> engine.pruneBuildCache(PruneOptions.builder().build()))
                    .isInstanceOf(DaemonUnreachableException.class)
                    .hasMessageContaining("/run/no-such-buildkitd.sock does not exist (is buildkitd running?)");
        }
    }

    @Test
    void anAddressThatIsNoBuilderIsRefusedWithTheForms() {
        assertThatThrownBy(() -> BuilderEndpoint.of("http://buildkitd:1234", null))
                .hasMessageStartingWith("builder: 'http://buildkitd:1234' is not a BuildKit address");
        assertThatThrownBy(() -> BuilderEndpoint.of("tcp://buildkitd", null)).hasMessageContaining("tcp://host:port");
        assertThat(BuilderEndpoint.fromEnvironment(java.util.Map.of("BUILDKIT_HOST", "tcp://10.0.0.2:1234")))
                .hasValueSatisfying(e -> assertThat(e.address().getPort()).isEqualTo(1234));
    }
}
