package io.jenkins.plugins.containerbuild.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.testing.Daemon;
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
 * Registry and local cache on the run's Docker daemon: Docker 26 with the containerd image store exports both
 * through its BuildKit API (round trip: export, prune, import, every step cached); a daemon whose image store is
 * not containerd's refuses before building, naming itself and what would work.
 */
@Tag("daemon")
class CacheExportDaemonTest {
    @TempDir
    Path dir;

    private final String marker = UUID.randomUUID().toString();

    @BeforeEach
    void context() throws Exception {
        Daemon.assumeAvailable();
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM " + Daemon.BASE_IMAGE + " AS base\nRUN echo " + marker + " > /work\nFROM scratch\n"
                        + "COPY --from=base /work /work\n");
    }

    private static boolean exportsCache() {
        return Daemon.profile().containerdImageStore() && Daemon.profile().buildKitMinor() >= 13;
    }

    @Test
    void aLocalCacheRoundTripOrARefusalNamingTheDaemon() throws Exception {
        Path cache = dir.resolve("cache");
        BuildContext export = BuildContext.builder()
                .contextDir(dir)
                .cacheTo("type=local,dest=" + cache + ",mode=max")
                .build();
        try (BuildEngine engine = Daemon.engine(Backend.BUILDKIT)) {
            if (!exportsCache()) {
                assertThatThrownBy(() -> engine.build(export, null))
                        .isInstanceOf(InvalidBuildContextException.class)
                        .hasMessageStartingWith("cacheTo: 'type=local,dest=" + cache)
                        .hasMessageContaining(
                                "cannot export cache to a directory (its image store is not containerd's)")
                        .hasMessageContaining(
                                "a Docker daemon with the containerd image store, or a buildkitd builder");
                assertThat(cache).doesNotExist();
                return;
            }
            BuildResult first = engine.build(export, null);
            assertThat(first.metrics().stepsCached()).isLessThan(first.metrics().stepsTotal());
            assertThat(cache.resolve("index.json")).exists();
            engine.pruneBuildCache(PruneOptions.builder().all(true).build());
            BuildResult cold = engine.build(
                    BuildContext.builder()
                            .contextDir(dir)
                            .cacheFrom(List.of("type=local,src=" + cache))
                            .build(),
                    null);
            assertThat(cold.metrics().steps())
                    .filteredOn(s -> s.name().contains("RUN"))
                    .isNotEmpty()
                    .allMatch(StepTiming::cached);
        }
    }

    @Test
    void aRegistryCacheRoundTripOrARefusalNamingTheDaemon() throws Exception {
        Registries.assumeRegistry(Registries.OPEN);
        String ref = Registries.OPEN + "/cb-test/daemon-cache-" + marker.substring(0, 8) + ":max";
        BuildContext export = BuildContext.builder()
                .contextDir(dir)
                .cacheTo("type=registry,ref=" + ref + ",mode=max")
                .build();
        try (BuildEngine engine = Daemon.engine(Backend.BUILDKIT)) {
            if (!exportsCache()) {
                assertThatThrownBy(() -> engine.build(export, null))
                        .isInstanceOf(InvalidBuildContextException.class)
                        .hasMessageContaining(
                                "cannot export cache to a registry (its image store is not containerd's)");
                return;
            }
            engine.build(export, null);
            engine.pruneBuildCache(PruneOptions.builder().all(true).build());
            BuildResult cold = engine.build(
                    BuildContext.builder().contextDir(dir).cacheFrom(ref).build(), null);
            assertThat(cold.metrics().steps())
                    .filteredOn(s -> s.name().contains("RUN"))
                    .isNotEmpty()
                    .allMatch(StepTiming::cached);
        }
    }
}
