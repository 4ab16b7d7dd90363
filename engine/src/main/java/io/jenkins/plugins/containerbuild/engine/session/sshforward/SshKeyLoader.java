package io.jenkins.plugins.containerbuild.engine.session.sshforward;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.util.Arrays;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Loads an SSH private key with BouncyCastle: OpenSSH format ({@code BEGIN OPENSSH PRIVATE KEY}, optionally
 * encrypted with bcrypt-pbkdf), PEM PKCS#1 ({@code BEGIN RSA/EC PRIVATE KEY}, optionally with the legacy
 * {@code Proc-Type: 4,ENCRYPTED}) and PKCS#8 ({@code BEGIN PRIVATE KEY} / {@code BEGIN ENCRYPTED PRIVATE KEY}).
 * Error messages name the key's id and what is wrong, never the key or the passphrase.
 */
public final class SshKeyLoader {
    private static volatile Provider bc;

    private SshKeyLoader() {}

    private static Provider bc() {
        Provider p = bc;
        if (p == null) {
            p = new BouncyCastleProvider(); // not registered with the JVM
            bc = p;
        }
        return p;
    }

    /**
     * Parses a private key.
     *
     * @param id         the key's id, for messages and the agent's key comment
     * @param key        the key file's bytes (not modified)
     * @param passphrase the passphrase's bytes (UTF-8), or null for an unencrypted key (not modified)
     */
    public static SshIdentity load(String id, byte[] key, byte[] passphrase) throws SshKeyException {
        String comment = "container-build:" + id;
        PemObject pem;
        try (PemReader reader = new PemReader(reader(key))) {
            pem = reader.readPemObject();
        } catch (IOException | RuntimeException e) {
            throw new SshKeyException("SSH key '" + id + "' is not a PEM or OpenSSH private key: "
                    + e.getClass().getSimpleName());
        }
        if (pem == null) {
            throw new SshKeyException("SSH key '" + id + "' is not a PEM or OpenSSH private key: no"
                    + " '-----BEGIN ... PRIVATE KEY-----' block found");
        }
        try {
            AsymmetricKeyParameter params = "OPENSSH PRIVATE KEY".equals(pem.getType())
                    ? openSsh(id, pem.getContent(), passphrase)
                    : pemKey(id, key, passphrase);
            return new SshIdentity(params, comment);
        } catch (SshKeyException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SshKeyException("SSH key '" + id + "' could not be loaded: " + safeMessage(e));
        } finally {
            Arrays.fill(pem.getContent(), (byte) 0);
        }
    }

    private static AsymmetricKeyParameter openSsh(String id, byte[] blob, byte[] passphrase) throws SshKeyException {
        try {
            return OpenSSHPrivateKeyUtil.parsePrivateKeyBlob(blob, passphrase);
        } catch (IllegalArgumentException | IllegalStateException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("passphrase required")) {
                throw new SshKeyException("SSH key '" + id + "' is encrypted: give its passphrase");
            }
            if (passphrase != null
                    && (m.contains("bad passphrase")
                            || m.contains("unable to decrypt")
                            || m.contains("check values"))) {
                throw new SshKeyException(
                        "SSH key '" + id + "' could not be decrypted: wrong passphrase" + " (or a corrupted key)");
            }
            throw new SshKeyException("SSH key '" + id + "' is not a valid OpenSSH private key: " + safeMessage(e));
        }
    }

    private static AsymmetricKeyParameter pemKey(String id, byte[] key, byte[] passphrase) throws IOException {
        Object o;
        try (PEMParser parser = new PEMParser(reader(key))) {
            o = parser.readObject();
        }
        char[] pass = null;
        try {
            if (o instanceof PEMKeyPair kp) {
                return PrivateKeyFactory.createKey(kp.getPrivateKeyInfo());
            }
            if (o instanceof PrivateKeyInfo info) {
                return PrivateKeyFactory.createKey(info);
            }
            if (o instanceof PEMEncryptedKeyPair ekp) {
                pass = chars(id, passphrase);
                try {
                    return PrivateKeyFactory.createKey(ekp.decryptKeyPair(new JcePEMDecryptorProviderBuilder()
                                    .setProvider(bc())
                                    .build(pass))
                            .getPrivateKeyInfo());
                } catch (IOException | RuntimeException e) {
                    throw wrongPassphrase(id);
                }
            }
            if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
                pass = chars(id, passphrase);
                try {
                    return PrivateKeyFactory.createKey(
                            enc.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                                    .setProvider(bc())
                                    .build(pass)));
                } catch (Exception e) {
                    throw wrongPassphrase(id);
                }
            }
            throw new SshKeyException("SSH key '" + id + "' is not a private key (found "
                    + (o == null ? "nothing" : o.getClass().getSimpleName()) + ")");
        } finally {
            if (pass != null) {
                Arrays.fill(pass, '\0');
            }
        }
    }

    private static SshKeyException wrongPassphrase(String id) {
        return new SshKeyException(
                "SSH key '" + id + "' could not be decrypted: wrong passphrase (or a corrupted key)");
    }

    private static char[] chars(String id, byte[] passphrase) throws SshKeyException {
        if (passphrase == null) {
            throw new SshKeyException("SSH key '" + id + "' is encrypted: give its passphrase");
        }
        CharBuffer cb = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(passphrase));
        char[] out = new char[cb.remaining()];
        cb.get(out);
        Arrays.fill(cb.array(), '\0');
        return out;
    }

    private static Reader reader(byte[] key) {
        return new InputStreamReader(new ByteArrayInputStream(key), StandardCharsets.US_ASCII);
    }

    /** Exception messages from parsers describe structure, not content; keep them short anyway. */
    private static String safeMessage(Exception e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return m.length() > 200 ? m.substring(0, 200) : m;
    }
}
