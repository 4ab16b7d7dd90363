package io.jenkins.plugins.containerbuild.engine.session.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.stub.StreamObserver;
import io.jenkins.plugins.containerbuild.engine.api.RegistryCredentials;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import io.jenkins.plugins.containerbuild.engine.session.auth.proto.CredentialsRequest;
import io.jenkins.plugins.containerbuild.engine.session.auth.proto.CredentialsResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionAuthProviderTest {
    private static class Capture<T> implements StreamObserver<T> {
        final List<T> values = new ArrayList<>();
        Throwable error;
        boolean completed;

        @Override
        public void onNext(T value) {
            values.add(value);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onCompleted() {
            completed = true;
        }
    }

    private final AuthProvider provider = new AuthProvider(Map.of(
            "127.0.0.1:5000",
                    new RegistryCredentials(
                            "127.0.0.1:5000", "ci", SecretSource.ofBytes("s3cret-pw".getBytes(StandardCharsets.UTF_8))),
            "docker.io",
                    new RegistryCredentials(
                            "docker.io", "hubuser", SecretSource.ofBytes("hub-pw".getBytes(StandardCharsets.UTF_8)))));

    private CredentialsResponse ask(String host) {
        Capture<CredentialsResponse> c = new Capture<>();
        provider.credentials(CredentialsRequest.newBuilder().setHost(host).build(), c);
        assertThat(c.error).isNull();
        assertThat(c.completed).isTrue();
        assertThat(c.values).hasSize(1);
        // copy now: the secret's bytes are zeroed once the answer is sent
        return CredentialsResponse.newBuilder().mergeFrom(c.values.get(0)).build();
    }

    @Test
    void knownHostGetsUserNameAndSecret() {
        Capture<CredentialsResponse> c = new Capture<>();
        provider.credentials(
                CredentialsRequest.newBuilder().setHost("127.0.0.1:5000").build(), c);
        assertThat(c.values.get(0).getUsername()).isEqualTo("ci");
        // the response wraps the password's own array, zeroed once sent
        assertThat(c.values.get(0).getSecretBytes().toByteArray()).containsOnly(0);
        assertThat(c.values.get(0).getSecretBytes().size()).isEqualTo("s3cret-pw".length());
    }

    @Test
    void credentialsAreSentAsTheyAreWhileSending() {
        List<byte[]> sent = new ArrayList<>();
        provider.credentials(
                CredentialsRequest.newBuilder().setHost("127.0.0.1:5000").build(), new Capture<>() {
                    @Override
                    public void onNext(CredentialsResponse value) {
                        sent.add(value.toByteArray()); // what the marshaller serializes inside onNext
                    }
                });
        assertThat(sent).hasSize(1);
        assertThat(new String(sent.get(0), StandardCharsets.UTF_8))
                .contains("ci")
                .contains("s3cret-pw");
    }

    @Test
    void dockerHubAliasesShareCredentials() {
        assertThat(ask("registry-1.docker.io").getUsername()).isEqualTo("hubuser");
        assertThat(ask("index.docker.io").getUsername()).isEqualTo("hubuser");
    }

    @Test
    void unknownHostIsAnonymous() {
        CredentialsResponse r = ask("registry.example.com");
        assertThat(r.getUsername()).isEmpty();
        assertThat(r.getSecret()).isEmpty();
        assertThat(r).isEqualTo(CredentialsResponse.getDefaultInstance());
    }

    @Test
    void tokenMethodsAreUnimplementedAndOnlyCredentialsIsAdvertised() {
        assertThat(provider.methodNames()).containsExactly("/moby.filesync.v1.Auth/Credentials");
        assertThat(provider.service().getMethods()).hasSize(4);
    }
}
