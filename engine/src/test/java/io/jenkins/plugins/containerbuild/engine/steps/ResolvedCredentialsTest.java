package io.jenkins.plugins.containerbuild.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.BuildSpec;
import io.jenkins.plugins.containerbuild.engine.api.CredentialRef;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResolvedCredentialsTest {
    private static final String NPM = "npm-TOKEN-0123456789";
    private static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY-----abcdef";
    private static final String PASS = "key-passphrase-42";
    private static final String PASSWORD = "registry-password-99";

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ResolvedCredentials creds() {
        return ResolvedCredentials.builder()
                .secret("npm", b(NPM))
                .sshKey("default", b(KEY), b(PASS))
                .registry("127.0.0.1:5000", "ci", b(PASSWORD))
                .build();
    }

    @Test
    void toStringShowsIdsButNoValue() {
        String s = creds().toString();
        assertThat(s).contains("npm", "default", "ci@127.0.0.1:5000");
        assertThat(s).doesNotContain(NPM, KEY, PASS, PASSWORD, "BEGIN");
        assertThat(creds().secret("npm").orElseThrow().toString()).doesNotContain(NPM);
        assertThat(creds().registry("127.0.0.1:5000").orElseThrow().toString()).doesNotContain(PASSWORD);
    }

    @Test
    void copiesInputArraysAndHandsOutSources() throws IOException {
        byte[] mine = b(NPM);
        ResolvedCredentials c =
                ResolvedCredentials.builder().secret("npm", mine).build();
        Arrays.fill(mine, (byte) 0);
        assertThat(c.secret("npm").orElseThrow().read()).isEqualTo(b(NPM));
        assertThat(c.secret("other")).isEmpty();
        ResolvedCredentials full = creds();
        assertThat(full.sshKey("default")
                        .orElseThrow()
                        .passphrase()
                        .orElseThrow()
                        .read())
                .isEqualTo(b(PASS));
        assertThat(full.registries()).hasSize(1);
        assertThat(full.registries().get(0).password().read()).isEqualTo(b(PASSWORD));
    }

    @Test
    void theBuildersClientKeyIsHeldLikeASecret() throws IOException {
        ResolvedCredentials c = ResolvedCredentials.builder()
                .builderCertificate(b("CA-PEM"), b("CERT-PEM"), b(KEY))
                .build();
        var cert = c.builderCertificate().orElseThrow();
        assertThat(cert.caPem()).isEqualTo(b("CA-PEM"));
        assertThat(cert.key().read()).isEqualTo(b(KEY));
        assertThat(c.toString()).contains("builderCertificate").doesNotContain(KEY);
        assertThat(cert.toString()).doesNotContain(KEY);
        assertThat(c.secretValuesForMasking()).anySatisfy(v -> assertThat(v).isEqualTo(b(KEY)));
        c.destroy();
        assertThatThrownBy(() -> cert.key().read()).isInstanceOf(IOException.class);
        assertThat(ResolvedCredentials.none().builderCertificate()).isEmpty();
    }

    @Test
    void destroyZeroesEverythingAndStopsReads() {
        ResolvedCredentials c = creds();
        SecretSource npm = c.secret("npm").orElseThrow();
        c.destroy();
        assertThat(c.isDestroyed()).isTrue();
        assertThat(c.secretValuesForMasking()).allSatisfy(v -> assertThat(v).containsOnly(0));
        assertThatThrownBy(npm::read)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("destroyed")
                .hasMessageNotContaining(NPM);
    }

    @Test
    void maskingValuesAreCopiesOfEveryValue() throws IOException {
        ResolvedCredentials c = creds();
        List<byte[]> values = c.secretValuesForMasking();
        assertThat(values)
                .extracting(v -> new String(v, StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder(NPM, KEY, PASS, PASSWORD);
        values.forEach(v -> Arrays.fill(v, (byte) 0));
        assertThat(c.secret("npm").orElseThrow().read()).isEqualTo(b(NPM));
    }

    @Test
    void refusesBadIds() {
        assertThatThrownBy(() -> ResolvedCredentials.builder().secret("a b", b("x")))
                .hasMessageContaining("secrets: id 'a b' is not valid");
        assertThatThrownBy(() -> ResolvedCredentials.builder().registry("a/b", "u", b("x")))
                .hasMessageContaining("registryAuth.host");
    }

    @Test
    void requestTravelsWithoutSecretAndCredentialsTravelIntact() throws Exception {
        BuildSpec request = BuildSpecArguments.fromArguments(Map.of(
                "tags",
                List.of("app:1"),
                "secrets",
                List.of(Map.of("id", "npm", "credentialsId", "npm-token")),
                "registryCredentialsId",
                "reg"));
        byte[] requestBytes = serialize(request);
        for (String secret : List.of(NPM, KEY, PASS, PASSWORD)) {
            assertThat(indexOf(requestBytes, b(secret))).as(secret).isEqualTo(-1);
        }
        assertThat(indexOf(requestBytes, b("npm-token"))).isGreaterThanOrEqualTo(0);

        // What the plugin sends to the agent: both objects in one stream.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(out)) {
            o.writeObject(request);
            o.writeObject(creds());
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            BuildSpec r = (BuildSpec) in.readObject();
            ResolvedCredentials c = (ResolvedCredentials) in.readObject();
            assertThat(r).isEqualTo(request);
            assertThat(r.secrets()).containsExactly(new CredentialRef("npm", "npm-token"));
            assertThat(c.secret("npm").orElseThrow().read()).isEqualTo(b(NPM));
            assertThat(c.sshKey("default")
                            .orElseThrow()
                            .privateKey()
                            .orElseThrow()
                            .read())
                    .isEqualTo(b(KEY));
            assertThat(c.registry("127.0.0.1:5000").orElseThrow().username()).isEqualTo("ci");
        }
    }

    static byte[] serialize(Object o) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream s = new ObjectOutputStream(out)) {
            s.writeObject(o);
        }
        return out.toByteArray();
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
