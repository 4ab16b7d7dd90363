package io.jenkins.plugins.containerbuild.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.json.Json;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Multi-platform builds pushed to the real local registries, RUN steps under real QEMU. */
@Tag("daemon")
class MultiPlatformDaemonTest {
    private static final String RUN_ID = UUID.randomUUID().toString().substring(0, 8);
    private static final List<String> CREATED = new CopyOnWriteArrayList<>();

    /** A cross stage on the build platform records the platform arguments; the final stage runs on the target. */
    private static final String CROSS_DOCKERFILE = String.join(
            "\n",
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
        BuildContext ctx = BuildContext.builder()
                .contextDir(dir)
                .tag(tag)
                .platform(Platform.LINUX_AMD64)
                .platform(Platform.LINUX_ARM64)
                .push(true)
                .build();
        BuildResult r;
        try (BuildEngine engine = Daemon.engine(Backend.BUILDKIT)) {
            r = engine.build(ctx, events::add);
        }

        if (oneSolve()) {
            assertOneIndexPushed(r, repo, tag);
        } else {
            assertThat(r.platforms())
                    .extracting(PlatformImage::platform)
                    .containsExactly(Platform.LINUX_AMD64, Platform.LINUX_ARM64);
            assertThat(r.platforms())
                    .extracting(PlatformImage::reference)
                    .containsExactly(tag + "-linux-amd64", tag + "-linux-arm64");
            assertThat(r.platforms()).allSatisfy(p -> {
                assertThat(p.digest()).startsWith("sha256:");
                assertThat(p.size()).isPositive();
                assertThat(p.metrics().steps()).anyMatch(s -> s.name().contains("RUN uname -m"));
            });
            assertThat(r.platforms().get(0).imageId())
                    .isNotEqualTo(r.platforms().get(1).imageId());
            assertThat(Daemon.inspect(r.platforms().get(1).imageId())
                            .path("Architecture")
                            .asText())
                    .isEqualTo("arm64");

            // Metrics add up across platforms.
            BuildMetrics a = r.platforms().get(0).metrics();
            BuildMetrics b = r.platforms().get(1).metrics();
            assertThat(r.metrics().stepsTotal()).isEqualTo(a.stepsTotal() + b.stepsTotal());
            assertThat(r.metrics().stepsCached()).isEqualTo(a.stepsCached() + b.stepsCached());
            assertThat(r.metrics().layers()).isEqualTo(a.layers() + b.layers());
            assertThat(r.metrics().imageSizeBytes()).isEqualTo(a.imageSizeBytes() + b.imageSizeBytes());
            assertThat(r.metrics().steps()).anyMatch(s -> s.name().startsWith("[linux/arm64] "));

            // The registry holds exactly the bytes we PUT: their sha256 is the list's digest.
            Registries.Fetched list =
                    Registries.getManifest(Registries.OPEN, repo.substring(Registries.OPEN.length() + 1), "1", null);
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.contentType()).isEqualTo(ManifestFormat.DOCKER.mediaType());
            assertThat(ManifestLists.digest(list.body())).isEqualTo(r.digest()).isEqualTo(r.imageId());
            JsonValue doc = Json.parse(new String(list.body(), StandardCharsets.UTF_8));
            assertThat(doc.path("manifests")).hasSize(2);
            for (int i = 0; i < 2; i++) {
                JsonValue m = doc.path("manifests").get(i);
                assertThat(m.path("digest").asText())
                        .isEqualTo(r.platforms().get(i).digest());
                assertThat(m.path("size").asLong())
                        .isEqualTo(r.platforms().get(i).size());
                assertThat(m.path("mediaType").asText())
                        .isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
                assertThat(m.path("platform").path("architecture").asText())
                        .isEqualTo(r.platforms().get(i).platform().architecture());
            }
            assertThat(events).anyMatch(e -> e.message().contains("pushed manifest list " + tag));
        }

