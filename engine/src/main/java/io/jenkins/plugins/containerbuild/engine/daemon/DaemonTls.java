package io.jenkins.plugins.containerbuild.engine.daemon;

import io.jenkins.plugins.containerbuild.engine.api.ClientCertificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The client side of a daemon's {@code --tlsverify}: an {@link SSLContext} that trusts the certificates in
 * {@code ca.pem} and presents {@code cert.pem} with the private key in {@code key.pem} (PKCS#1 or PKCS#8, not
 * encrypted), as the docker CLI reads a {@code DOCKER_CERT_PATH}. The key is parsed from the file by
 * BouncyCastle straight into a {@link PrivateKey}; it is never held as a Java {@code String} here.
 */
public final class DaemonTls {
    public static final String CA = "ca.pem";
    public static final String CERT = "cert.pem";
    public static final String KEY = "key.pem";

    private DaemonTls() {}

    /** The client key and the trusted CAs of a certificate directory, for TLS stacks that take managers. */
    public record Material(KeyManagerFactory keys, TrustManagerFactory trust) {}

    /** The context for talking to a daemon with the TLS material in {@code certDir}. */
    public static SSLContext sslContext(Path certDir) throws IOException {
        Material m = material(certDir);
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(m.keys().getKeyManagers(), m.trust().getTrustManagers(), new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the TLS material in " + certDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code ca.pem}, {@code cert.pem} and {@code key.pem} (PEM; the key PKCS#1 or PKCS#8) of {@code certDir}.
     *
     * @throws IOException naming the file that is missing or unreadable
     */
    public static Material material(Path certDir) throws IOException {
        return material(
                read(certDir.resolve(CA)),
                certDir.resolve(CA).toString(),
                read(certDir.resolve(CERT)),
                certDir.resolve(CERT).toString(),
                read(certDir.resolve(KEY)),
                certDir.resolve(KEY).toString(),
                "the TLS material in " + certDir);
    }

    /**
     * The material of a client certificate held in memory (the key is read, used and zeroed).
     *
     * @throws IOException naming which part is not usable
     */
    public static Material material(ClientCertificate c) throws IOException {
        byte[] key = c.key().read();
        try {
            return material(
                    c.caPem(),
                    "the CA certificate",
                    c.certPem(),
                    "the client certificate",
                    key,
                    "the client key",
                    "the client certificate credential");
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static byte[] read(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException("TLS file " + file + " does not exist", e);
        }
    }

    private static Material material(
            byte[] ca, String caName, byte[] cert, String certName, byte[] keyPem, String keyName, String what)
            throws IOException {
        List<Certificate> cas = certificates(ca, caName);
        List<Certificate> chain = certificates(cert, certName);
        PrivateKey key = privateKey(keyPem, keyName);
        char[] password = new char[16];
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < password.length; i++) {
            password[i] = (char) ('a' + random.nextInt(26));
        }
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", key, password, chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                trust.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            return new Material(kmf, tmf);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use " + what + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static List<Certificate> certificates(byte[] pem, String name) throws IOException {
        try (InputStream in = new ByteArrayInputStream(pem)) {
            Collection<? extends Certificate> certs =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IOException("no certificate in " + name);
            }
            List<Certificate> list = new ArrayList<>();
            for (Certificate c : certs) {
                if (!(c instanceof X509Certificate)) {
                    throw new IOException("not an X.509 certificate in " + name);
                }
                list.add(c);
            }
            return list;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the certificates in " + name + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(byte[] pemBytes, String name) throws IOException {
        try (Reader reader = new InputStreamReader(new ByteArrayInputStream(pemBytes), StandardCharsets.US_ASCII);
                PEMParser pem = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (!(o instanceof org.bouncycastle.asn1.x9.X9ECParameters)
                        && !(o instanceof org.bouncycastle.asn1.ASN1ObjectIdentifier)) {
                    throw new IOException(name + " holds " + kind(o) + ", not an unencrypted private key");
                }
            }
            throw new IOException("no private key in " + name);
        }
    }

    private static String kind(Object o) {
        String n = o.getClass().getSimpleName();
        return n.contains("Encrypted") ? "an encrypted key (use an unencrypted key.pem)" : "a " + n;
    }
}
