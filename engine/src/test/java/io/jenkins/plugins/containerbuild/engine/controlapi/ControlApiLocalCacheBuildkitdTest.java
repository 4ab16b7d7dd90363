package io.jenkins.plugins.containerbuild.engine.controlapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildFailedException;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.PruneOptions;
import io.jenkins.plugins.containerbuild.engine.json.Json;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import io.jenkins.plugins.containerbuild.engine.testing.Buildkitd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache in a directory of this machine, on the real buildkitd: the session serves the directory as a content
 * store; an export writes an OCI layout whose {@code index.json} tags the cache {@code latest}, an import after a prune
 * has every step cached, a new export drops the blobs no tag reaches, and a build that fails leaves no directory.
 */
@Tag("buildkitd")
class ControlApiLocalCacheBuildkitdTest {
    @BeforeEach
    void builder() {
        Buildkitd.require();
    }

    @Test
    void aLocalCacheRoundTripCachesEveryStepOnAnEmptyBuilder(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        Path ctx = Files.createDirectory(dir.resolve("ctx"));
        dockerfile(ctx, UUID.randomUUID().toString());
        try (BuildEngine engine =
                BuildEngine.builder().builder(Buildkitd.unix()).build()) {
            BuildResult first = engine.build(
                    BuildContext.builder()
                            .contextDir(ctx)
                            .cacheTo("type=local,dest=" + cache + ",mode=max")
                            .build(),
                    null);
            assertThat(first.metrics().stepsCached()).isLessThan(first.metrics().stepsTotal());
            String manifest = latest(cache);
            assertThat(first.metrics().cacheManifest()).isEqualTo(manifest);
            assertThat(first.metrics().cacheExports()).containsExactly("type=local,dest=" + cache + ",mode=max");
            assertThat(blob(cache, manifest)).exists();
            assertThat(Files.readString(cache.resolve("oci-layout"))).contains("1.0.0");
            assertThat(hiddenFiles(cache)).as("no ingest file is left").isEmpty();
            Set<String> firstBlobs = blobs(cache);
            assertThat(firstBlobs).hasSizeGreaterThan(2);

            engine.pruneBuildCache(PruneOptions.builder().all(true).build());
            BuildResult cold = engine.build(
                    BuildContext.builder()
                            .contextDir(ctx)
                            .cacheFrom(List.of("type=local,src=" + cache))
                            .build(),
                    null);
            assertThat(cold.metrics().stepsCached())
                    .as("every step from the directory's cache")
                    .isEqualTo(cold.metrics().stepsTotal());
            assertThat(cold.imageId()).isEqualTo(first.imageId());

            // Another RUN result exported to the same directory: the old cache's own blobs go.
            dockerfile(ctx, UUID.randomUUID().toString());
            engine.build(
                    BuildContext.builder()
                            .contextDir(ctx)
                            .cacheFrom(List.of("type=local,src=" + cache))
                            .cacheTo("type=local,dest=" + cache + ",mode=max")
                            .build(),
                    null);
            assertThat(latest(cache)).isNotEqualTo(manifest);
            assertThat(blob(cache, manifest)).as("the replaced cache manifest").doesNotExist();
            Set<String> secondBlobs = blobs(cache);
            assertThat(secondBlobs).hasSameSizeAs(firstBlobs);
            assertThat(secondBlobs).containsAnyElementsOf(firstBlobs); // the unchanged busybox layer stays
        }
    }

    @Test
    void aMissingCacheDirectoryIsAWarningAndAFailedBuildWritesNoCache(@TempDir Path dir) throws Exception {
        Path ctx = Files.createDirectory(dir.resolve("ctx"));
        dockerfile(ctx, UUID.randomUUID().toString());
        List<String> messages = new CopyOnWriteArrayList<>();
        try (BuildEngine engine =
                BuildEngine.builder().builder(Buildkitd.unix()).build()) {
            BuildResult r = engine.build(
                    BuildContext.builder()
                            .contextDir(ctx)
                            .cacheFrom(List.of("type=local,src=" + dir.resolve("nothing-here")))
                            .build(),
                    (BuildProgress p) -> messages.add(p.message()));
            assertThat(r.imageId()).startsWith("sha256:");
            assertThat(messages)
                    .anyMatch(m -> m.startsWith("warning: cacheFrom 'type=local,src=" + dir.resolve("nothing-here"))
                            && m.contains("holds no cache tagged latest; building without it"));

            Files.writeString(
                    ctx.resolve("Dockerfile"), "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/false\"]\n");
            Path cache = dir.resolve("never");
            assertThatThrownBy(() -> engine.build(
                            BuildContext.builder()
                                    .contextDir(ctx)
                                    .cacheTo("type=local,dest=" + cache)
                                    .build(),
                            null))
                    .isInstanceOf(BuildFailedException.class);
            assertThat(cache).doesNotExist();
        }
    }

    private static void dockerfile(Path ctx, String marker) throws IOException {
        if (!Files.exists(ctx.resolve("busybox"))) {
            Files.copy(Path.of("/bin/busybox"), ctx.resolve("busybox"));
        }
        Files.writeString(
                ctx.resolve("Dockerfile"),
                "FROM scratch AS base\n"
                        + "COPY busybox /bin/busybox\n"
                        + "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo " + marker + " > /work\"]\n"
                        + "FROM scratch\n"
                        + "COPY --from=base /work /work\n");
    }

    private static String latest(Path cache) throws IOException {
        JsonValue index = Json.parse(Files.readString(cache.resolve("index.json")));
        assertThat(index.path("manifests").size()).isEqualTo(1);
        JsonValue m = index.path("manifests").get(0);
        assertThat(m.path("annotations")
                        .path("org.opencontainers.image.ref.name")
                        .asText())
                .isEqualTo("latest");
        return m.path("digest").asText();
    }

    private static Path blob(Path cache, String digest) {
        return cache.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    private static Set<String> blobs(Path cache) throws IOException {
        try (Stream<Path> s = Files.list(cache.resolve("blobs/sha256"))) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private static List<Path> hiddenFiles(Path cache) throws IOException {
        try (Stream<Path> s = Files.walk(cache)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }
}
