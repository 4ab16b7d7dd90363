package io.jenkins.plugins.containerbuild.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildSpec;
import io.jenkins.plugins.containerbuild.engine.api.CredentialRef;
import io.jenkins.plugins.containerbuild.engine.api.ImageReference;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.api.Platform;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BuildSpecArgumentsTest {

    /** Stands in for a Groovy GString: a CharSequence that is not a String. */
    static CharSequence gstring(String s) {
        return new StringBuilder(s);
    }

    static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static Stream<Arguments> badArguments() {
        return Stream.of(
                Arguments.of(args("tagz", List.of("a")), "tagz", List.of("unknown argument", "did you mean 'tags'?")),
                Arguments.of(args("buildArg", Map.of()), "buildArg", List.of("did you mean 'buildArgs'?")),
                Arguments.of(args("NoCache", true), "NoCache", List.of("did you mean 'noCache'?")),
                Arguments.of(
                        args("frobnicate", 1),
                        "frobnicate",
                        List.of("unknown argument", "unknown argument; known arguments: context, dockerfile, tags,")),
                Arguments.of(args("tags", 5), "tags", List.of("expected a list of strings", "the number 5")),
                Arguments.of(args("tags", List.of("a", 7)), "tags[1]", List.of("expected a string, got the number 7")),
                Arguments.of(args("tags", List.of("a", " ")), "tags[1]", List.of("must not be empty")),
                Arguments.of(args("context", List.of(".")), "context", List.of("expected a string, got a list")),
                Arguments.of(args("context", ""), "context", List.of("must not be empty")),
                Arguments.of(args("noCache", "yes"), "noCache", List.of("expected true or false", "the string 'yes'")),
                Arguments.of(args("pull", 1), "pull", List.of("expected true or false, got the number 1")),
                Arguments.of(
                        args("buildArgs", List.of("A=1")),
                        "buildArgs[0]",
                        List.of("expected [name: 'NAME', value: 'value']", "write the option as a map")),
                Arguments.of(
                        args("buildArgs", Map.of("A", List.of())),
                        "buildArgs.A",
                        List.of("expected a string or number")),
                Arguments.of(
                        args("extraHosts", Map.of("db", 5)),
                        "extraHosts.db",
                        List.of("expected a string, got the number 5")),
                Arguments.of(
                        args("platforms", List.of("linux/amd64", "windows/amd64")),
                        "platforms[1]",
                        List.of("unsupported platform 'windows/amd64'")),
                Arguments.of(
                        args(
                                "tagRules",
                                List.of("type=ref,event=branch"),
                                "images",
                                List.of("team/app"),
                                "flavor",
                                List.of("latest=sometimes")),
                        "flavor",
                        List.of("latest=sometimes is not auto, true or false")),
                Arguments.of(
                        args(
                                "tagRules",
                                List.of("type=semver,pattern={{version}}", "type=bogus"),
                                "images",
                                List.of("team/app")),
                        "tagRules[1]",
                        List.of("unknown rule type 'bogus'")),
                Arguments.of(
                        args("secrets", List.of("npm-token")),
                        "secrets[0]",
                        List.of(
                                "expected a map, e.g. [id: 'npm', credentialsId: 'npm-token']",
                                "the string 'npm-token'")),
                Arguments.of(args("secrets", Map.of("id", "x")), "secrets", List.of("expected a list of maps")),
                Arguments.of(
                        args("secrets", List.of(Map.of("id", "npm"))),
                        "secrets[0].credentialsId",
                        List.of("is required")),
                Arguments.of(
                        args("secrets", List.of(Map.of("credentialsId", "npm-token"))),
                        "secrets[0].id",
                        List.of("is required")),
                Arguments.of(
                        args("secrets", List.of(Map.of("id", "npm", "credentialId", "t"))),
                        "secrets[0].credentialId",
                        List.of("unknown argument", "did you mean 'credentialsId'?")),
                Arguments.of(
                        args("secrets", List.of(Map.of("id", "a b", "credentialsId", "t"))),
                        "secrets[0].id",
                        List.of("'a b' is not a valid id")),
                Arguments.of(
                        args(
                                "secrets",
                                List.of(
                                        Map.of("id", "a", "credentialsId", "t"),
                                        Map.of("id", "a", "credentialsId", "u"))),
                        "secrets[1].id",
                        List.of("'a' is given twice")),
                Arguments.of(
                        args("sshKeys", List.of(Map.of("id", 3, "credentialsId", "k"))),
                        "sshKeys[0].id",
                        List.of("expected a string, got the number 3")),
                Arguments.of(
                        args("cacheTo", "type=registry,mode=max"),
                        "cacheTo",
                        List.of("type=registry needs ref=HOST/REPO:TAG")),
                Arguments.of(
                        args("cacheTo", "type=registry,ref=r/app:cache,mode=maxx"),
                        "cacheTo",
                        List.of("mode=maxx is not a cache mode; use mode=min", "mode=max")),
                Arguments.of(args("cacheTo", "type=local"), "cacheTo", List.of("type=local needs dest=DIR")),
                Arguments.of(
                        args("cacheTo", "type=registry,ref=r/a:c,mod=max"),
                        "cacheTo",
                        List.of("type=registry has no attribute 'mod'")),
                Arguments.of(args("cacheTo", "type=gha"), "cacheTo", List.of("cache type 'gha' is not available here")),
                Arguments.of(
                        args("cacheTo", "type=inline,mode=max"), "cacheTo", List.of("type=inline takes no options")),
                Arguments.of(args("push", true), "push", List.of("needs at least one tag")),
                Arguments.of(args("push", "true"), "push", List.of("expected true or false")),
                Arguments.of(args("backend", "podman2"), "backend", List.of("unknown backend 'podman2'")),
                Arguments.of(
                        args("timeout", "30 minutes"), "timeout", List.of("is not a duration", "e.g. 90s, 30m, 1h30m")),
                Arguments.of(args("timeout", 30), "timeout", List.of("expected a string, got the number 30")),
                Arguments.of(args("timeout", "0s"), "timeout", List.of("must be longer than zero")),
                Arguments.of(args("network", "overlay"), "network", List.of("'overlay' is not supported")),
                Arguments.of(Map.of(1, "x"), "1", List.of("argument names must be strings")));
    }

    @ParameterizedTest
    @MethodSource("badArguments")
    void refusesBadArgumentsNamingTheKey(Map<String, ?> args, String field, List<String> parts) {
        assertThatThrownBy(() -> BuildSpecArguments.fromArguments(args))
                .isInstanceOfSatisfying(InvalidBuildContextException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).startsWith(field + ": ");
                    parts.forEach(p -> assertThat(e.getMessage()).contains(p));
                });
    }

    @Test
    void defaultsWhenNothingIsGiven() {
        BuildSpec r = BuildSpecArguments.fromArguments(Map.of());
        assertThat(r.context()).isEqualTo(".");
        assertThat(r.dockerfile()).isNull();
        assertThat(r.tags()).isEmpty();
        assertThat(r.backend()).isEqualTo(Backend.AUTO);
        assertThat(r.timeout()).isNull();
        assertThat(r.push()).isFalse();
        assertThat(r.credentialIds()).isEmpty();
        assertThat(BuildSpecArguments.toArguments(r)).isEmpty();
        assertThat(BuildSpecArguments.fromArguments(null)).isEqualTo(r);
    }

    @Test
    void readsGroovyShapedArguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("context", gstring("app"));
        a.put("dockerfile", "docker/Dockerfile.prod");
        a.put("tags", List.of(gstring("127.0.0.1:5000/team/app:1.0"), "team/app:latest"));
        a.put("platforms", "linux/amd64, linux/arm64/v8");
        a.put("buildArgs", Map.of("VERSION", new BigDecimal("1.50"), "N", 3, "DEBUG", false));
        a.put("labels", Map.of("org.opencontainers.image.title", gstring("App")));
        a.put("target", "runtime");
        a.put("secrets", List.of(Map.of("id", "npm", "credentialsId", gstring("npm-token"))));
        a.put("sshKeys", List.of(Map.of("credentialsId", "git-key")));
        a.put("registryCredentialsId", "registry-login");
        a.put("cacheFrom", "127.0.0.1:5000/team/app:cache");
        a.put("cacheTo", "type=inline");
        a.put("noCache", true);
        a.put("pull", Boolean.TRUE);
        a.put("network", "host");
        a.put("extraHosts", Map.of("db", "10.0.0.5"));
        a.put("push", true);
        a.put("backend", "BuildKit");
        a.put("timeout", "1h30m");
        a.put("name", "app");
        BuildSpec r = BuildSpecArguments.fromArguments(a);

        assertThat(r.context()).isEqualTo("app");
        assertThat(r.tags()).containsExactly("127.0.0.1:5000/team/app:1.0", "team/app:latest");
        assertThat(r.platforms()).containsExactly("linux/amd64", "linux/arm64");
        assertThat(r.buildArgs())
                .containsEntry("VERSION", "1.50")
                .containsEntry("N", "3")
                .containsEntry("DEBUG", "false");
        assertThat(r.sshKeys()).containsExactly(new CredentialRef("default", "git-key"));
        assertThat(r.secrets()).containsExactly(new CredentialRef("npm", "npm-token"));
        assertThat(r.cacheFrom()).containsExactly("127.0.0.1:5000/team/app:cache");
        assertThat(r.backend()).isEqualTo(Backend.BUILDKIT);
        assertThat(r.timeout()).isEqualTo(Duration.ofMinutes(90));
        assertThat(r.credentialIds()).containsExactly("npm-token", "git-key", "registry-login");
        assertThat(r.registryHosts()).containsExactly("127.0.0.1:5000", "docker.io");
        assertThat(r.displayName()).isEqualTo("app");

        Map<String, Object> round = BuildSpecArguments.toArguments(r);
        assertThat(BuildSpecArguments.fromArguments(round)).isEqualTo(r);
        assertThat(BuildSpecArguments.toArguments(BuildSpecArguments.fromArguments(round)))
                .isEqualTo(round);
        assertThat(round)
                .containsEntry("timeout", "1h30m")
                .containsEntry("cacheTo", List.of("type=inline"))
                .containsEntry("push", true)
                .containsEntry("context", "app")
                .doesNotContainKey("dockerfil");
    }

    @Test
    void nullValuesCountAsAbsent() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("dockerfile", null);
        a.put("tags", null);
        a.put("noCache", null);
        assertThat(BuildSpecArguments.fromArguments(a)).isEqualTo(BuildSpecArguments.fromArguments(Map.of()));
    }

    @Test
    void registryHostFollowsDockersRules() {
        assertThat(ImageReference.parse("tags", "app").host()).isEqualTo("docker.io");
        assertThat(ImageReference.parse("tags", "team/app:1").host()).isEqualTo("docker.io");
        assertThat(ImageReference.parse("tags", "localhost/app").host()).isEqualTo("localhost");
        assertThat(ImageReference.parse("tags", "registry.example.com/team/app").host())
                .isEqualTo("registry.example.com");
        assertThat(ImageReference.parse("tags", "127.0.0.1:5000/app").host()).isEqualTo("127.0.0.1:5000");
    }

    @Test
    void toContextResolvesPathsAndCredentials(@TempDir Path workspace) throws Exception {
        Path app = Files.createDirectories(workspace.resolve("app/docker"));
        Files.writeString(app.resolve("Dockerfile.prod"), "FROM scratch\n");
        BuildSpec r = BuildSpecArguments.fromArguments(args(
                "context",
                "app",
                "dockerfile",
                "docker/Dockerfile.prod",
                "tags",
                List.of("127.0.0.1:5000/app:1"),
                "platforms",
                List.of("linux/arm64"),
                "push",
                true,
                "buildArgs",
                Map.of("V", 2),
                "cacheTo",
                "type=inline",
                "secrets",
                List.of(Map.of("id", "npm", "credentialsId", "npm-token")),
                "sshKeys",
                List.of(Map.of("id", "default", "credentialsId", "git-key")),
                "registryCredentialsId",
                "reg",
                "network",
                "none",
                "extraHosts",
                Map.of("db", "10.0.0.5")));
        ResolvedCredentials creds = ResolvedCredentials.builder()
                .secret("npm", "s3cr3t-npm".getBytes(StandardCharsets.UTF_8))
                .sshKey("default", "-----BEGIN KEY-----".getBytes(StandardCharsets.UTF_8), null)
                .registry("127.0.0.1:5000", "ci", "pw-123".getBytes(StandardCharsets.UTF_8))
                .build();

        BuildContext ctx = BuildSpecArguments.toContext(r, workspace, creds);

        assertThat(ctx.contextDir())
                .isEqualTo(workspace.resolve("app").toAbsolutePath().normalize());
        assertThat(ctx.dockerfile())
                .isEqualTo(app.resolve("Dockerfile.prod").toAbsolutePath().normalize());
        assertThat(ctx.platforms()).containsExactly(Platform.LINUX_ARM64);
        assertThat(ctx.buildArgs()).containsEntry("V", "2");
        assertThat(ctx.inlineCache()).isTrue();
        assertThat(ctx.push()).isTrue();
        assertThat(ctx.networkMode()).isEqualTo("none");
        assertThat(ctx.extraHosts()).containsEntry("db", "10.0.0.5");
        assertThat(new String(ctx.secrets().get("npm").read(), StandardCharsets.UTF_8))
                .isEqualTo("s3cr3t-npm");
        assertThat(new String(
                        ctx.sshKeys().get("default").privateKey().orElseThrow().read(), StandardCharsets.UTF_8))
                .isEqualTo("-----BEGIN KEY-----");
        assertThat(ctx.sshKeys().get("default").passphrase()).isEmpty();
        assertThat(ctx.registryAuth().get("127.0.0.1:5000").username()).isEqualTo("ci");
        assertThat(ctx.toString()).doesNotContain("s3cr3t-npm", "pw-123");
    }

    @Test
    void toContextTakesAbsoluteContextAndDefaultDockerfile(@TempDir Path workspace, @TempDir Path elsewhere)
            throws Exception {
        Files.writeString(elsewhere.resolve("Dockerfile"), "FROM scratch\n");
        BuildContext ctx = BuildSpecArguments.toContext(
                BuildSpecArguments.fromArguments(args("context", elsewhere.toString())), workspace, null);
        assertThat(ctx.contextDir()).isEqualTo(elsewhere.toAbsolutePath().normalize());
        assertThat(ctx.dockerfile())
                .isEqualTo(elsewhere.resolve("Dockerfile").toAbsolutePath().normalize());
        assertThat(ctx.buildArgs()).doesNotContainKey(BuildSpec.INLINE_CACHE_ARG);
    }

    @Test
    void toContextNamesTheCredentialThatWasNotResolved(@TempDir Path workspace) throws Exception {
        Files.writeString(workspace.resolve("Dockerfile"), "FROM scratch\n");
        BuildSpec secret = BuildSpecArguments.fromArguments(
                args("secrets", List.of(Map.of("id", "npm", "credentialsId", "npm-token"))));
        assertThatThrownBy(() -> BuildSpecArguments.toContext(secret, workspace, ResolvedCredentials.none()))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessageContaining("credentials 'npm-token' for secret 'npm' were not resolved");
        BuildSpec ssh = BuildSpecArguments.fromArguments(args("sshKeys", List.of(Map.of("credentialsId", "git-key"))));
        assertThatThrownBy(() -> BuildSpecArguments.toContext(ssh, workspace, null))
                .hasMessageContaining("credentials 'git-key' for SSH key 'default' were not resolved");
        BuildSpec reg = BuildSpecArguments.fromArguments(args("registryCredentialsId", "reg-login"));
        assertThatThrownBy(() -> BuildSpecArguments.toContext(reg, workspace, null))
                .hasMessageContaining("registryCredentialsId: credentials 'reg-login' were not resolved");
    }

    @Test
    void severalRegistriesEachWithTheirHostAndNoneTwice() {
        BuildSpec spec = BuildSpecArguments.fromArguments(args(
                "registryCredentialsId",
                "team",
                "registryHost",
                "registry.example.com",
                "registries",
                List.of(
                        Map.of("host", "docker.io", "credentialsId", "hub"),
                        Map.of("host", "127.0.0.1:5000", "credentialsId", "local"))));
        assertThat(spec.registries())
                .containsExactly(
                        new BuildSpec.RegistryLogin("team", "registry.example.com"),
                        new BuildSpec.RegistryLogin("hub", "docker.io"),
                        new BuildSpec.RegistryLogin("local", "127.0.0.1:5000"));
        assertThat(spec.credentialIds()).containsExactly("team", "hub", "local");
        // Several logins go back as the list; one as the shorthand.
        assertThat(BuildSpecArguments.fromArguments(BuildSpecArguments.toArguments(spec)))
                .isEqualTo(spec);
        assertThat(BuildSpecArguments.toArguments(BuildSpecArguments.fromArguments(
                        args("registries", List.of(Map.of("host", "docker.io", "credentialsId", "hub"))))))
                .containsEntry("registryCredentialsId", "hub")
                .containsEntry("registryHost", "docker.io");

        assertThatThrownBy(() -> BuildSpecArguments.fromArguments(args(
                        "registries",
                        List.of(
                                Map.of("host", "Docker.io", "credentialsId", "a"),
                                Map.of("host", "docker.io", "credentialsId", "b")))))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessage("registries: the host docker.io is listed twice; give each registry one login");
        assertThatThrownBy(() ->
                        BuildSpecArguments.fromArguments(args("registries", List.of(Map.of("credentialsId", "a")))))
                .hasMessageStartingWith("registries[0].host: is required");
        assertThatThrownBy(() -> BuildSpecArguments.fromArguments(args(
                        "registries", List.of(Map.of("host", "r.example.com", "credentialsId", "a", "user", "x")))))
                .hasMessageContaining("registries[0].user");
        assertThatThrownBy(() -> BuildSpecArguments.fromArguments(args(
                        "registryCredentialsId",
                        "team",
                        "registries",
                        List.of(Map.of("host", "docker.io", "credentialsId", "hub")))))
                .hasMessageStartingWith("registryCredentialsId: without registryHost");
    }

    @Test
    void toContextReportsBadTagsAndMissingDockerfile(@TempDir Path workspace) throws Exception {
        BuildSpec noFile = BuildSpecArguments.fromArguments(Map.of());
        assertThatThrownBy(() -> BuildSpecArguments.toContext(noFile, workspace, null))
                .isInstanceOfSatisfying(
                        InvalidBuildContextException.class,
                        e -> assertThat(e.field()).isEqualTo("dockerfile"));
        Files.writeString(workspace.resolve("Dockerfile"), "FROM scratch\n");
        BuildSpec badTag = BuildSpecArguments.fromArguments(args("tags", List.of("App:1")));
        assertThatThrownBy(() -> BuildSpecArguments.toContext(badTag, workspace, null))
                .isInstanceOfSatisfying(InvalidBuildContextException.class, e -> {
                    assertThat(e.field()).isEqualTo("tags");
                    assertThat(e.getMessage()).contains("must be lowercase");
                });
    }
}
