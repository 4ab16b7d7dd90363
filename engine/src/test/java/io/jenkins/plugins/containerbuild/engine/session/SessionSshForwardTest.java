package io.jenkins.plugins.containerbuild.engine.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildFailedException;
import io.jenkins.plugins.containerbuild.engine.api.BuildListener;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import io.jenkins.plugins.containerbuild.engine.api.SshKeySource;
import io.jenkins.plugins.containerbuild.engine.session.sshforward.TestKeys;
import io.jenkins.plugins.containerbuild.engine.testing.Daemon;
import io.jenkins.plugins.containerbuild.engine.testing.Images;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code RUN --mount=type=ssh} against a real daemon. busybox's {@code nc} has no unix-socket mode, so the
 * build runs a tiny static agent client ({@code src/test/resources/session/agentc.c}, compiled here with
 * {@code gcc -static}) that sends raw agent requests; builds go through {@link BuildEngine}, which opens the
 * session and saves the answers in the image; the test then
 * verifies the key blobs and signatures in Java.
 */
@Tag("daemon")
class SessionSshForwardTest {
    private static byte[] agentc;
    private static final String TAG_PREFIX = "session-test/ssh:";
    private static final List<String> TAGS = new java.util.ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(@TempDir Path tmp) throws Exception {
        Daemon.assumeAvailable();
        agentc = TestKeys.agentClient(tmp);
    }

    @AfterAll
    static void cleanUp() {
        TAGS.forEach(Daemon::removeImage);
    }

