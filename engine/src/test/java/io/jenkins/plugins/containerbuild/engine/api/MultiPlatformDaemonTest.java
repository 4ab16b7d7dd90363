package io.jenkins.plugins.containerbuild.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.registry.ManifestLists;
import io.jenkins.plugins.containerbuild.engine.registry.RegistryException;
import io.jenkins.plugins.containerbuild.engine.testing.Daemon;
import io.jenkins.plugins.containerbuild.engine.testing.Registries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Multi-platform builds pushed to the real local registries, RUN steps under real QEMU. */
class MultiPlatformDaemonTest {
    private static final String RUN_ID = UUID.randomUUID().toString().substring(0, 8);
    private static final List<String> CREATED = new CopyOnWriteArrayList<>();

    /** A cross stage on the build platform records the platform arguments; the final stage runs on the target. */
    private static final String CROSS_DOCKERFILE = String.join("\n",
            "FROM --platform=$BUILDPLATFORM " + Daemon.BASE_IMAGE + " AS cross",
            "ARG TARGETPLATFORM",
            "ARG TARGETOS",
            "ARG TARGETARCH",
            "ARG TARGETVARIANT",
            "ARG BUILDPLATFORM",
            "RUN echo \"build=$BUILDPLATFORM target=$TARGETPLATFORM os=$TARGETOS arch=$TARGETARCH"
                    + " variant=$TARGETVARIANT ran-on=$(uname -m)\" > /cross.txt",
            // The daemon's image store keeps one platform per tag: pick the base by the platform arguments.
            "FROM local/busybox:${TARGETARCH}${TARGETVARIANT}",
            "COPY --from=cross /cross.txt /cross.txt",
            "RUN uname -m > /arch.txt && echo " + RUN_ID + " > /id.txt",
            "");

    @TempDir
    Path dir;

    @BeforeAll
    static void environment() {
        Daemon.assumeAvailable();
        Registries.assumeQemu();
    }

    @AfterAll
    static void cleanUp() {
        CREATED.forEach(Daemon::removeImage);
    }

    private static String repo(String host, String name) {
        return host + "/cb-test/" + name + "-" + RUN_ID;
    }

    private void writeContext(String dockerfile) throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), dockerfile);
    }

    @Test
    void amd64AndArm64PushedAsOneListEachRunningItsOwnArchitecture() throws IOException {
        Registries.assumeRegistry(Registries.OPEN);
        writeContext(CROSS_DOCKERFILE);
        String repo = repo(Registries.OPEN, "mp");
        String tag = repo + ":1";
        CREATED.addAll(List.of(tag, tag + "-linux-amd64", tag + "-linux-arm64"));
        List<BuildProgress> events = new CopyOnWriteArrayList<>();
        BuildContext ctx = BuildContext.builder().contextDir(dir).tag(tag)
                .platform(Platform.LINUX_AMD64).platform(Platform.LINUX_ARM64).push(true).build();
        BuildResult r;
        try (BuildEngine engine = Daemon.engine(Backend.BUILDKIT)) {
            r = engine.build(ctx, events::add);
        }

        assertThat(r.platforms()).extracting(PlatformImage::platform)
                .containsExactly(Platform.LINUX_AMD64, Platform.LINUX_ARM64);
        assertThat(r.platforms()).extracting(PlatformImage::reference)
                .containsExactly(tag + "-linux-amd64", tag + "-linux-arm64");
        assertThat(r.platforms()).allSatisfy(p -> {
            assertThat(p.digest()).startsWith("sha256:");
            assertThat(p.size()).isPositive();
            assertThat(p.metrics().steps()).anyMatch(s -> s.name().contains("RUN uname -m"));
        });
        assertThat(r.platforms().get(0).imageId()).isNotEqualTo(r.platforms().get(1).imageId());
        assertThat(Daemon.inspect(r.platforms().get(1).imageId()).path("Architecture").asText()).isEqualTo("arm64");

        // Metrics add up across platforms.
        BuildMetrics a = r.platforms().get(0).metrics();
        BuildMetrics b = r.platforms().get(1).metrics();
        assertThat(r.metrics().stepsTotal()).isEqualTo(a.stepsTotal() + b.stepsTotal());
        assertThat(r.metrics().stepsCached()).isEqualTo(a.stepsCached() + b.stepsCached());
        assertThat(r.metrics().layers()).isEqualTo(a.layers() + b.layers());
        assertThat(r.metrics().imageSizeBytes()).isEqualTo(a.imageSizeBytes() + b.imageSizeBytes());
        assertThat(r.metrics().steps()).anyMatch(s -> s.name().startsWith("[linux/arm64] "));

        // The registry holds exactly the bytes we PUT: their sha256 is the list's digest.
        Registries.Fetched list = Registries.getManifest(Registries.OPEN, repo.substring(Registries.OPEN.length() + 1),
                "1", null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.contentType()).isEqualTo(ManifestFormat.DOCKER.mediaType());
        assertThat(ManifestLists.digest(list.body())).isEqualTo(r.digest()).isEqualTo(r.imageId());
        JsonNode doc = DaemonClient.parseJson(new String(list.body(), StandardCharsets.UTF_8));
        assertThat(doc.path("manifests")).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonNode m = doc.path("manifests").get(i);
            assertThat(m.path("digest").asText()).isEqualTo(r.platforms().get(i).digest());
            assertThat(m.path("size").asLong()).isEqualTo(r.platforms().get(i).size());
            assertThat(m.path("mediaType").asText()).isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
            assertThat(m.path("platform").path("architecture").asText())
                    .isEqualTo(r.platforms().get(i).platform().architecture());
        }
        assertThat(events).anyMatch(e -> e.message().contains("pushed manifest list " + tag));

        // Pull the one tag per platform and run it: each runs its own architecture.
        Registries.pull(repo, "1", "linux/arm64", null);
        assertThat(Daemon.inspect(tag).path("Architecture").asText()).isEqualTo("arm64");
        assertThat(Registries.run(tag, "sh", "-c", "uname -m; cat /arch.txt /id.txt /cross.txt"))
                .isEqualTo("aarch64\naarch64\n" + RUN_ID + "\nbuild=linux/amd64 target=linux/arm64 os=linux arch=arm64"
                        + " variant= ran-on=x86_64\n");
        Registries.pull(repo, "1", "linux/amd64", null);
        assertThat(Daemon.inspect(tag).path("Architecture").asText()).isEqualTo("amd64");
        assertThat(Registries.run(tag, "sh", "-c", "uname -m; cat /arch.txt /cross.txt"))
                .isEqualTo("x86_64\nx86_64\nbuild=linux/amd64 target=linux/amd64 os=linux arch=amd64"
                        + " variant= ran-on=x86_64\n");
    }
}
