package io.jenkins.plugins.containerbuild.engine.session.sshforward;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;

/**
 * One private key held in memory for the in-process agent: its public key blob in SSH wire form and
 * SSH signatures made with BouncyCastle's signers (Ed25519; RSA PKCS#1 v1.5 with SHA-1, SHA-256 or SHA-512
 * as {@code ssh-rsa}, {@code rsa-sha2-256}, {@code rsa-sha2-512}; deterministic ECDSA on nistp256/384/521).
 * {@code toString} shows the key type and comment only.
 */
public final class SshIdentity {
    private final AsymmetricKeyParameter privateKey;
    private final byte[] publicKeyBlob;
    private final String keyType;
    private final String comment;

    SshIdentity(AsymmetricKeyParameter privateKey, String comment) throws IOException {
        if (!privateKey.isPrivate()) {
            throw new IllegalArgumentException("not a private key");
        }
        this.privateKey = privateKey;
        this.publicKeyBlob = OpenSSHPublicKeyUtil.encodePublicKey(publicOf(privateKey));
        this.keyType = new String(new SshWire.Reader(publicKeyBlob).string(), StandardCharsets.US_ASCII);
        this.comment = comment;
    }

    private static AsymmetricKeyParameter publicOf(AsymmetricKeyParameter key) throws IOException {
        if (key instanceof Ed25519PrivateKeyParameters ed) {
            return ed.generatePublicKey();
        }
        if (key instanceof RSAPrivateCrtKeyParameters rsa) {
            return new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent());
        }
        if (key instanceof ECPrivateKeyParameters ec) {
            return new ECPublicKeyParameters(
                    ec.getParameters().getG().multiply(ec.getD()).normalize(), ec.getParameters());
        }
        throw new IOException(
                "unsupported key type " + key.getClass().getSimpleName().replace("PrivateKeyParameters", "")
                        + "; use an Ed25519, RSA or ECDSA key");
    }

    /** The public key in SSH wire form, as {@code authorized_keys} carries it base64-encoded. */
    public byte[] publicKeyBlob() {
        return publicKeyBlob.clone();
    }

    /** {@code ssh-ed25519}, {@code ssh-rsa}, {@code ecdsa-sha2-nistp256} … */
    public String keyType() {
        return keyType;
    }

    public String comment() {
        return comment;
    }

    /**
     * Signs {@code data} and returns the SSH signature blob (string algorithm, string signature).
     *
     * @param flags the agent's SIGN_REQUEST flags: for RSA, 2 selects rsa-sha2-256, 4 rsa-sha2-512, none ssh-rsa
     */
    public byte[] sign(byte[] data, int flags) {
        try {
            if (privateKey instanceof Ed25519PrivateKeyParameters) {
                Ed25519Signer s = new Ed25519Signer();
                s.init(true, privateKey);
                s.update(data, 0, data.length);
                return new SshWire.Writer()
                        .string("ssh-ed25519")
                        .string(s.generateSignature())
                        .bytes();
            }
            if (privateKey instanceof RSAPrivateCrtKeyParameters) {
                String alg;
                Digest digest;
                if ((flags & AgentProtocol.SSH_AGENT_RSA_SHA2_512) != 0) {
                    alg = "rsa-sha2-512";
                    digest = new SHA512Digest();
                } else if ((flags & AgentProtocol.SSH_AGENT_RSA_SHA2_256) != 0) {
                    alg = "rsa-sha2-256";
                    digest = new SHA256Digest();
                } else {
                    alg = "ssh-rsa";
                    digest = new SHA1Digest();
                }
                RSADigestSigner s = new RSADigestSigner(digest);
                s.init(true, privateKey);
                s.update(data, 0, data.length);
                return new SshWire.Writer()
                        .string(alg)
                        .string(s.generateSignature())
                        .bytes();
            }
            ECPrivateKeyParameters ec = (ECPrivateKeyParameters) privateKey;
            Digest digest = switch (keyType) {
                case "ecdsa-sha2-nistp256" -> new SHA256Digest();
                case "ecdsa-sha2-nistp384" -> new SHA384Digest();
                case "ecdsa-sha2-nistp521" -> new SHA512Digest();
                default -> throw new IllegalStateException("unsupported curve " + keyType);
            };
            byte[] hash = new byte[digest.getDigestSize()];
            digest.update(data, 0, data.length);
            digest.doFinal(hash, 0);
            ECDSASigner s = new ECDSASigner(new HMacDSAKCalculator(digestLike(digest)));
            s.init(true, ec);
            BigInteger[] rs = s.generateSignature(hash);
            byte[] inner = new SshWire.Writer().mpint(rs[0]).mpint(rs[1]).bytes();
            return new SshWire.Writer().string(keyType).string(inner).bytes();
        } catch (CryptoException e) {
            throw new IllegalStateException("signing with the " + keyType + " key failed", e);
        }
    }

    private static Digest digestLike(Digest d) {
        return switch (d.getDigestSize()) {
            case 32 -> new SHA256Digest();
            case 48 -> new SHA384Digest();
            default -> new SHA512Digest();
        };
    }

    @Override
    public String toString() {
        return "SshIdentity(" + keyType + " " + comment + ")";
    }
}
