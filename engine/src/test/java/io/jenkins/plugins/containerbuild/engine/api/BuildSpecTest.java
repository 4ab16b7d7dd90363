package io.jenkins.plugins.containerbuild.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.steps.BuildSpecArguments;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The spec travels to the agent as it is: Java serialization gives it back equal, and its checks hold anywhere. */
class BuildSpecTest {
    @Test
    void aBuilderAndItsCertificateAreCheckedTogether() {
        BuildSpec tcp = BuildSpecArguments.fromArguments(
                Map.of("builder", "tcp://buildkitd:1234", "builderCredentialsId", "bk-cert"));
        assertThat(tcp.builder()).isEqualTo("tcp://buildkitd:1234");
        assertThat(tcp.credentialIds()).containsExactly("bk-cert");
        assertThat(BuildSpecArguments.fromArguments(BuildSpecArguments.toArguments(tcp)))
                .isEqualTo(tcp);
        assertThatThrownBy(() -> BuildSpecArguments.fromArguments(Map.of("builderCredentialsId", "bk-cert")))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessageStartingWith("builderCredentialsId: needs builder");
        assertThatThrownBy(() -> BuildSpecArguments.fromArguments(
                        Map.of("builder", "unix:///run/buildkitd.sock", "builderCredentialsId", "bk-cert")))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessageContaining("a unix:// builder is plain");
        assertThatThrownBy(() -> BuildSpecArguments.fromArguments(Map.of("builder", "http://x")))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessageStartingWith("builder: 'http://x' is not a BuildKit address");
    }

    @Test
    void pushNeedsAnImageAmongTheOutputs() {
        assertThatThrownBy(() -> BuildSpecArguments.fromArguments(Map.of(
                        "tags",
                        List.of("127.0.0.1:5000/a:1"),
                        "push",
                        true,
                        "outputs",
                        List.of("type=tar,dest=x.tar"))))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessageStartingWith("push: push: true pushes the image, but the outputs make none");
        BuildSpec ok = BuildSpecArguments.fromArguments(Map.of(
                "tags",
                List.of("127.0.0.1:5000/a:1"),
                "push",
                true,
                "outputs",
                List.of("type=image", "type=tar,dest=x.tar")));
        assertThat(ok.outputs()).hasSize(2);
    }

    @Test
    void aFullSpecSurvivesSerializationUnchanged() throws Exception {
        BuildSpec spec = BuildSpecArguments.fromArguments(Map.ofEntries(
                Map.entry("context", "app"),
                Map.entry("tags", List.of("127.0.0.1:5000/app:1")),
                Map.entry("platforms", "linux/amd64,linux/arm64"),
                Map.entry("push", true),
                Map.entry("buildArgs", Map.of("V", "1")),
                Map.entry("secrets", List.of(Map.of("id", "npm", "credentialsId", "npm-token"))),
                Map.entry("registryCredentialsId", "reg"),
                Map.entry("registryHost", "127.0.0.1:5000"),
                Map.entry("timeout", "1h30m"),
                Map.entry("backend", "buildkit"),
                Map.entry("unstableIf", Map.of("cacheHitRateBelow", 0.5))));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(spec);
        }
        Object back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = in.readObject();
        }
        assertThat(back).isEqualTo(spec);
        assertThat(((BuildSpec) back).registries())
                .containsExactly(new BuildSpec.RegistryLogin("reg", "127.0.0.1:5000"));
        assertThat(spec.toString()).doesNotContain("password");
    }

    @Test
    void theRecordChecksCrossOptionRulesWhoeverMakesIt() {
        BuildSpec d = BuildSpec.defaults();
        assertThatThrownBy(() -> new BuildSpec(
                        d.context(),
                        null,
                        List.of(),
                        List.of(),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        false,
                        false,
                        null,
                        null,
                        true,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessageStartingWith("push: push: true needs");
        assertThatThrownBy(() -> new BuildSpec(
                        ".",
                        null,
                        List.of("a:1"),
                        List.of("linux/amd64"),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        false,
                        false,
                        null,
                        null,
                        false,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        List.of("type=ref,event=branch"),
                        null))
                .hasMessageStartingWith("images: tagRules tag images");
        // Several platforms without push are the builder's to refuse (a containerd-store daemon keeps the index).
        assertThat(d.withSourceMetadata(List.of("a:1"), Map.of()).tags()).containsExactly("a:1");
        assertThat(d.backend()).isEqualTo(Backend.AUTO);
        assertThat(d.gates().isEmpty()).isTrue();
    }
}
