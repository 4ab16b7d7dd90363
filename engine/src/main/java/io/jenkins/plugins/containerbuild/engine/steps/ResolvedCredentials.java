package io.jenkins.plugins.containerbuild.engine.steps;

import io.jenkins.plugins.containerbuild.engine.api.ClientCertificate;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.api.RegistryCredentials;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import io.jenkins.plugins.containerbuild.engine.api.SshKeySource;
import io.jenkins.plugins.containerbuild.engine.mask.SecretMasker;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Secret material resolved from a credentials store for one build, in the form that travels to the
 * agent: build secrets by secret id, SSH private keys by SSH id, registry credentials by registry
 * host. Values are byte arrays only (never {@code String}); every array given in is copied, so the
 * caller may zero its own. {@link #toString()} shows ids only. Call {@link #destroy()} when the build
 * is over: it zeroes every array, after which the sources fail to read.
 *
 * <p>This object is Java-serializable on purpose (it crosses the Jenkins remoting channel). Never
 * persist it.
 */
public final class ResolvedCredentials implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final String CA = "ca";
    private static final String CERT = "cert";
    private static final String KEY = "key";

    private final LinkedHashMap<String, byte[]> secrets;
    private final LinkedHashMap<String, byte[]> sshKeys;
    private final LinkedHashMap<String, byte[]> sshPassphrases;
    private final LinkedHashMap<String, String> registryUsers;
    private final LinkedHashMap<String, byte[]> registryPasswords;
    /** The builder's client certificate: CA, certificate, key (PEM); empty when there is none. */
    private final LinkedHashMap<String, byte[]> builderCertificate;

    private volatile boolean destroyed;

    private ResolvedCredentials(Builder b) {
        this.secrets = new LinkedHashMap<>(b.secrets);
        this.sshKeys = new LinkedHashMap<>(b.sshKeys);
        this.sshPassphrases = new LinkedHashMap<>(b.sshPassphrases);
        this.registryUsers = new LinkedHashMap<>(b.registryUsers);
        this.registryPasswords = new LinkedHashMap<>(b.registryPasswords);
        this.builderCertificate = new LinkedHashMap<>(b.builderCertificate);
    }

    /** A new, empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** No credentials at all. */
    public static ResolvedCredentials none() {
        return new Builder().build();
    }

    /** The build secret with this id, read from memory on demand. */
    public Optional<SecretSource> secret(String id) {
        byte[] v = secrets.get(id);
        return v == null ? Optional.empty() : Optional.of(new HeldSecret(this, v, "secret " + id));
    }

    /** The SSH identity with this id (a private key, with its passphrase when it has one). */
    public Optional<SshKeySource> sshKey(String id) {
        byte[] key = sshKeys.get(id);
        if (key == null) {
            return Optional.empty();
        }
        byte[] pass = sshPassphrases.get(id);
        return Optional.of(SshKeySource.ofPrivateKey(
                new HeldSecret(this, key, "ssh key " + id),
                pass == null ? null : new HeldSecret(this, pass, "ssh key passphrase " + id)));
    }

    /** The credentials for this registry host. */
    public Optional<RegistryCredentials> registry(String host) {
        String user = registryUsers.get(host);
        return user == null
                ? Optional.empty()
                : Optional.of(new RegistryCredentials(
                        host, user, new HeldSecret(this, registryPasswords.get(host), "registry password " + host)));
    }

    /** Every registry's credentials, in the order they were added. */
    public List<RegistryCredentials> registries() {
        List<RegistryCredentials> out = new ArrayList<>();
        registryUsers.keySet().forEach(h -> out.add(registry(h).orElseThrow()));
        return out;
    }

    /** The client certificate for mutual TLS with the builder, when one was resolved. */
    public Optional<ClientCertificate> builderCertificate() {
        if (builderCertificate.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ClientCertificate(
                builderCertificate.get(CA),
                builderCertificate.get(CERT),
                new HeldSecret(this, builderCertificate.get(KEY), "the builder's client key")));
    }

    public Set<String> secretIds() {
        return java.util.Collections.unmodifiableSet(secrets.keySet());
    }

    public Set<String> sshKeyIds() {
        return java.util.Collections.unmodifiableSet(sshKeys.keySet());
    }

    public Set<String> registryHosts() {
        return java.util.Collections.unmodifiableSet(registryUsers.keySet());
    }

    /**
     * Copies of every secret value (build secrets, SSH keys and passphrases, registry passwords), for
     * masking them in a console log. Empty values are left out. The caller zeroes the copies when done.
     */
    public List<byte[]> secretValuesForMasking() {
        List<byte[]> out = new ArrayList<>();
        for (Map<String, byte[]> m : List.of(secrets, sshKeys, sshPassphrases, registryPasswords, builderKey())) {
            for (byte[] v : m.values()) {
                if (v.length > 0) {
                    out.add(v.clone());
                }
            }
        }
        return out;
    }

    /** A masker for every secret value these credentials hold (the one masker the engine and the plugin use). */
    public SecretMasker masker() {
        return maskerOf(List.of(this));
    }

    /** A masker for every secret value of several builds' credentials. */
    public static SecretMasker maskerOf(List<ResolvedCredentials> all) {
        List<byte[]> values = new ArrayList<>();
        all.forEach(c -> values.addAll(c.secretValuesForMasking()));
        try {
            return SecretMasker.ofValues(values);
        } finally {
            values.forEach(v -> Arrays.fill(v, (byte) 0));
        }
    }

    /** Zeroes every held array; sources handed out before fail to read afterwards. */
    public void destroy() {
        destroyed = true;
        for (Map<String, byte[]> m : List.of(secrets, sshKeys, sshPassphrases, registryPasswords, builderKey())) {
            m.values().forEach(v -> Arrays.fill(v, (byte) 0));
        }
    }

    private Map<String, byte[]> builderKey() {
        byte[] key = builderCertificate.get(KEY);
        return key == null ? Map.of() : Map.of(KEY, key);
    }

    /** True once {@link #destroy()} ran. */
    public boolean isDestroyed() {
        return destroyed;
    }

    /** Ids and hosts only, never a value. */
    @Override
    public String toString() {
        List<String> regs = new ArrayList<>();
        registryUsers.forEach((h, u) -> regs.add(u + "@" + h));
        return "ResolvedCredentials{secrets=" + secrets.keySet() + ", sshKeys=" + sshKeys.keySet() + ", registries="
                + regs + (builderCertificate.isEmpty() ? "" : ", builderCertificate") + (destroyed ? ", destroyed" : "")
                + "}";
    }

    /** Reads one held array on demand; fails once the owner is destroyed. */
    private static final class HeldSecret implements SecretSource {
        private final ResolvedCredentials owner;
        private final byte[] value;
        private final String what;

        HeldSecret(ResolvedCredentials owner, byte[] value, String what) {
            this.owner = owner;
            this.value = value;
            this.what = what;
        }

        @Override
        public byte[] read() throws IOException {
            if (owner.destroyed) {
                throw new IOException(what + " is no longer available: the credentials were destroyed");
            }
            return value.clone();
        }

        @Override
        public String describe() {
            return what;
        }

        @Override
        public String toString() {
            return "SecretSource(" + what + ")";
        }
    }

    /** Collects secret material; every array is copied on the way in. */
    public static final class Builder {
        private final Map<String, byte[]> secrets = new LinkedHashMap<>();
        private final Map<String, byte[]> sshKeys = new LinkedHashMap<>();
        private final Map<String, byte[]> sshPassphrases = new LinkedHashMap<>();
        private final Map<String, String> registryUsers = new LinkedHashMap<>();
        private final Map<String, byte[]> registryPasswords = new LinkedHashMap<>();
        private final Map<String, byte[]> builderCertificate = new LinkedHashMap<>();

        public Builder() {}

        /** The builder's client certificate for mutual TLS: CA and client certificate, and the client key (PEM). */
        public Builder builderCertificate(byte[] caPem, byte[] certPem, byte[] keyPem) {
            builderCertificate.put(CA, Objects.requireNonNull(caPem, "caPem").clone());
            builderCertificate.put(
                    CERT, Objects.requireNonNull(certPem, "certPem").clone());
            builderCertificate.put(KEY, Objects.requireNonNull(keyPem, "keyPem").clone());
            return this;
        }

        /** A build secret, by the id the Dockerfile mounts it with. */
        public Builder secret(String id, byte[] value) {
            secrets.put(
                    checkId("secrets", id),
                    Objects.requireNonNull(value, "value").clone());
            return this;
        }

        /** An SSH private key (PEM or OpenSSH), with its passphrase or null for an unencrypted key. */
        public Builder sshKey(String id, byte[] privateKey, byte[] passphraseOrNull) {
            String k = checkId("sshKeys", id);
            sshKeys.put(k, Objects.requireNonNull(privateKey, "privateKey").clone());
            if (passphraseOrNull == null) {
                sshPassphrases.remove(k);
            } else {
                sshPassphrases.put(k, passphraseOrNull.clone());
            }
            return this;
        }

        /** Credentials for one registry host, e.g. {@code registry.example.com} or {@code 127.0.0.1:5000}. */
        public Builder registry(String host, String username, byte[] password) {
            RegistryCredentials check = new RegistryCredentials(host, username, SecretSource.ofBytes(new byte[0]));
            registryUsers.put(check.host(), username);
            registryPasswords.put(
                    check.host(), Objects.requireNonNull(password, "password").clone());
            return this;
        }

        public ResolvedCredentials build() {
            return new ResolvedCredentials(this);
        }

        private static String checkId(String field, String id) {
            if (id == null || !id.matches("[a-zA-Z0-9_.-]+")) {
                throw new InvalidBuildContextException(
                        field, "id '" + id + "' is not valid; use letters, digits, _ . -");
            }
            return id;
        }
    }
}
