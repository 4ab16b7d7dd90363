package io.jenkins.plugins.containerbuild.engine.controlapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildFailedException;
import io.jenkins.plugins.containerbuild.engine.api.BuildOutput;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.RegistryCredentials;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import io.jenkins.plugins.containerbuild.engine.api.SshKeySource;
import io.jenkins.plugins.containerbuild.engine.session.sshforward.TestKeys;
import io.jenkins.plugins.containerbuild.engine.testing.Buildkitd;
import io.jenkins.plugins.containerbuild.engine.testing.Registries;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SSH forwarding and registry auth on the real buildkitd, served inside the session BuildKit's own API carries:
 * a {@code RUN --mount=type=ssh} signs with the key held here (its answers come back in a {@code type=local} output and
 * are verified here), and a push to the registry that requires a login succeeds with the credentials the session's
 * auth provider gives and fails, naming the registry, without them. The private key and the password appear in no
 * progress line and in no output file.
 */
@Tag("buildkitd")
class ControlApiSshAndAuthBuildkitdTest {
    @BeforeEach
    void builder() {
        Buildkitd.require();
    }

    @Test
    void anSshMountSignsWithTheKeyHeldHere(@TempDir Path dir, @TempDir Path tmp, @TempDir Path out) throws Exception {
        TestKeys.Ed25519Key ed = TestKeys.ed25519();
        byte[] data = ("data to sign " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        Files.copy(Path.of("/bin/busybox"), dir.resolve("busybox"));
        Files.write(dir.resolve("agentc"), TestKeys.agentClient(tmp));
        Files.setPosixFilePermissions(dir.resolve("agentc"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.write(dir.resolve("ids"), new byte[] {0, 0, 0, 1, 11});
        Files.write(dir.resolve("sign"), TestKeys.signRequest(ed.publicBlob(), data, 0));
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM scratch AS work\n"
                        + "COPY busybox /bin/busybox\n"
                        + "COPY agentc ids sign /req/\n"
                        + "RUN --mount=type=ssh [\"/bin/busybox\", \"sh\", \"-c\","
                        + " \"/bin/busybox mkdir -p /out && /req/agentc /req/ids /req/sign > /out/answers\"]\n"
                        + "FROM scratch\n"
                        + "COPY --from=work /out/ /\n");
        byte[] key = ed.openSsh();
        List<BuildProgress> events = new CopyOnWriteArrayList<>();
        try (BuildEngine engine =
                BuildEngine.builder().builder(Buildkitd.unix()).build()) {
            engine.build(
                    BuildContext.builder()
                            .contextDir(dir)
                            .noCache(true)
                            .sshKey("default", SshKeySource.ofPrivateKey(SecretSource.ofBytes(key), null))
                            .outputs(List.of(BuildOutput.parse("outputs", "type=local,dest=" + out.resolve("o"))))
                            .build(),
                    events::add);
        }
        List<byte[]> answers = TestKeys.unframe(Files.readAllBytes(out.resolve("o/answers")));
        assertThat(answers).hasSize(2);
        assertThat(TestKeys.identities(answers.get(0))).containsExactly(ByteBuffer.wrap(ed.publicBlob()));
        assertThat(TestKeys.verify(ed.publicKey(), data, TestKeys.signature(answers.get(1))))
                .isTrue();
        String keyText = new String(key, StandardCharsets.UTF_8);
        String keyBody =
                keyText.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        assertThat(events).noneSatisfy(e -> assertThat(e.message()).contains(keyBody));
    }

    @Test
    void aPushToARegistryThatNeedsALoginUsesTheSessionsCredentials(@TempDir Path dir) throws Exception {
        Registries.assumeRegistry(Registries.AUTH);
        String repo = "cb-test/buildkitd-auth-" + UUID.randomUUID().toString().substring(0, 8);
        String tag = Registries.AUTH + "/" + repo + ":1";
        Buildkitd.context(dir, UUID.randomUUID().toString());
        BuildContext.Builder ctx =
                BuildContext.builder().contextDir(dir).tag(tag).push(true);
        try (BuildEngine engine =
                BuildEngine.builder().builder(Buildkitd.unix()).build()) {
            assertThatThrownBy(() -> engine.build(ctx.build(), null))
                    .isInstanceOf(BuildFailedException.class)
                    .hasMessageContaining(Registries.AUTH)
                    .hasMessageContaining("401");
            BuildResult r = engine.build(
                    ctx.registryAuth(new RegistryCredentials(
                                    Registries.AUTH,
                                    Registries.AUTH_USER,
                                    SecretSource.ofBytes(Registries.AUTH_PASSWORD.getBytes(StandardCharsets.UTF_8))))
                            .build(),
                    null);
            String basic = "Basic "
                    + Base64.getEncoder()
                            .encodeToString((Registries.AUTH_USER + ":" + Registries.AUTH_PASSWORD)
                                    .getBytes(StandardCharsets.UTF_8));
            Registries.Fetched m = Registries.getManifest(Registries.AUTH, repo, "1", basic);
            assertThat(m.status()).isEqualTo(200);
            assertThat(r.digest()).isNotNull();
            assertThat(r.toString()).doesNotContain(Registries.AUTH_PASSWORD);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)
                            .map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("Dockerfile", "marker.txt");
        }
    }
}