    /** Writes the context: the Dockerfile, the agent client as bin/agentc and the requests under req/. */
    private void contextFiles(String dockerfile, Map<String, byte[]> requests) throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), dockerfile);
        Files.createDirectories(dir.resolve("bin"));
        Files.write(dir.resolve("bin/agentc"), agentc);
        Files.setPosixFilePermissions(dir.resolve("bin/agentc"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(dir.resolve("req"));
        for (Map.Entry<String, byte[]> r : requests.entrySet()) {
            Files.write(dir.resolve("req").resolve(r.getKey()), r.getValue());
        }
    }

    /** Builds through the engine (a session per build) and returns the named files of the image's /out. */
    private Map<String, byte[]> buildAndRead(BuildContext ctx, String... outputs) throws Exception {
        String tag = TAG_PREFIX + Long.toHexString(System.nanoTime());
        TAGS.add(tag);
        try (BuildEngine engine = Daemon.engine(Backend.BUILDKIT)) {
            engine.build(ctx.toBuilder().tag(tag).noCache(true).build(), BuildListener.none());
        }
        Map<String, byte[]> found = new HashMap<>();
        Images.walk(tag, (path, bytes) -> {
            for (String out : outputs) {
                if (path.endsWith("!/out/" + out)) {
                    found.put(out, bytes);
                }
            }
        });
        assertThat(found).containsOnlyKeys(outputs);
        return found;
    }

    @Test
    void inProcessAgentServesEd25519AndEncryptedRsaKeysByMountId() throws Exception {
        TestKeys.Ed25519Key ed = TestKeys.ed25519();
        KeyPair rsa = TestKeys.rsa(2048);
        byte[] pass = "rsa key passphrase".getBytes(StandardCharsets.UTF_8);
        byte[] rsaPem = TestKeys.pem(new JcaMiscPEMGenerator(
                rsa.getPrivate(),
                new JcePEMEncryptorBuilder("AES-256-CBC")
                        .setProvider(TestKeys.BC)
                        .build(new String(pass, StandardCharsets.UTF_8).toCharArray())));
        byte[] rsaBlob = TestKeys.publicBlob(rsa.getPublic());
        byte[] data = "data to sign from inside the build".getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> req = new HashMap<>();
        req.put("ids", new byte[] {0, 0, 0, 1, 11});
        req.put("sign-ed", TestKeys.signRequest(ed.publicBlob(), data, 0));
        req.put("sign-rsa-1", TestKeys.signRequest(rsaBlob, data, 0));
        req.put("sign-rsa-256", TestKeys.signRequest(rsaBlob, data, 2));
        req.put("sign-rsa-512", TestKeys.signRequest(rsaBlob, data, 4));
        String dockerfile = "FROM local/busybox:latest\n"
                + "COPY bin/agentc /agentc\n"
                + "COPY req/ /req/\n"
                + "RUN --mount=type=ssh mkdir -p /out && /agentc /req/ids /req/sign-ed > /out/ed.bin\n"
                + "RUN --mount=type=ssh,id=rsa /agentc /req/ids /req/sign-rsa-1 /req/sign-rsa-256 /req/sign-rsa-512"
                + " > /out/rsa.bin\n";
        contextFiles(dockerfile, req);
        BuildContext ctx = BuildContext.builder()
                .contextDir(dir)
                .sshKey("default", SshKeySource.ofPrivateKey(SecretSource.ofBytes(ed.openSsh()), null))
                .sshKey("rsa", SshKeySource.ofPrivateKey(SecretSource.ofBytes(rsaPem), SecretSource.ofBytes(pass)))
                .build();
        Map<String, byte[]> out = buildAndRead(ctx, "ed.bin", "rsa.bin");

        List<byte[]> edAnswers = TestKeys.unframe(out.get("ed.bin"));
        assertThat(edAnswers).hasSize(2);
        assertThat(TestKeys.identities(edAnswers.get(0))).containsExactly(ByteBuffer.wrap(ed.publicBlob()));
        assertThat(TestKeys.verify(ed.publicKey(), data, TestKeys.signature(edAnswers.get(1))))
                .isTrue();

        List<byte[]> rsaAnswers = TestKeys.unframe(out.get("rsa.bin"));
        assertThat(rsaAnswers).hasSize(4);
        assertThat(TestKeys.identities(rsaAnswers.get(0))).containsExactly(ByteBuffer.wrap(rsaBlob));
        String[] algs = {"ssh-rsa", "rsa-sha2-256", "rsa-sha2-512"};
        for (int i = 0; i < 3; i++) {
            byte[] sig = TestKeys.signature(rsaAnswers.get(i + 1));
            assertThat(TestKeys.parseSignature(sig)[0]).isEqualTo(algs[i]);
            assertThat(TestKeys.verify(rsa.getPublic(), data, sig)).as(algs[i]).isTrue();
        }
    }

    @Test
    void unknownRequiredSshIdFailsTheBuildNamingIt() throws Exception {
        String dockerfile = "FROM local/busybox:latest\nRUN --mount=type=ssh,id=missing,required=true true\n";
        Files.writeString(dir.resolve("Dockerfile"), dockerfile);
        BuildContext ctx = BuildContext.builder()
                .contextDir(dir)
                .sshKey(
                        "default",
                        SshKeySource.ofPrivateKey(
                                SecretSource.ofBytes(TestKeys.ed25519().openSsh()), null))
                .build();
        try (BuildEngine engine = Daemon.engine(Backend.BUILDKIT)) {
            assertThatThrownBy(() -> engine.build(ctx.toBuilder().noCache(true).build(), BuildListener.none()))
                    .isInstanceOf(BuildFailedException.class)
                    .hasMessageContaining("missing");
        }
    }

    @Test
    void agentSocketIsRelayedToTheBuild(@TempDir Path tmp) throws Exception {
        Path key = tmp.resolve("id_ed25519");
        Path sock = tmp.resolve("agent.sock");
        Process agent;
        try {
            Process gen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
                    .redirectErrorStream(true)
                    .start();
            assertThat(gen.waitFor(60, TimeUnit.SECONDS)).isTrue();
            agent = new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            Assumptions.abort("OpenSSH's ssh-keygen/ssh-agent are not installed: " + e.getMessage());
            return;
        }
        try {
            for (int i = 0; i < 100 && !Files.exists(sock); i++) {
                Thread.sleep(50);
            }
            ProcessBuilder add = new ProcessBuilder("ssh-add", key.toString()).redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", sock.toString());
            Process addP = add.start();
            assertThat(addP.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(addP.exitValue()).isZero();
            byte[] blob = Base64.getDecoder()
                    .decode(Files.readString(tmp.resolve("id_ed25519.pub")).split(" ")[1]);
            Ed25519PublicKeyParameters pub = (Ed25519PublicKeyParameters) OpenSSHPublicKeyUtil.parsePublicKey(blob);
            byte[] data = "relayed signing".getBytes(StandardCharsets.UTF_8);
            Map<String, byte[]> req =
                    Map.of("ids", new byte[] {0, 0, 0, 1, 11}, "sign", TestKeys.signRequest(blob, data, 0));
            String dockerfile = "FROM local/busybox:latest\nCOPY bin/agentc /agentc\nCOPY req/ /req/\n"
                    + "RUN --mount=type=ssh,id=host mkdir -p /out && /agentc /req/ids /req/sign > /out/host.bin\n";
            contextFiles(dockerfile, req);
            BuildContext ctx = BuildContext.builder()
                    .contextDir(dir)
                    .sshKey("host", SshKeySource.ofAgentSocket(sock))
                    .build();
            List<byte[]> answers =
                    TestKeys.unframe(buildAndRead(ctx, "host.bin").get("host.bin"));
            assertThat(answers).hasSize(2);
            assertThat(TestKeys.identities(answers.get(0))).containsExactly(ByteBuffer.wrap(blob));
            assertThat(TestKeys.verify(pub, data, TestKeys.signature(answers.get(1))))
                    .isTrue();
        } finally {
            agent.destroy();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
