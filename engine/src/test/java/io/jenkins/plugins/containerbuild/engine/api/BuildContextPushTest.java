package io.jenkins.plugins.containerbuild.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
                .contains("cacheTo=type=inline")
                .contains("manifestFormat=OCI");
        assertThat(c)
                .isNotEqualTo(
                        c.toBuilder().manifestFormat(ManifestFormat.DOCKER).build());
    }

    @Test
    void registryAndLocalCacheExportsAreRefusedWithTheReason() {
        for (String v : new String[] {"type=registry,ref=127.0.0.1:5000/cache", "type=local,dest=/tmp/c"}) {
            assertThatThrownBy(() -> base().push(true).cacheTo(v).build())
                    .isInstanceOfSatisfying(InvalidBuildContextException.class, e -> {
                        assertThat(e.field()).isEqualTo("cacheTo");
                        assertThat(e.getMessage()).contains("built-in BuildKit").contains("type=inline");
                    });
        }
        assertThatThrownBy(() -> base().push(true).cacheTo("mode=max").build()).hasMessageContaining("has no type");
        assertThatThrownBy(
                        () -> base().push(true).cacheTo("type=inline,mode=max").build())
                .hasMessageContaining("type=inline takes no options");
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
