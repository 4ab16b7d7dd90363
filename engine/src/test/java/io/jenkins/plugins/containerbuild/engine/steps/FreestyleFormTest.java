package io.jenkins.plugins.containerbuild.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildSpec;
import io.jenkins.plugins.containerbuild.engine.api.GateConfig;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreestyleFormTest {
    private static final UnaryOperator<String> ENV =
            s -> s.replace("${BUILD_NUMBER}", "42").replace("${GIT}", "abc");

    @TempDir
    Path workspace;

    private static Map<String, Object> fullForm() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("tags", "registry.example.com/team/app:${BUILD_NUMBER}\n\n app:latest , app:${GIT}\r\n");
        f.put("context", "app");
        f.put("dockerfile", "build/Dockerfile");
        f.put("buildArgs", "VERSION=1.${BUILD_NUMBER}\nOPTS=a=b,c\n\n");
        f.put("secrets", List.of(Map.of("id", "npm", "credentialsId", "npm-token")));
        f.put("sshKeys", List.of());
        f.put("push", false);
        f.put("registryCredentialsId", "reg-${BUILD_NUMBER}");
        f.put("registryHost", "");
        f.put("platforms", "linux/amd64");
        f.put("target", "final");
        f.put("labels", "org.opencontainers.image.revision=${GIT}");
        f.put("cacheFrom", "app:cache");
        f.put("cacheTo", "  ");
        f.put("noCache", true);
        f.put("pull", null);
        f.put("network", "host");
        f.put("extraHosts", "db=10.0.0.5\nmirror:10.0.0.6\nv6=::1");
        f.put("backend", "buildkit");
        f.put("timeout", "30m");
        f.put("failIfCacheHitRateBelow", "");
        f.put("unstableIfCacheHitRateBelow", "0.5");
        f.put("failIfSizeGrowthAbovePercent", " 20 ");
        f.put("unstableIfSizeGrowthAbovePercent", null);
        return f;
    }

    @Test
    void everyFieldBecomesItsArgumentExpandedAndBlankOnesAreLeftOut() {
        Map<String, Object> args = FreestyleForm.toArguments(fullForm(), ENV);

        assertThat(args)
                .containsExactly(
                        Map.entry("tags", List.of("registry.example.com/team/app:42", "app:latest", "app:abc")),
                        Map.entry("context", "app"),
                        Map.entry("dockerfile", "build/Dockerfile"),
                        Map.entry("buildArgs", Map.of("VERSION", "1.42", "OPTS", "a=b,c")),
                        Map.entry("secrets", List.of(Map.of("id", "npm", "credentialsId", "npm-token"))),
                        // an id names configuration: never expanded
                        Map.entry("registryCredentialsId", "reg-${BUILD_NUMBER}"),
                        Map.entry("platforms", List.of("linux/amd64")),
                        Map.entry("target", "final"),
                        Map.entry("labels", Map.of("org.opencontainers.image.revision", "abc")),
                        Map.entry("cacheFrom", List.of("app:cache")),
                        Map.entry("noCache", true),
                        Map.entry("network", "host"),
                        Map.entry("extraHosts", Map.of("db", "10.0.0.5", "mirror", "10.0.0.6", "v6", "::1")),
                        Map.entry("backend", "buildkit"),
                        Map.entry("timeout", "30m"),
                        Map.entry("failIf", Map.of("sizeGrowthAbovePercent", 20.0)),
                        Map.entry("unstableIf", Map.of("cacheHitRateBelow", 0.5)));
    }

    @Test
    void theArgumentsAreWhatTheSharedStepMappingAccepts() throws IOException {
        Files.createDirectories(workspace.resolve("app/build"));
        Files.writeString(workspace.resolve("app/build/Dockerfile"), "FROM scratch\n");
        Map<String, Object> args = new LinkedHashMap<>(FreestyleForm.toArguments(fullForm(), ENV));
        BuildSpec spec = BuildSpecArguments.fromArguments(args);
        GateConfig gates = spec.gates();

        BuildContext ctx = BuildSpecArguments.toContext(
                spec,
                workspace,
                ResolvedCredentials.builder()
                        .secret("npm", "token".getBytes(StandardCharsets.UTF_8))
                        .registry("registry.example.com", "ci", "pw".getBytes(StandardCharsets.UTF_8))
                        .build());

        assertThat(gates).isEqualTo(new GateConfig(null, 0.5, 20.0, null));
        assertThat(ctx.tags()).containsExactly("registry.example.com/team/app:42", "app:latest", "app:abc");
        assertThat(ctx.buildArgs()).containsEntry("VERSION", "1.42").containsEntry("OPTS", "a=b,c");
        assertThat(ctx.extraHosts()).containsEntry("db", "10.0.0.5").containsEntry("v6", "::1");
        assertThat(ctx.noCache()).isTrue();
        assertThat(ctx.secrets()).containsOnlyKeys("npm");
        assertThat(ctx.registryAuth()).containsOnlyKeys("registry.example.com");
        assertThat(ctx.networkMode()).isEqualTo("host");
        assertThat(ctx.dockerfile()).isEqualTo(workspace.resolve("app/build/Dockerfile"));
    }

    @Test
    void anEmptyFormGivesNoArguments() {
        Map<String, Object> form = new LinkedHashMap<>();
        FreestyleForm.FIELDS.keySet().forEach(k -> form.put(k, null));
        assertThat(FreestyleForm.toArguments(form, ENV)).isEmpty();
    }

    @Test
    void malformedLinesAndThresholdsNameTheFieldAndTheFix() {
        assertThatThrownBy(() -> FreestyleForm.toArguments(Map.of("buildArgs", "A=1\n=2"), ENV))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessage("buildArgs: line 2 '=2' is not KEY=VALUE; write one KEY=VALUE per line");
        assertThatThrownBy(() -> FreestyleForm.toArguments(Map.of("labels", "just-a-word"), ENV))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessageStartingWith("labels: line 1 ");
        assertThatThrownBy(() -> FreestyleForm.toArguments(Map.of("buildArgs", "A=1\nA=2"), ENV))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessage("buildArgs: line 2 sets 'A' again; keep one line per name");
        assertThatThrownBy(() -> FreestyleForm.toArguments(Map.of("extraHosts", "db 10.0.0.5"), ENV))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessageContaining("extraHosts: line 1 ")
                .hasMessageContaining("HOST=IP or HOST:IP");
        assertThatThrownBy(() -> FreestyleForm.toArguments(Map.of("failIfCacheHitRateBelow", "half"), ENV))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessage("failIfCacheHitRateBelow: 'half' is not a number; write for example 0.5 (a rate from 0"
                        + " to 1), or leave it blank for no gate");
        assertThatThrownBy(() -> FreestyleForm.toArguments(Map.of("tagz", "a"), ENV))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no field 'tagz'");
    }

    @Test
    void anOutOfRangeThresholdIsRefusedByTheSharedGateRules() {
        Map<String, Object> args = FreestyleForm.toArguments(Map.of("unstableIfCacheHitRateBelow", "50"), ENV);
        assertThatThrownBy(() -> GateArguments.fromArguments(Map.of("unstableIf", args.get("unstableIf"))))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessageStartingWith("unstableIf.cacheHitRateBelow: ");
    }
}
