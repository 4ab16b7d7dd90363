package io.jenkins.plugins.containerbuild.engine.controlapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildFailedException;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.api.PruneOptions;
import io.jenkins.plugins.containerbuild.engine.testing.Buildkitd;
import io.jenkins.plugins.containerbuild.engine.testing.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ephemeral agent's cache on the real buildkitd: a build exports its cache to a registry ({@code mode=max}), the
 * builder's own cache is pruned (a fresh agent), and the same build with {@code cacheFrom} that cache has every step
 * cached. A builder that cannot export cache to a registry refuses before building.
 */
@Tag("buildkitd")
class ControlApiRegistryCacheBuildkitdTest {
    @BeforeEach
    void builder() {
        Buildkitd.require();
        Registries.assumeRegistry(Registries.OPEN);
    }

    @Test
    void aRegistryCacheRoundTripCachesEveryStepOnAnEmptyBuilder(@TempDir Path dir) throws Exception {
        Files.copy(Path.of("/bin/busybox"), dir.resolve("busybox"));
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM scratch AS base\n"
                        + "COPY busybox /bin/busybox\n"
                        + "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo " + UUID.randomUUID() + " > /work\"]\n"
                        + "FROM scratch\n"
                        + "COPY --from=base /work /work\n");
        String cache = Registries.OPEN + "/cb-test/bk-cache-"
                + UUID.randomUUID().toString().substring(0, 8) + ":max";
        BuildContext export = BuildContext.builder()
                .contextDir(dir)
                .cacheTo("type=registry,ref=" + cache + ",mode=max")
                .build();
        BuildContext importing = BuildContext.builder()
                .contextDir(dir)
                .cacheFrom(List.of("type=registry,ref=" + cache))
                .build();
        try (BuildEngine engine =
                BuildEngine.builder().builder(Buildkitd.unix()).build()) {
            BuildResult first = engine.build(export, null);
            assertThat(first.metrics().stepsCached()).isLessThan(first.metrics().stepsTotal());
            assertThat(Registries.getManifest(
                                    Registries.OPEN,
                                    cache.substring(cache.indexOf('/') + 1, cache.lastIndexOf(':')),
                                    "max",
                                    null)
                            .status())
                    .isEqualTo(200);

            engine.pruneBuildCache(PruneOptions.builder().all(true).build());
            BuildResult cold = engine.build(importing, null);
            assertThat(cold.metrics().stepsCached())
                    .as("every step from the registry cache")
                    .isEqualTo(cold.metrics().stepsTotal());
            assertThat(cold.imageId()).isEqualTo(first.imageId());
        }
    }

    @Test
    void aDaemonBuilderRefusesARegistryCacheExportBeforeBuilding(@TempDir Path dir) throws Exception {
        Buildkitd.context(dir, "x");
        try (BuildEngine engine = BuildEngine.builder()
                .dockerHost("unix:///run/no-such-docker.sock")
                .backend(Backend.CLASSIC)
                .build()) {
            assertThatThrownBy(() -> engine.build(
                            BuildContext.builder()
                                    .contextDir(dir)
                                    .cacheTo("type=registry,ref=" + Registries.OPEN + "/c:1")
                                    .build(),
                            null))
                    .isInstanceOf(InvalidBuildContextException.class)
                    .hasMessageStartingWith("cacheTo: 'type=registry,ref=")
                    .hasMessageContaining("exports cache only into the image")
                    .hasMessageContaining("need a buildkitd builder");
        }
    }

    @Test
    void aCacheRegistryThatRefusesThePushFailsTheBuildNamingTheCacheExport(@TempDir Path dir) throws Exception {
        Registries.assumeRegistry(Registries.AUTH);
        Buildkitd.context(dir, UUID.randomUUID().toString());
        String cache = Registries.AUTH + "/cb-test/bk-cache-denied:1";
        try (BuildEngine engine =
                BuildEngine.builder().builder(Buildkitd.unix()).build()) {
            assertThatThrownBy(() -> engine.build(
                            BuildContext.builder()
                                    .contextDir(dir)
                                    .cacheTo("type=registry,ref=" + cache + ",mode=max")
                                    .build(),
                            null))
                    .isInstanceOf(BuildFailedException.class)
                    .hasMessageContaining("cacheTo: the cache export to " + cache + " failed: ")
                    .hasMessageContaining("401");
        }
    }
}
