package io.jenkins.plugins.containerbuild.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Validation of the value types: every error names the field and says what to do. */
class BuildContextTest {
    @TempDir
    static Path dir;

    @BeforeEach
    void dockerfile() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
    }

    private static BuildContext.Builder valid() {
        return BuildContext.builder().contextDir(dir);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(
                        (UnaryOperator<BuildContext.Builder>) b -> b.contextDir(null), "contextDir", "is required"),
                Arguments.of(
                        (UnaryOperator<BuildContext.Builder>) b -> b.contextDir(dir.resolve("missing")),
                        "contextDir",
                        "check the path exists"),
                Arguments.of(
                        (UnaryOperator<BuildContext.Builder>) b -> b.dockerfile(Path.of("Nope")),
                        "dockerfile",
                        "does not exist"),
                Arguments.of((UnaryOperator<BuildContext.Builder>) b -> b.tag("UPPER:1"), "tags", "lowercase"),
                Arguments.of(
                        (UnaryOperator<BuildContext.Builder>) b -> b.tag("a b"), "tags", "not a valid image reference"),
                Arguments.of((UnaryOperator<BuildContext.Builder>) b -> b.tag(""), "tags", "must not be empty"),
                Arguments.of(
                        (UnaryOperator<BuildContext.Builder>) b -> b.tag("app:" + "x".repeat(200)),
                        "tags",
                        "not a valid image reference"),
                Arguments.of((UnaryOperator<BuildContext.Builder>) b -> b.buildArg("A=B", "c"), "buildArgs", "no '='"),
                Arguments.of((UnaryOperator<BuildContext.Builder>) b -> b.buildArg("", "c"), "buildArgs", "key ''"),
                Arguments.of(
                        (UnaryOperator<BuildContext.Builder>) b -> b.label("has space", "c"), "labels", "white space"),
                Arguments.of(
                        (UnaryOperator<BuildContext.Builder>) b -> b.target("1stage"), "target", "start with a letter"),
                Arguments.of(
                        (UnaryOperator<BuildContext.Builder>) b -> b.cacheFrom("Bad Ref"),
                        "cacheFrom",
                        "not a valid image reference"),
                Arguments.of(
                        (UnaryOperator<BuildContext.Builder>) b -> b.networkMode("bridge2"),
                        "network",
                        "default, host, none"),
                Arguments.of(
                        (UnaryOperator<BuildContext.Builder>) b -> b.extraHost("db", "not-an-ip"),
                        "extraHosts",
                        "host:IP"),
                Arguments.of(
                        (UnaryOperator<BuildContext.Builder>) b -> b.extraHost("bad host", "10.0.0.1"),
                        "extraHosts",
                        "not a valid host name"),
                Arguments.of(
                        (UnaryOperator<BuildContext.Builder>) b -> b.extraHost("db", "300.1.1.1"),
                        "extraHosts",
                        "not an IP address"),
                Arguments.of(
                        (UnaryOperator<BuildContext.Builder>)
                                b -> b.secret("bad id", SecretSource.ofBytes(new byte[] {1})),
                        "secrets",
                        "id 'bad id'"),
                Arguments.of(
                        (UnaryOperator<BuildContext.Builder>)
                                b -> b.sshKey("a/b", SshKeySource.ofAgentSocket(Path.of("/s"))),
                        "sshKeys",
                        "id 'a/b'"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidFieldsAreNamed(UnaryOperator<BuildContext.Builder> change, String field, String hint) {
        assertThatThrownBy(() -> change.apply(valid()).build())
                .isInstanceOfSatisfying(InvalidBuildContextException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).startsWith(field + ": ").contains(hint);
                });
    }

    @Test
    void contextTransportParsesUserInputAndNamesTheFieldOtherwise() {
        assertThat(ContextTransport.parse("--context-transport", null)).isEqualTo(ContextTransport.AUTO);
        assertThat(ContextTransport.parse("--context-transport", " File-Sync ")).isEqualTo(ContextTransport.FILE_SYNC);
        assertThat(ContextTransport.parse("--context-transport", "tar")).isEqualTo(ContextTransport.TAR);
        assertThatThrownBy(() -> ContextTransport.parse("--context-transport", "rsync"))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessageStartingWith("--context-transport: ")
                .hasMessageContaining("auto, tar, file-sync");
    }

    @Test
    void validContextKeepsEverythingAndNormalizes() {
        BuildContext c = valid().tag("registry.example.com:5000/team/app:1.0")
                .tag("app@sha256:" + "a".repeat(64))
                .buildArg("A", null)
                .label("l", "v")
                .target("final")
                .cacheFrom("app:cache")
                .noCache(true)
                .pull(true)
                .networkMode("host")
                .extraHost("db", "10.0.0.5")
                .extraHost("v6", "::1")
                .platform(Platform.parse("platform", "linux/arm64"))
                .build();
        assertThat(c.contextDir()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(c.dockerfile()).isEqualTo(dir.resolve("Dockerfile"));
        assertThat(c.dockerfileInsideContext()).isTrue();
        assertThat(c.buildArgs()).containsEntry("A", "");
        assertThat(c.target()).contains("final");
        assertThat(c.extraHosts()).containsEntry("v6", "::1");
        assertThat(c.platforms()).containsExactly(Platform.LINUX_ARM64);
        assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c);
        assertThatThrownBy(() -> c.tags().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void secretsNeverShowInToStringOrEquality() {
        byte[] value = "hunter2-very-secret".getBytes(StandardCharsets.UTF_8);
        BuildContext c = valid().secret("tok", SecretSource.ofBytes(value))
                .registryAuth(new RegistryCredentials("127.0.0.1:5001", "bob", SecretSource.ofBytes(value)))
                .sshKey("default", SshKeySource.ofPrivateKey(SecretSource.ofBytes(value), null))
                .build();
        value[0] = 'X'; // the context kept its own copy
        assertThat(c.toString()).contains("tok").contains("127.0.0.1:5001").doesNotContain("hunter2");
        assertThat(c.secrets().get("tok").toString()).doesNotContain("hunter2");
        assertThat(c.registryAuth().get("127.0.0.1:5001").toString())
                .contains("bob")
                .doesNotContain("hunter2");
        assertThat(c.needsSession()).isTrue();
        BuildContext other = valid().secret("tok", SecretSource.ofBytes(new byte[] {9}))
                .registryAuth(new RegistryCredentials("127.0.0.1:5001", "bob", SecretSource.ofBytes(new byte[] {9})))
                .sshKey("default", SshKeySource.ofAgentSocket(Path.of("/x")))
                .build();
        assertThat(other).isEqualTo(c); // equality looks at ids only, never at secret bytes
    }

    @Test
    void platformsParseWithAliases() {
        assertThat(Platform.parse("p", "linux/amd64")).isEqualTo(Platform.LINUX_AMD64);
        assertThat(Platform.parse("p", "x86_64")).isEqualTo(Platform.LINUX_AMD64);
        assertThat(Platform.parse("p", "linux/arm64/v8")).isEqualTo(Platform.LINUX_ARM64);
        assertThat(Platform.parse("p", "linux/arm")).isEqualTo(Platform.LINUX_ARM_V7);
        assertThat(Platform.LINUX_ARM_V7.specifier()).isEqualTo("linux/arm/v7");
        assertThatThrownBy(() -> Platform.parse("--platform", "windows/amd64"))
                .hasMessageStartingWith("--platform: unsupported platform 'windows/amd64'");
        assertThat(Backend.parse("--backend", "BuildKit")).isEqualTo(Backend.BUILDKIT);
        assertThatThrownBy(() -> Backend.parse("--backend", "kaniko")).hasMessageContaining("--backend");
    }

    @Test
    void metricsDeriveCountsFromSteps() {
        BuildMetrics m = BuildMetrics.builder()
                .start(java.time.Instant.EPOCH)
                .end(java.time.Instant.EPOCH.plusSeconds(3))
                .status(BuildStatus.SUCCESS)
                .backend(Backend.BUILDKIT)
                .steps(java.util.List.of(
                        new StepTiming("[1/2] FROM x", java.time.Duration.ZERO, true),
                        new StepTiming("[2/2] RUN y", java.time.Duration.ofSeconds(2), false)))
                .build();
        assertThat(m.stepsTotal()).isEqualTo(2);
        assertThat(m.cacheHits()).isEqualTo(1);
        assertThat(m.cacheMisses()).isEqualTo(1);
        assertThat(m.cacheHitRate()).isEqualTo(0.5);
        assertThat(m.duration()).hasSeconds(3);
    }
}