        // Pull the one tag per platform and run it: each runs its own architecture.
        // The containerd image store keeps the whole list under the tag (its inspect shows the host's platform
        // when that platform's content is present too): there the platform is chosen when the container is made.
        boolean storeKeepsTheList = Daemon.profile().containerdImageStore();
        if (oneSolve()) {
            // The push went to the registry only (the exporter's store=false): nothing was left in the daemon.
            assertThatThrownBy(() -> Daemon.inspect(tag)).hasMessageContaining("404");
        }
        Registries.pull(repo, "1", "linux/arm64", null);
        if (!storeKeepsTheList) {
            assertThat(Daemon.inspect(tag).path("Architecture").asText()).isEqualTo("arm64");
        }
        assertThat(Registries.run("linux/arm64", tag, "sh", "-c", "uname -m; cat /arch.txt /id.txt /cross.txt"))
                .isEqualTo("aarch64\naarch64\n" + RUN_ID + "\nbuild=linux/amd64 target=linux/arm64 os=linux arch=arm64"
                        + " variant= ran-on=x86_64\n");
        Registries.pull(repo, "1", "linux/amd64", null);
        assertThat(Daemon.inspect(tag).path("Architecture").asText()).isEqualTo("amd64");
        assertThat(Registries.run("linux/amd64", tag, "sh", "-c", "uname -m; cat /arch.txt /cross.txt"))
                .isEqualTo("x86_64\nx86_64\nbuild=linux/amd64 target=linux/amd64 os=linux arch=amd64"
                        + " variant= ran-on=x86_64\n");
    }

    @Test
    void ociIndexToThePasswordRegistryWithArmV7() throws IOException {
        Registries.assumeRegistry(Registries.AUTH);
        writeContext(CROSS_DOCKERFILE);
        String repo = repo(Registries.AUTH, "oci");
        String tag = repo + ":2";
        CREATED.addAll(List.of(tag + "-linux-amd64", tag + "-linux-arm-v7"));
        BuildContext ctx = BuildContext.builder()
                .contextDir(dir)
                .tag(tag)
                .platform(Platform.LINUX_AMD64)
                .platform(Platform.LINUX_ARM_V7)
                .push(true)
                .manifestFormat(ManifestFormat.OCI)
                .registryAuth(new RegistryCredentials(
                        Registries.AUTH,
                        Registries.AUTH_USER,
                        SecretSource.ofBytes(Registries.AUTH_PASSWORD.getBytes(StandardCharsets.UTF_8))))
                .build();
        BuildResult r;
        try (BuildEngine engine = Daemon.engine(Backend.BUILDKIT)) {
            r = engine.build(ctx, null);
        }
        String path = repo.substring(Registries.AUTH.length() + 1);
        assertThat(Registries.getManifest(Registries.AUTH, path, "2", null).status())
                .isEqualTo(401);
        Registries.Fetched index = Registries.getManifest(Registries.AUTH, path, "2", Registries.basicAuth());
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.contentType()).isEqualTo(ManifestFormat.OCI.mediaType());
        assertThat(ManifestLists.digest(index.body())).isEqualTo(r.digest());
        JsonValue doc = Json.parse(new String(index.body(), StandardCharsets.UTF_8));
        assertThat(doc.path("mediaType").asText()).isEqualTo(ManifestFormat.OCI.mediaType());
        JsonValue arm = doc.path("manifests").get(1);
        assertThat(arm.path("platform").path("architecture").asText()).isEqualTo("arm");
        assertThat(arm.path("platform").path("variant").asText()).isEqualTo("v7");
        assertThat(arm.path("digest").asText()).isEqualTo(r.platforms().get(1).digest());
        // The arm/v7 image ran its RUN step under QEMU as a 32-bit ARM CPU.
        Registries.Fetched armManifest =
                Registries.getManifest(Registries.AUTH, path, arm.path("digest").asText(), Registries.basicAuth());
        assertThat(armManifest.status()).isEqualTo(200);
        if (oneSolve()) {
            // One solve pushed an OCI index by itself, with the registry's credentials from the session.
            assertThat(r.imageId()).isEqualTo(r.digest());
            assertThat(Json.parse(new String(armManifest.body(), StandardCharsets.UTF_8))
                            .path("config")
                            .path("digest")
                            .asText())
                    .isEqualTo(r.platforms().get(1).imageId());
        } else {
            assertThat(Daemon.inspect(r.platforms().get(1).imageId())
                            .path("Variant")
                            .asText())
                    .isEqualTo("v7");
        }
    }

    @Test
    void wrongCredentialsNameTheRegistryAndNeverShowTheSecret() throws IOException {
        Registries.assumeRegistry(Registries.AUTH);
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + Daemon.BASE_IMAGE + "\nRUN echo " + RUN_ID + " > /x\n");
        String tag = repo(Registries.AUTH, "badauth") + ":1";
        CREATED.add(tag);
        String wrong = "wrong-" + RUN_ID + "-pass";
        List<BuildProgress> events = new CopyOnWriteArrayList<>();
        BuildContext ctx = BuildContext.builder()
                .contextDir(dir)
                .tag(tag)
                .push(true)
                .registryAuth(new RegistryCredentials(
                        Registries.AUTH,
                        Registries.AUTH_USER,
                        SecretSource.ofBytes(wrong.getBytes(StandardCharsets.UTF_8))))
                .build();
        try (BuildEngine engine = Daemon.engine(Backend.BUILDKIT)) {
            assertThatThrownBy(() -> engine.build(ctx, events::add))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.registry()).isEqualTo(Registries.AUTH);
                        assertThat(e.getMessage())
                                .contains("registry " + Registries.AUTH)
                                .contains("check the registryAuth credentials for " + Registries.AUTH)
                                .doesNotContain(wrong)
                                .doesNotContain(
                                        Base64.getEncoder().encodeToString(wrong.getBytes(StandardCharsets.UTF_8)))
                                .doesNotContain(
                                        Base64.getUrlEncoder().encodeToString(wrong.getBytes(StandardCharsets.UTF_8)));
                    });
        }
        assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e.toString()).doesNotContain(wrong));
        assertThat(ctx.toString()).doesNotContain(wrong);
    }

    @Test
    void inlineCacheRestoresEveryStepAfterThePruneFromThePushedImage() throws IOException {
        Registries.assumeRegistry(Registries.OPEN);
        Files.writeString(
                dir.resolve("Dockerfile"),
                String.join(
                        "\n",
                        "FROM " + Daemon.BASE_IMAGE,
                        "COPY data.txt /data.txt",
                        "RUN echo " + RUN_ID + " > /id.txt && sleep 1",
                        "RUN cat /data.txt /id.txt > /both.txt",
                        ""));
        Files.writeString(dir.resolve("data.txt"), "payload " + RUN_ID);
        String tag = repo(Registries.OPEN, "inline") + ":1";
        CREATED.add(tag);
        BuildContext pushCtx = BuildContext.builder()
                .contextDir(dir)
                .tag(tag)
                .push(true)
                .cacheTo("type=inline")
                .build();
        try (BuildEngine engine = Daemon.engine(Backend.BUILDKIT)) {
            BuildResult first = engine.build(pushCtx, null);
            assertThat(first.digest()).startsWith("sha256:");
            assertThat(first.metrics().steps())
                    .filteredOn(s -> s.name().contains("RUN"))
                    .noneMatch(StepTiming::cached);
            // The pushed image's config blob carries BuildKit's inline cache metadata.
            String path = tag.substring(Registries.OPEN.length() + 1, tag.lastIndexOf(':'));
            Registries.Fetched manifest = Registries.getManifest(Registries.OPEN, path, first.digest(), null);
            assertThat(ManifestLists.digest(manifest.body())).isEqualTo(first.digest());
            String configDigest = Json.parse(new String(manifest.body(), StandardCharsets.UTF_8))
                    .path("config")
                    .path("digest")
                    .asText();
            assertThat(Registries.getBlob(Registries.OPEN, path, configDigest)).contains("moby.buildkit.cache.v0");
            JsonValue layers = Daemon.inspect(tag).path("RootFS").path("Layers");

            Daemon.removeImage(tag);
            engine.pruneBuildCache(PruneOptions.builder().all(true).build());

            BuildContext rebuild = BuildContext.builder()
                    .contextDir(dir)
                    .tag(tag)
                    .cacheFrom(tag)
                    .build();
            BuildResult second = engine.build(rebuild, null);
            List<StepTiming> cacheable = new ArrayList<>(second.metrics().steps());
            cacheable.removeIf(s -> s.name().contains("FROM "));
            assertThat(cacheable).hasSize(3).allMatch(StepTiming::cached);
            // Same layers, taken from the registry's cache rather than rebuilt (the config differs: no cache metadata).
            assertThat(Daemon.inspect(second.imageId()).path("RootFS").path("Layers"))
                    .isEqualTo(layers);
        }
    }

    @Test
    void registryDownMidPushLeavesNothingTaggedLocally() throws IOException {
        Registries.assumeRegistry(Registries.OPEN);
        writeContext(CROSS_DOCKERFILE);
        try (io.jenkins.plugins.containerbuild.engine.testing.CuttingProxy proxy =
                new io.jenkins.plugins.containerbuild.engine.testing.CuttingProxy(5000, "PUT /v2/")) {
            String tag = proxy.host() + "/cb-test/down-" + RUN_ID + ":1";
            List<String> perPlatform = List.of(tag + "-linux-amd64", tag + "-linux-arm64");
            CREATED.add(tag);
            CREATED.addAll(perPlatform);
            BuildContext ctx = BuildContext.builder()
                    .contextDir(dir)
                    .tag(tag)
                    .platform(Platform.LINUX_AMD64)
                    .platform(Platform.LINUX_ARM64)
                    .push(true)
                    .build();
            try (BuildEngine engine = Daemon.engine(Backend.BUILDKIT)) {
                if (oneSolve()) {
                    // The daemon's BuildKit pushes itself: its error names the registry and the push.
                    assertThatThrownBy(() -> engine.build(ctx, null))
                            .isInstanceOf(BuildFailedException.class)
                            .hasMessageContaining("failed to push " + proxy.host() + "/cb-test/down-");
                } else {
                    assertThatThrownBy(() -> engine.build(ctx, null))
                            .isInstanceOfSatisfying(RegistryException.class, e -> {
                                assertThat(e.registry()).isEqualTo(proxy.host());
                                assertThat(e.getMessage())
                                        .contains("pushing " + proxy.host() + "/cb-test/down-")
                                        .contains("to registry " + proxy.host() + " failed");
                            });
                }
            }
            assertThat(proxy.wentDown()).isTrue();
            for (String t : List.of(tag, perPlatform.get(0), perPlatform.get(1))) {
                assertThatThrownBy(() -> Daemon.inspect(t))
                        .as(t + " must not be left tagged")
                        .hasMessageContaining("404");
            }
        }
    }

    /** Whether the run's daemon builds every platform in one solve: Docker 26's BuildKit with the containerd store. */
    private static boolean oneSolve() {
        return Daemon.profile().containerdImageStore() && Daemon.profile().buildKitMinor() >= 13;
    }

    /** One solve pushed one list under the tag; the result names each platform's manifest in it. */
    private static void assertOneIndexPushed(BuildResult r, String repo, String tag) throws IOException {
        assertThat(r.platforms())
                .extracting(PlatformImage::platform)
                .containsExactly(Platform.LINUX_AMD64, Platform.LINUX_ARM64);
        assertThat(r.platforms()).extracting(PlatformImage::reference).containsOnly(tag);
        Registries.Fetched list =
                Registries.getManifest(Registries.OPEN, repo.substring(Registries.OPEN.length() + 1), "1", null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.contentType()).as("manifestFormat's default").isEqualTo(ManifestFormat.DOCKER.mediaType());
        assertThat(ManifestLists.digest(list.body())).isEqualTo(r.digest()).isEqualTo(r.imageId());
        JsonValue doc = Json.parse(new String(list.body(), StandardCharsets.UTF_8));
        for (int i = 0; i < 2; i++) {
            JsonValue m = doc.path("manifests").get(i);
            assertThat(m.path("digest").asText()).isEqualTo(r.platforms().get(i).digest());
            assertThat(m.path("platform").path("architecture").asText())
                    .isEqualTo(r.platforms().get(i).platform().architecture());
        }
        assertThat(r.metrics().layers()).as("summed over both manifests").isGreaterThanOrEqualTo(4);
        assertThat(r.metrics().stepsTotal()).isPositive();
    }

    @Test
    void withoutPushTheContainerdStoreGetsOneIndexHoldingEveryPlatform() throws IOException {
        writeContext(CROSS_DOCKERFILE);
        String tag = "cb-test/loaded-" + RUN_ID + ":1";
        BuildContext ctx = BuildContext.builder()
                .contextDir(dir)
                .tag(tag)
                .platform(Platform.LINUX_AMD64)
                .platform(Platform.LINUX_ARM64)
                .build();
        try (BuildEngine engine = Daemon.engine(Backend.BUILDKIT)) {
            if (!oneSolve()) {
                assertThatThrownBy(() -> engine.build(ctx, null))
                        .isInstanceOf(InvalidBuildContextException.class)
                        .hasMessageStartingWith("push: a build for 2 platforms");
                return;
            }
            CREATED.add(tag);
            BuildResult r = engine.build(ctx, null);
            // The daemon names the index by its digest; both platforms' images are in its store under the one tag.
            assertThat(Daemon.inspect(tag).path("Id").asText()).isEqualTo(r.imageId());
            assertThat(r.digest()).as("nothing was pushed").isNull();
            assertThat(Registries.run("linux/arm64", tag, "sh", "-c", "uname -m; cat /arch.txt"))
                    .isEqualTo("aarch64\naarch64\n");
            assertThat(Registries.run("linux/amd64", tag, "sh", "-c", "uname -m; cat /arch.txt"))
                    .isEqualTo("x86_64\nx86_64\n");
        }
    }
}
