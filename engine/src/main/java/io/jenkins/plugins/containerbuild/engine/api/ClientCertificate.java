package io.jenkins.plugins.containerbuild.engine.api;

import java.util.Objects;

/**
 * A client certificate for mutual TLS, held in memory rather than in a directory: the CA that signed the builder's
 * certificate and the client's certificate (PEM, not secret), and the client's private key (PEM), read on demand from
 * its {@link SecretSource} so it is never a {@code String} and never on disk. In Jenkins it comes from a Docker
 * Server Credentials entry, as docker-commons stores it.
 */
public final class ClientCertificate {
    private final byte[] caPem;
    private final byte[] certPem;
    private final SecretSource key;

    /**
     * @param caPem   the CA certificate(s) the builder's certificate is checked against
     * @param certPem the client certificate (and its chain)
     * @param key     the client's unencrypted private key, PKCS#1 or PKCS#8
     */
    public ClientCertificate(byte[] caPem, byte[] certPem, SecretSource key) {
        this.caPem = Objects.requireNonNull(caPem, "caPem").clone();
        this.certPem = Objects.requireNonNull(certPem, "certPem").clone();
        this.key = Objects.requireNonNull(key, "key");
    }

    public byte[] caPem() {
        return caPem.clone();
    }

    public byte[] certPem() {
        return certPem.clone();
    }

    public SecretSource key() {
        return key;
    }

    /** Never the material. */
    @Override
    public String toString() {
        return "ClientCertificate(" + key.describe() + ")";
    }
}
