package io.jenkins.plugins.containerbuild.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** push, cacheTo and manifestFormat: validated on construction, or by the engine before it builds. */
class BuildContextPushTest {
    @TempDir
    Path dir;

    @BeforeEach
    void dockerfile() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM local/busybox:latest\n");
    }

    private BuildContext.Builder base() {
        return BuildContext.builder().contextDir(dir).tag("127.0.0.1:5000/team/app:1");
    }

    @Test
    void defaultsPushNothingAndUseTheDockerListFormat() {
        BuildContext c = base().build();
        assertThat(c.push()).isFalse();
        assertThat(c.cacheTo()).isEmpty();
        assertThat(c.inlineCache()).isFalse();
        assertThat(c.manifestFormat()).isEqualTo(ManifestFormat.DOCKER);
    }

    @Test
    void inlineCacheIsAcceptedWithPushAndSurvivesToBuilder() {
        BuildContext c = base().push(true)
                .cacheTo(" type=inline ")
                .manifestFormat(ManifestFormat.OCI)
                .build();
        assertThat(c.cacheTo()).contains("type=inline");
        assertThat(c.inlineCache()).isTrue();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.toString())
                .contains("push=true")
                .contains("cacheTo=[type=inline]")
                .contains("manifestFormat=OCI");
        assertThat(c)
                .isNotEqualTo(
                        c.toBuilder().manifestFormat(ManifestFormat.DOCKER).build());
    }

    @Test
    void cacheExportsAreReadInBuildxSyntaxAndMistakesRefused() {
        BuildContext registry = base().cacheTo("ref=127.0.0.1:5000/cache:1,type=registry,mode=max")
                .build();
        assertThat(registry.cacheTo()).contains("type=registry,ref=127.0.0.1:5000/cache:1,mode=max");
        assertThat(registry.inlineCache()).isFalse();
        assertThat(base().cacheTo("type=local,dest=/tmp/c").build().cacheTo()).contains("type=local,dest=/tmp/c");
        assertThat(base().push(true).cacheTo("inline").build().inlineCache()).isTrue();
        assertThatThrownBy(() -> base().push(true).cacheTo("mode=max").build()).hasMessageContaining("has no type");
        assertThatThrownBy(
                        () -> base().push(true).cacheTo("type=inline,mode=max").build())
                .hasMessageContaining("type=inline takes no options");
        assertThatThrownBy(() ->
                        base().cacheTo("type=registry,ref=r/c:1,mode=maximum").build())
                .isInstanceOfSatisfying(InvalidBuildContextException.class, e -> {
                    assertThat(e.field()).isEqualTo("cacheTo");
                    assertThat(e.getMessage()).contains("mode=maximum is not a cache mode");
                });
        // cacheFrom: a bare reference, type=registry,ref=…, or type=local,src=DIR[,tag=…|,digest=…].
        assertThat(base().cacheFrom(List.of("type=registry,ref=r/c:1", "r/d:2"))
                        .build()
                        .cacheFrom())
                .containsExactly("r/c:1", "r/d:2");
        BuildContext local = base().cacheFrom(List.of("type=local,src=/tmp/c,tag=v1", "r/d:2"))
                .build();
        assertThat(local.cacheFrom()).containsExactly("r/d:2");
        assertThat(local.localCacheImports()).containsExactly("type=local,src=/tmp/c,tag=v1");
        assertThat(local.toBuilder().build()).isEqualTo(local);
        assertThatThrownBy(() ->
                        base().cacheFrom(List.of("type=local,dest=/tmp/c")).build())
                .hasMessage("cacheFrom: 'type=local,dest=/tmp/c': type=local has no attribute 'dest'; its attributes"
                        + " are src, tag, digest");
        assertThatThrownBy(() -> base().cacheFrom(List.of("type=local,src=/c,digest=sha256:12"))
                        .build())
                .hasMessageContaining("digest=sha256:12 is not a sha256:… digest of 64 hex digits");
        assertThatThrownBy(() -> base().cacheFrom(List.of("type=gha,scope=x")).build())
                .hasMessageContaining(
                        "cache type 'gha' is not available here; use type=registry,ref=… or" + " type=local,src=DIR");
        assertThatThrownBy(() -> base().cacheTo(List.of("type=local,dest=/a", "type=local,dest=/b"))
                        .build())
                .hasMessageContaining("a type=local cache export cannot be combined with another");
    }

    @Test
    void inlineCacheWithoutPushIsRefused() {
        assertThatThrownBy(() -> base().cacheTo("type=inline").build())
                .isInstanceOfSatisfying(InvalidBuildContextException.class, e -> {
                    assertThat(e.field()).isEqualTo("cacheTo");
                    assertThat(e.getMessage()).contains("set push");
                });
    }

    @Test
    void pushWithoutATagIsRefused() {
        assertThatThrownBy(
                        () -> BuildContext.builder().contextDir(dir).push(true).build())
                .isInstanceOfSatisfying(
                        InvalidBuildContextException.class,
                        e -> assertThat(e.field()).isEqualTo("tags"));
    }

    @Test
    void aDockerArchiveCannotHoldSeveralPlatforms() {
        BuildContext.Builder two =
                base().push(true).platform(Platform.LINUX_AMD64).platform(Platform.LINUX_ARM64);
        assertThatThrownBy(() -> two.outputs(List.of(BuildOutput.parse("outputs", "type=docker,dest=i.tar")))
                        .build())
                .isInstanceOfSatisfying(InvalidBuildContextException.class, e -> {
                    assertThat(e.field()).isEqualTo("outputs");
                    assertThat(e.getMessage())
                            .contains("holds one platform's image")
                            .contains("use type=oci");
                });
        assertThat(two.outputs(List.of(
                                BuildOutput.parse("outputs", "type=image"),
                                BuildOutput.parse("outputs", "type=oci,dest=i.tar")))
                        .build()
                        .outputs())
                .hasSize(2);
    }

    @Test
    void severalPlatformsWithoutPushAreRefusedBeforeTheDaemonIsContacted() {
        BuildContext c = base().platform(Platform.LINUX_AMD64)
                .platform(Platform.LINUX_ARM64)
                .build();
        // An engine whose daemon does not exist: the refusal must come first.
        try (BuildEngine engine = BuildEngine.builder()
                .dockerHost("unix:///nonexistent/docker.sock")
                .backend(Backend.BUILDKIT)
                .build()) {
            assertThatThrownBy(() -> engine.build(c, null))
                    .isInstanceOfSatisfying(InvalidBuildContextException.class, e -> {
                        assertThat(e.field()).isEqualTo("push");
                        assertThat(e.getMessage()).contains("2 platforms").contains("cannot keep a manifest list");
                    });
        }
    }

    @Test
    void aTagTooLongForThePlatformSuffixIsRefused() {
        String longTag = "127.0.0.1:5000/team/app:" + "t".repeat(120);
        BuildContext c = BuildContext.builder()
                .contextDir(dir)
                .tag(longTag)
                .push(true)
                .platform(Platform.LINUX_AMD64)
                .platform(Platform.LINUX_ARM_V7)
                .build();
        try (BuildEngine engine = BuildEngine.builder()
                .dockerHost("unix:///nonexistent/docker.sock")
                .backend(Backend.BUILDKIT)
                .build()) {
            assertThatThrownBy(() -> engine.build(c, null))
                    .isInstanceOfSatisfying(InvalidBuildContextException.class, e -> {
                        assertThat(e.field()).isEqualTo("tags");
                        assertThat(e.getMessage()).contains("-linux-arm-v7").contains("at most 115");
                    });
        }
    }
}
