package io.jenkins.plugins.containerbuild.engine.controlapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildFailedException;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.testing.Buildkitd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine building on the real buildkitd through BuildKit's own API (over TCP with mutual TLS): steps in
 * Dockerfile order with exact cache hits, metrics, the image id, and the build's error when a step fails.
 */
@Tag("buildkitd")
class ControlApiBuildEngineBuildkitdTest {
    @BeforeEach
    void builder() {
        Buildkitd.require();
    }

    @Test
    void aBuildReportsItsStepsAndARebuildIsAllCached(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\nCOPY a.txt /a.txt\nCOPY b.txt /b.txt\n");
        Files.writeString(dir.resolve("a.txt"), UUID.randomUUID().toString());
        Files.writeString(dir.resolve("b.txt"), UUID.randomUUID().toString());
        BuildContext ctx =
                BuildContext.builder().contextDir(dir).tag("cb-test/engine:1").build();
        List<BuildProgress> events = new CopyOnWriteArrayList<>();
        try (BuildEngine engine = BuildEngine.builder().builder(Buildkitd.tcp()).build()) {
            BuildResult first = engine.build(ctx, events::add);
            assertThat(first.imageId()).startsWith("sha256:");
            assertThat(first.metrics().status()).isEqualTo(BuildStatus.SUCCESS);
            assertThat(first.metrics().stepsTotal()).isGreaterThanOrEqualTo(2);
            assertThat(first.metrics().stepsCached()).isLessThan(first.metrics().stepsTotal());
            assertThat(first.metrics().contextBytes()).isPositive();
            assertThat(events).anySatisfy(e -> assertThat(e.vertexName()).contains("COPY a.txt /a.txt"));
            // Read from the image's manifest in the buildkitd's content store: two COPY layers, a few hundred bytes.
            assertThat(first.metrics().layers()).isEqualTo(2);
            assertThat(first.metrics().imageSizeBytes()).isBetween(50L, 10_000L);

            BuildResult again = engine.build(ctx, null);
            assertThat(again.imageId()).isEqualTo(first.imageId());
            assertThat(again.metrics().stepsCached()).isEqualTo(again.metrics().stepsTotal());
            assertThat(engine.history()).hasSize(2);
            // The buildkitd's own history has both builds under the engine's build ids, with their step counts.
            assertThat(engine.builderHistory())
                    .filteredOn(b -> b.ref().equals(again.buildId()))
                    .singleElement()
                    .satisfies(b -> {
                        assertThat(b.state()).isEqualTo("succeeded");
                        assertThat(b.totalSteps()).isPositive();
                        // BuildKit counts its own vertexes (context loads are never cached): the two COPYs are.
                        assertThat(b.cachedSteps()).isBetween(2, b.totalSteps());
                        assertThat(b.duration()).isPositive();
                    });
            assertThat(engine.builderHistory())
                    .anySatisfy(b -> assertThat(b.ref()).isEqualTo(first.buildId()));
        }
    }

    @Test
    void aFailingStepEndsTheBuildWithBuildKitsError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\nCOPY missing.txt /\n");
        BuildContext ctx = BuildContext.builder().contextDir(dir).build();
        try (BuildEngine engine =
                BuildEngine.builder().builder(Buildkitd.unix()).build()) {
            assertThatThrownBy(() -> engine.build(ctx, null)).isInstanceOfSatisfying(BuildFailedException.class, e -> {
                assertThat(e.metrics().status()).isEqualTo(BuildStatus.FAILED);
                assertThat(e.getMessage()).contains("missing.txt");
            });
            assertThat(engine.builderHistory()).last().satisfies(b -> {
                assertThat(b.state()).isEqualTo("failed");
                assertThat(b.error()).contains("missing.txt");
            });
        }
    }
}
