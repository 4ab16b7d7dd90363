package io.jenkins.plugins.containerbuild.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.BuildOption;
import io.jenkins.plugins.containerbuild.engine.api.BuildSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A front end's bean is read by the declared option keys, and what it gives becomes the same spec. */
class BeanArgumentsTest {
    /** A bean like the Pipeline step: one property per option. */
    public static final class StepLike {
        public String getContext() {
            return " app ";
        }

        public String getDockerfile() {
            return "";
        }

        public List<String> getTags() {
            return List.of("app:1");
        }

        public List<String> getPlatforms() {
            return null;
        }

        public Map<String, String> getBuildArgs() {
            return Map.of("V", "1");
        }

        public Map<String, String> getLabels() {
            return Map.of();
        }

        public String getTarget() {
            return null;
        }

        public List<BeanArguments.ArgumentSource> getSecrets() {
            return List.of(() -> Map.of("id", "npm", "credentialsId", "npm-token"));
        }

        public List<BeanArguments.ArgumentSource> getSshKeys() {
            return List.of();
        }

        public String getRegistryCredentialsId() {
            return null;
        }

        public String getRegistryHost() {
            return null;
        }

        public List<String> getImages() {
            return null;
        }

        public List<String> getTagRules() {
            return List.of();
        }

        public List<String> getFlavor() {
            return null;
        }

        public List<BeanArguments.ArgumentSource> getRegistries() {
            return List.of(() -> Map.of("host", "docker.io", "credentialsId", "hub"));
        }

        public List<String> getCacheFrom() {
            return null;
        }

        public String getCacheTo() {
            return null;
        }

        public List<String> getOutputs() {
            return List.of();
        }

        public String getBuilder() {
            return null;
        }

        public String getBuilderCredentialsId() {
            return null;
        }

        public List<String> getAttestations() {
            return null;
        }

        public boolean isNoCache() {
            return true;
        }

        public boolean isPull() {
            return false;
        }

        public String getNetwork() {
            return null;
        }

        public Map<String, String> getExtraHosts() {
            return null;
        }

        public boolean isPush() {
            return false;
        }

        public String getBackend() {
            return "buildkit";
        }

        public String getTimeout() {
            return "30m";
        }

        public String getName() {
            return null;
        }

        public Map<String, Object> getFailIf() {
            return Map.of("cacheHitRateBelow", 0.5);
        }

        public Map<String, Object> getUnstableIf() {
            return null;
        }
    }

    @Test
    void aStepLikeBeanGivesTheSetOptionsOnlyAndBecomesASpec() {
        Map<String, Object> args = BeanArguments.given(new StepLike(), BuildOption.keys());
        assertThat(args)
                .containsOnlyKeys(
                        "context",
                        "tags",
                        "buildArgs",
                        "secrets",
                        "registries",
                        "noCache",
                        "backend",
                        "timeout",
                        "failIf");
        assertThat(args)
                .containsEntry("context", "app")
                .containsEntry("secrets", List.of(Map.of("id", "npm", "credentialsId", "npm-token")));
        BuildSpec spec = BuildSpecArguments.fromArguments(args);
        assertThat(spec.registries()).containsExactly(new BuildSpec.RegistryLogin("hub", "docker.io"));
        assertThat(spec.secrets())
                .singleElement()
                .satisfies(r -> assertThat(r.credentialsId()).isEqualTo("npm-token"));
        assertThat(spec.gates().failIfCacheHitRateBelow()).isEqualTo(0.5);
    }

    @Test
    void aBeanWithoutAPropertyForADeclaredOptionIsAProgrammingError() {
        assertThatThrownBy(() -> BeanArguments.values(new Object(), List.of("tags")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no getter for the option 'tags'");
    }
}
