package io.jenkins.plugins.containerbuild.engine.session.sshforward;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Assumptions;

/** Test keys made with JCA/BouncyCastle and the checks of SSH signature blobs. */
public final class TestKeys {
    /** BouncyCastle as a JCA provider object (not registered with the JVM). */
    public static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private TestKeys() {}

    /** An Ed25519 key as an unencrypted OpenSSH private key file, and its public parameters. */
    public record Ed25519Key(byte[] openSsh, Ed25519PublicKeyParameters publicKey) {
        public byte[] publicBlob() throws IOException {
            return OpenSSHPublicKeyUtil.encodePublicKey(publicKey);
        }
    }

    public static Ed25519Key ed25519() throws IOException {
        Ed25519KeyPairGenerator g = new Ed25519KeyPairGenerator();
        g.init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        AsymmetricCipherKeyPair kp = g.generateKeyPair();
        byte[] blob = OpenSSHPrivateKeyUtil.encodePrivateKey(kp.getPrivate());
        StringWriter w = new StringWriter();
        try (PemWriter pw = new PemWriter(w)) {
            pw.writeObject(new PemObject("OPENSSH PRIVATE KEY", blob));
        }
        return new Ed25519Key(
                w.toString().getBytes(StandardCharsets.US_ASCII), (Ed25519PublicKeyParameters) kp.getPublic());
    }

    public static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
    }

    public static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    /** PEM of a JCA object as BouncyCastle writes it (an RSA/EC PrivateKey: PKCS#1/SEC1 for a KeyPair, PKCS#8 else). */
    public static byte[] pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
        return w.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The SSH wire blob of a JCA public key. */
    public static byte[] publicBlob(PublicKey key) throws IOException {
        AsymmetricKeyParameter p = PublicKeyFactory.createKey(key.getEncoded());
        return OpenSSHPublicKeyUtil.encodePublicKey(p);
    }

    /** Splits an SSH signature blob into algorithm name and signature bytes. */
    public static Object[] parseSignature(byte[] blob) {
        ByteBuffer b = ByteBuffer.wrap(blob);
        byte[] alg = new byte[b.getInt()];
        b.get(alg);
        byte[] sig = new byte[b.getInt()];
        b.get(sig);
        if (b.hasRemaining()) {
            throw new IllegalArgumentException("trailing bytes in signature blob");
        }
        return new Object[] {new String(alg, StandardCharsets.US_ASCII), sig};
    }

    /** Verifies an SSH signature blob over data with a JCA public key or Ed25519 parameters. */
    public static boolean verify(Object publicKey, byte[] data, byte[] signatureBlob) throws Exception {
        Object[] parsed = parseSignature(signatureBlob);
        String alg = (String) parsed[0];
        byte[] sig = (byte[]) parsed[1];
        if (publicKey instanceof Ed25519PublicKeyParameters ed) {
            if (!alg.equals("ssh-ed25519")) {
                return false;
            }
            Ed25519Signer v = new Ed25519Signer();
            v.init(false, ed);
            v.update(data, 0, data.length);
            return v.verifySignature(sig);
        }
        String jca;
        switch (alg) {
            case "ssh-rsa" -> jca = "SHA1withRSA";
            case "rsa-sha2-256" -> jca = "SHA256withRSA";
            case "rsa-sha2-512" -> jca = "SHA512withRSA";
            case "ecdsa-sha2-nistp256" -> jca = "SHA256withECDSA";
            case "ecdsa-sha2-nistp384" -> jca = "SHA384withECDSA";
            case "ecdsa-sha2-nistp521" -> jca = "SHA512withECDSA";
            default -> throw new IllegalArgumentException("algorithm " + alg);
        }
        if (alg.startsWith("ecdsa")) {
            ByteBuffer b = ByteBuffer.wrap(sig);
            byte[] r = new byte[b.getInt()];
            b.get(r);
            byte[] s = new byte[b.getInt()];
            b.get(s);
            sig = new DERSequence(
                            new ASN1Integer[] {new ASN1Integer(new BigInteger(r)), new ASN1Integer(new BigInteger(s))})
                    .getEncoded();
        }
        Signature v = Signature.getInstance(jca);
        v.initVerify((PublicKey) publicKey);
        v.update(data);
        return v.verify(sig);
    }

    /** A framed SIGN_REQUEST. */
    public static byte[] signRequest(byte[] keyBlob, byte[] data, int flags) {
        ByteBuffer body = ByteBuffer.allocate(1 + 4 + keyBlob.length + 4 + data.length + 4);
        body.put((byte) 13)
                .putInt(keyBlob.length)
                .put(keyBlob)
                .putInt(data.length)
                .put(data)
                .putInt(flags);
        return frame(body.array());
    }

    public static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(4 + body.length)
                .putInt(body.length)
                .put(body)
                .array();
    }

    /** Splits concatenated framed agent messages. */
    public static java.util.List<byte[]> unframe(byte[] stream) {
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(stream);
        while (b.remaining() >= 4) {
            byte[] m = new byte[b.getInt()];
            b.get(m);
            out.add(m);
        }
        if (b.hasRemaining()) {
            throw new IllegalArgumentException("partial frame");
        }
        return out;
    }

    /** The key blobs of an IDENTITIES_ANSWER. */
    public static List<ByteBuffer> identities(byte[] message) {
        ByteBuffer b = ByteBuffer.wrap(message);
        assertThat(b.get()).as("IDENTITIES_ANSWER").isEqualTo((byte) 12);
        int n = b.getInt();
        List<ByteBuffer> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] blob = new byte[b.getInt()];
            b.get(blob);
            b.position(b.position() + b.getInt());
            out.add(ByteBuffer.wrap(blob));
        }
        return out;
    }

    /** The signature blob of a SIGN_RESPONSE. */
    public static byte[] signature(byte[] message) {
        ByteBuffer b = ByteBuffer.wrap(message);
        assertThat(b.get()).as("SIGN_RESPONSE").isEqualTo((byte) 14);
        byte[] sig = new byte[b.getInt()];
        b.get(sig);
        return sig;
    }

    /**
     * The tiny static SSH agent client that builds run to talk to the forwarded agent
     * ({@code src/test/resources/session/agentc.c}, compiled with {@code gcc -static}); aborts the test when gcc or a
     * static libc is missing.
     */
    public static byte[] agentClient(Path tmp) throws IOException, InterruptedException {
        Path src = tmp.resolve("agentc.c");
        try (InputStream in = TestKeys.class.getResourceAsStream("/session/agentc.c")) {
            Files.write(src, in.readAllBytes());
        }
        Path bin = tmp.resolve("agentc");
        Process p;
        try {
            p = new ProcessBuilder("gcc", "-static", "-Os", "-o", bin.toString(), src.toString())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            Assumptions.abort("gcc is not installed, so the in-build agent client cannot be made: " + e.getMessage());
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        Assumptions.assumeTrue(p.exitValue() == 0, "gcc -static failed (static libc missing?): " + out);
        return Files.readAllBytes(bin);
    }
}
