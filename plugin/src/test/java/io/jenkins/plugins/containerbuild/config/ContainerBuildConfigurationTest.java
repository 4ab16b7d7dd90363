package io.jenkins.plugins.containerbuild.config;

import static io.jenkins.plugins.casc.misc.Util.getUnclassifiedRoot;
import static io.jenkins.plugins.casc.misc.Util.toYamlString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.casc.model.CNode;
import io.jenkins.plugins.containerbuild.engine.api.BuildSpec;
import io.jenkins.plugins.containerbuild.engine.steps.BuildDefaults;
import io.jenkins.plugins.containerbuild.engine.steps.BuildSpecArguments;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The global defaults round-trip through configuration as code, and a build without arguments gets them. */
@WithJenkinsConfiguredWithCode
class ContainerBuildConfigurationTest {
    @Test
    @ConfiguredWithCode("configuration-as-code.yml")
    void importsExportsAndAppliesTheDefaults(JenkinsConfiguredWithCodeRule r) throws Exception {
        ContainerBuildConfiguration c = ContainerBuildConfiguration.get();
        assertEquals("tcp://buildkitd.example.com:1234", c.getBuilder());
        assertEquals("buildkitd-client", c.getBuilderCredentialsId());
        assertEquals(2, c.getRegistries().size());
        assertEquals("docker.io", c.getRegistries().get(1).getHost());
        assertEquals("0.5", c.getUnstableIfCacheHitRateBelow());
        assertEquals("45m", c.getTimeout());

        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode node = getUnclassifiedRoot(context).get("containerBuild");
        assertNotNull(node, "containerBuild is exported");
        String exported = toYamlString(node);
        for (String expected : List.of(
                "builder: \"tcp://buildkitd.example.com:1234\"",
                "builderCredentialsId: \"buildkitd-client\"",
                "host: \"registry.example.com\"",
                "credentialsId: \"team-registry\"",
                "host: \"docker.io\"",
                "unstableIfCacheHitRateBelow: \"0.5\"",
                "failIfSizeGrowthAbovePercent: \"25\"",
                "timeout: \"45m\"")) {
            assertTrue(exported.contains(expected), () -> expected + " in\n" + exported);
        }

        BuildDefaults defaults = c.defaults();
        BuildSpec spec = BuildSpecArguments.fromArguments(defaults.applyTo(Map.of("tags", List.of("app:1"))));
        assertEquals("tcp://buildkitd.example.com:1234", spec.builder());
        assertEquals(Duration.ofMinutes(45), spec.timeout());
        assertEquals(2, spec.registries().size());
        assertEquals(
                "tcp://other:1",
                BuildSpecArguments.fromArguments(defaults.applyTo(Map.of("builder", "tcp://other:1")))
                        .builder());
    }
}
