package io.jenkins.plugins.containerbuild.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.api.ManifestFormat;
import io.jenkins.plugins.containerbuild.engine.api.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --platform list, --push, --cache-to and --manifest-format reach the build context. */
class BuildCommandPushOptionsTest {
    @TempDir
    Path dir;

    private BuildContext parse(String... args) throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM local/busybox:latest\n");
        BuildCommand cmd = new BuildCommand();
        String[] all = new String[args.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = dir.toString();
        new CommandLine(cmd).parseArgs(all);
        return cmd.toContext();
    }

    @Test
    void multiPlatformPushWithInlineCacheAndOciIndex() throws IOException {
        BuildContext c = parse(
                "-t",
                "127.0.0.1:5000/team/app:1",
                "--platform",
                "linux/amd64,linux/arm64",
                "--push",
                "--cache-to",
                "type=inline",
                "--manifest-format",
                "oci");
        assertThat(c.platforms()).containsExactly(Platform.LINUX_AMD64, Platform.LINUX_ARM64);
        assertThat(c.push()).isTrue();
        assertThat(c.inlineCache()).isTrue();
        assertThat(c.manifestFormat()).isEqualTo(ManifestFormat.OCI);
    }

    @Test
    void defaultsAreNoPushAndDockerList() throws IOException {
        BuildContext c = parse("-t", "app:1");
        assertThat(c.push()).isFalse();
        assertThat(c.cacheTo()).isEmpty();
        assertThat(c.manifestFormat()).isEqualTo(ManifestFormat.DOCKER);
    }

    @Test
    void aMisspeltCacheModeAndUnknownListFormatAreRefused() throws IOException {
        // A registry export is read (a buildkitd builder writes it; a Docker daemon refuses it before building).
        parse("-t", "127.0.0.1:5000/a:1", "--push", "--cache-to", "type=registry,ref=127.0.0.1:5000/a:cache,mode=max");
        assertThatThrownBy(() -> parse(
                        "-t",
                        "127.0.0.1:5000/a:1",
                        "--push",
                        "--cache-to",
                        "type=registry,ref=127.0.0.1:5000/a:c,mode=mx"))
                .isInstanceOfSatisfying(InvalidBuildContextException.class, e -> {
                    assertThat(e.field()).isEqualTo("cacheTo");
                    assertThat(e.getMessage()).contains("mode=mx is not a cache mode");
                });
        assertThatThrownBy(() -> parse("-t", "a:1", "--manifest-format", "v1"))
                .isInstanceOfSatisfying(
                        InvalidBuildContextException.class,
                        e -> assertThat(e.field()).isEqualTo("--manifest-format"));
    }
}
