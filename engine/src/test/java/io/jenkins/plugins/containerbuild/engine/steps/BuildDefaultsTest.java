package io.jenkins.plugins.containerbuild.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.BuildSpec;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The global defaults fill what a build does not say, and never override what it says. */
class BuildDefaultsTest {
    private static final BuildDefaults DEFAULTS = new BuildDefaults(
            "tcp://buildkitd.example.com:1234",
            "buildkitd-cert",
            new LinkedHashMap<>(Map.of("registry.example.com", "team-login")),
            Map.of("cacheHitRateBelow", 0.2),
            Map.of(),
            "45m");

    @Test
    void aBuildThatSaysNothingGetsEveryDefault() {
        BuildSpec spec = BuildSpecArguments.fromArguments(DEFAULTS.applyTo(Map.of("tags", List.of("app:1"))));
        assertThat(spec.builder()).isEqualTo("tcp://buildkitd.example.com:1234");
        assertThat(spec.builderCredentialsId()).isEqualTo("buildkitd-cert");
        assertThat(spec.timeout()).isEqualTo(Duration.ofMinutes(45));
        assertThat(spec.registries())
                .containsExactly(new BuildSpec.RegistryLogin("team-login", "registry.example.com"));
        assertThat(spec.gates().isEmpty()).isFalse();
    }

    @Test
    void whatTheBuildSaysWins() {
        BuildSpec spec = BuildSpecArguments.fromArguments(DEFAULTS.applyTo(Map.of(
                "builder", "unix:///run/buildkit/buildkitd.sock",
                "timeout", "5m",
                "registries",
                        List.of(
                                Map.of("host", "Registry.example.com", "credentialsId", "mine"),
                                Map.of("host", "docker.io", "credentialsId", "hub")))));
        assertThat(spec.builder()).isEqualTo("unix:///run/buildkit/buildkitd.sock");
        assertThat(spec.builderCredentialsId())
                .as("the default certificate is the default builder's")
                .isNull();
        assertThat(spec.timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(spec.registries())
                .containsExactly(
                        new BuildSpec.RegistryLogin("mine", "Registry.example.com"),
                        new BuildSpec.RegistryLogin("hub", "docker.io"));
        // A login for every registry the build names leaves the defaults out.
        assertThat(BuildSpecArguments.fromArguments(DEFAULTS.applyTo(Map.of("registryCredentialsId", "all")))
                        .registries())
                .containsExactly(new BuildSpec.RegistryLogin("all", null));
        Map<String, Object> batch = DEFAULTS.applyToBatch(Map.of("builds", List.of(Map.of("tags", List.of("a:1")))));
        assertThat(BatchRequest.fromArguments(batch).builds().get(0).timeout()).isEqualTo(Duration.ofMinutes(45));
    }

    @Test
    void aHostListedTwiceIsRefused() {
        Map<String, String> twice = new LinkedHashMap<>();
        twice.put("docker.io", "a");
        twice.put("Docker.io", "b");
        assertThatThrownBy(() -> new BuildDefaults(null, null, twice, null, null, null))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessageContaining("Docker.io twice");
        Map<String, String> noCredentials = new LinkedHashMap<>();
        noCredentials.put("registry.example.com", null);
        assertThatThrownBy(() -> new BuildDefaults(null, null, noCredentials, null, null, null))
                .hasMessage("registries: the default login for registry.example.com names no credentials; choose a"
                        + " username/password credential, or remove the login");
    }

    @Test
    void theFormsTextsAreCheckedLikeTheFreestyleForm() {
        BuildDefaults d = BuildDefaults.fromForm(
                " ", null, Map.of(), Map.of("unstableIfCacheHitRateBelow", "0.4", "failIfCacheHitRateBelow", ""), "");
        assertThat(d.builder()).isNull();
        assertThat(d.timeout()).isNull();
        assertThat(d.unstableIf()).containsEntry("cacheHitRateBelow", 0.4);
        assertThat(d.failIf()).isEmpty();
        assertThatThrownBy(() -> BuildDefaults.fromForm(
                        null, null, Map.of(), Map.of("failIfSizeGrowthAbovePercent", "ten"), null))
                .hasMessageStartingWith("failIfSizeGrowthAbovePercent: 'ten' is not a number");
        assertThatThrownBy(() -> BuildDefaults.fromForm(null, null, Map.of(), Map.of(), "soon"))
                .hasMessageStartingWith("timeout:");
    }
}
