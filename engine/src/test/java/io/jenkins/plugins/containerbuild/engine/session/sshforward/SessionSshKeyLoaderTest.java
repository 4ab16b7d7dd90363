package io.jenkins.plugins.containerbuild.engine.session.sshforward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Private key loading: formats, key types, passphrases and the errors' wording. */
class SessionSshKeyLoaderTest {
    private static final byte[] PASS = "correct horse battery".getBytes(StandardCharsets.UTF_8);
    private static final byte[] WRONG = "Tr0ub4dor&3-wrong".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void loadsEd25519FromOpenSshFormat() throws Exception {
        TestKeys.Ed25519Key k = TestKeys.ed25519();
        SshIdentity id = SshKeyLoader.load("default", k.openSsh(), null);
        assertThat(id.keyType()).isEqualTo("ssh-ed25519");
        assertThat(id.publicKeyBlob()).isEqualTo(k.publicBlob());
        assertThat(id.toString()).doesNotContain("BEGIN").contains("ssh-ed25519");
    }

    @Test
    void loadsRsaFromPkcs1AndPkcs8() throws Exception {
        KeyPair kp = TestKeys.rsa(2048);
        byte[] pkcs1 = TestKeys.pem(kp);
        assertThat(new String(pkcs1, StandardCharsets.US_ASCII)).contains("BEGIN RSA PRIVATE KEY");
        byte[] pkcs8 = TestKeys.pem(new JcaPKCS8Generator(kp.getPrivate(), null));
        assertThat(new String(pkcs8, StandardCharsets.US_ASCII)).contains("BEGIN PRIVATE KEY");
        for (byte[] pem : new byte[][] {pkcs1, pkcs8}) {
            SshIdentity id = SshKeyLoader.load("rsa", pem, null);
            assertThat(id.keyType()).isEqualTo("ssh-rsa");
            assertThat(id.publicKeyBlob()).isEqualTo(TestKeys.publicBlob(kp.getPublic()));
        }
    }

    @Test
    void loadsEcdsaOnEveryNistCurve() throws Exception {
        String[][] curves = {
            {"secp256r1", "ecdsa-sha2-nistp256"},
            {"secp384r1", "ecdsa-sha2-nistp384"},
            {"secp521r1", "ecdsa-sha2-nistp521"}
        };
        for (String[] c : curves) {
            KeyPair kp = TestKeys.ec(c[0]);
            for (byte[] pem :
                    new byte[][] {TestKeys.pem(kp), TestKeys.pem(new JcaPKCS8Generator(kp.getPrivate(), null))}) {
                SshIdentity id = SshKeyLoader.load("ec", pem, null);
                assertThat(id.keyType()).isEqualTo(c[1]);
                assertThat(id.publicKeyBlob()).isEqualTo(TestKeys.publicBlob(kp.getPublic()));
            }
        }
    }

    @Test
    void encryptedPemKeysNeedTheRightPassphrase() throws Exception {
        KeyPair kp = TestKeys.rsa(2048);
        char[] pass = new String(PASS, StandardCharsets.UTF_8).toCharArray();
        byte[] legacy = TestKeys.pem(new JcaMiscPEMGenerator(
                kp.getPrivate(),
                new JcePEMEncryptorBuilder("AES-128-CBC")
                        .setProvider(TestKeys.BC)
                        .build(pass)));
        assertThat(new String(legacy, StandardCharsets.US_ASCII)).contains("Proc-Type: 4,ENCRYPTED");
        PemObject enc8 = new JcaPKCS8Generator(
                        kp.getPrivate(),
                        new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                                .setProvider(TestKeys.BC)
                                .setPassword(pass)
                                .build())
                .generate();
        byte[] pkcs8 = TestKeys.pem(enc8);
        assertThat(new String(pkcs8, StandardCharsets.US_ASCII)).contains("BEGIN ENCRYPTED PRIVATE KEY");
        for (byte[] pem : new byte[][] {legacy, pkcs8}) {
            assertThat(SshKeyLoader.load("k", pem, PASS).publicKeyBlob())
                    .isEqualTo(TestKeys.publicBlob(kp.getPublic()));
            assertWrongPassphrase(pem);
            assertThatThrownBy(() -> SshKeyLoader.load("k", pem, null))
                    .isInstanceOf(SshKeyException.class)
                    .hasMessageContaining("'k' is encrypted: give its passphrase");
        }
    }

    @Test
    void encryptedOpenSshKeyFromSshKeygen() throws Exception {
        Path key = dir.resolve("id_ed25519");
        Process p;
        try {
            p = new ProcessBuilder(
                            "ssh-keygen",
                            "-q",
                            "-t",
                            "ed25519",
                            "-N",
                            new String(PASS, StandardCharsets.UTF_8),
                            "-C",
                            "test",
                            "-f",
                            key.toString())
                    .redirectErrorStream(true)
                    .start();
        } catch (java.io.IOException e) {
            Assumptions.abort("ssh-keygen is not installed: " + e.getMessage());
            return;
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        byte[] pem = Files.readAllBytes(key);
        assertThat(new String(pem, StandardCharsets.US_ASCII)).contains("BEGIN OPENSSH PRIVATE KEY");
        SshIdentity id = SshKeyLoader.load("gh", pem, PASS);
        String pub = Files.readString(dir.resolve("id_ed25519.pub")).split(" ")[1];
        assertThat(id.publicKeyBlob()).isEqualTo(java.util.Base64.getDecoder().decode(pub));
        assertWrongPassphrase(pem);
        assertThatThrownBy(() -> SshKeyLoader.load("k", pem, null))
                .isInstanceOf(SshKeyException.class)
                .hasMessageContaining("is encrypted");
    }

    @Test
    void notAKeyIsAClearError() {
        assertThatThrownBy(() -> SshKeyLoader.load("x", "hello".getBytes(StandardCharsets.US_ASCII), null))
                .isInstanceOf(SshKeyException.class)
                .hasMessageContaining("SSH key 'x' is not a PEM or OpenSSH private key");
        byte[] cert = ("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> SshKeyLoader.load("x", cert, null))
                .isInstanceOf(SshKeyException.class)
                .hasMessageContaining("SSH key 'x'");
    }

    private static void assertWrongPassphrase(byte[] pem) {
        assertThatThrownBy(() -> SshKeyLoader.load("k", pem, WRONG))
                .isInstanceOf(SshKeyException.class)
                .hasMessageContaining("SSH key 'k' could not be decrypted: wrong passphrase")
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage()))
                                .doesNotContain(new String(WRONG, StandardCharsets.UTF_8))
                                .doesNotContain("Tr0ub4dor");
                    }
                });
    }
}
