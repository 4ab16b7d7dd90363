package io.jenkins.plugins.containerbuild.engine.controlapi;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuilderEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.DaemonUnreachableException;
import io.jenkins.plugins.containerbuild.engine.testing.Buildkitd;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS failures a user meets with a tcp:// buildkitd, each on the real builder: a CA that did not sign the builder's
 * certificate, a client certificate from another CA, and an expired client certificate (made here, signed by the test
 * CA). Each is an unreachable builder (the CLI's exit code 3) whose message names the builder and what to check, and
 * none gets as far as a build.
 */
@Tag("buildkitd")
class ControlApiTlsFailuresBuildkitdTest {
    @BeforeEach
    void builder() {
        Buildkitd.require();
    }

    /** A TLS directory of {@code ca}, {@code cert} and {@code key} (PEM files, copied). */
    private static Path tlsDir(Path dir, Path ca, Path cert, Path key) throws Exception {
        Files.createDirectories(dir);
        Files.copy(ca, dir.resolve("ca.pem"));
        Files.copy(cert, dir.resolve("cert.pem"));
        Files.copy(key, dir.resolve("key.pem"));
        return dir;
    }

    private static void refused(Path tls, Path ctxDir, String... hints) {
        BuilderEndpoint endpoint = BuilderEndpoint.of(Buildkitd.tcp().address().toString(), tls);
        try (BuildEngine engine = BuildEngine.builder()
                .builder(endpoint)
                .connectTimeout(Duration.ofSeconds(5))
                .build()) {
            var thrown = assertThatThrownBy(() -> engine.build(
                            BuildContext.builder().contextDir(ctxDir).build(), null))
                    .isInstanceOf(DaemonUnreachableException.class)
                    .hasMessageContaining(endpoint.toString());
            for (String h : hints) {
                thrown.hasMessageContaining(h);
            }
        }
    }

    @Test
    void aCaThatDidNotSignTheBuildersCertificate(@TempDir Path tmp) throws Exception {
        Path good = Buildkitd.tlsDir();
        Path otherCa = good.getParent().getParent().resolve("tls/wrong-ca/ca.pem");
        Path tls = tlsDir(tmp.resolve("tls"), otherCa, good.resolve("cert.pem"), good.resolve("key.pem"));
        refused(tls, Buildkitd.context(Files.createDirectories(tmp.resolve("ctx")), "x"), "the TLS handshake failed");
    }

    @Test
    void aClientCertificateFromAnotherCa(@TempDir Path tmp) throws Exception {
        Path good = Buildkitd.tlsDir();
        Path foreign = good.getParent().getParent().resolve("tls/wrong-client");
        Path tls = tlsDir(
                tmp.resolve("tls"), good.resolve("ca.pem"), foreign.resolve("cert.pem"), foreign.resolve("key.pem"));
        refused(
                tls,
                Buildkitd.context(Files.createDirectories(tmp.resolve("ctx")), "x"),
                "the TLS handshake failed",
                "trusts the client certificate in " + tls);
    }

    @Test
    void anExpiredClientCertificate(@TempDir Path tmp) throws Exception {
        Path good = Buildkitd.tlsDir();
        Path caDir = good.getParent().resolve("certs/ca");
        X509Certificate caCert = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(caDir.resolve("ca.pem")));
        PrivateKey caKey;
        try (Reader r = Files.newBufferedReader(caDir.resolve("ca-key.pem"));
                PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            caKey = o instanceof PEMKeyPair kp
                    ? conv.getPrivateKey(kp.getPrivateKeyInfo())
                    : conv.getPrivateKey((PrivateKeyInfo) o);
        }
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair client = gen.generateKeyPair();
        Instant now = Instant.now();
        X509CertificateHolder holder = new JcaX509v3CertificateBuilder(
                        caCert,
                        BigInteger.valueOf(now.toEpochMilli()),
                        Date.from(now.minus(Duration.ofDays(30))),
                        Date.from(now.minus(Duration.ofDays(1))),
                        new X500Name("CN=expired-client"),
                        client.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(caKey));
        X509Certificate expired = new JcaX509CertificateConverter().getCertificate(holder);
        Path dir = Files.createDirectories(tmp.resolve("tls"));
        Files.copy(good.resolve("ca.pem"), dir.resolve("ca.pem"));
        Files.writeString(dir.resolve("cert.pem"), pem(expired));
        Files.writeString(dir.resolve("key.pem"), pem(client.getPrivate()));
        refused(dir, Buildkitd.context(Files.createDirectories(tmp.resolve("ctx")), "x"), "the TLS handshake failed");
    }

    private static String pem(Object o) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return w.toString();
    }
}
