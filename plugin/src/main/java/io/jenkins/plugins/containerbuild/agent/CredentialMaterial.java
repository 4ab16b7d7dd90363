package io.jenkins.plugins.containerbuild.agent;

import io.jenkins.plugins.containerbuild.engine.steps.ResolvedCredentials;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The secret material a build needs, resolved from the credentials store on the controller and
 * carried to the agent over the remoting channel (which is encrypted when the agent connection
 * is). Values are bytes, never strings; {@link #destroy()} zeroes them. Never logged:
 * {@link #toString()} names the ids only.
 */
public final class CredentialMaterial implements Serializable {
    private static final long serialVersionUID = 1L;

    private final LinkedHashMap<String, byte[]> secrets = new LinkedHashMap<>();
    private final LinkedHashMap<String, SshKey> sshKeys = new LinkedHashMap<>();
    private final ArrayList<Registry> registries = new ArrayList<>();

    /** Adds a build secret ({@code RUN --mount=type=secret,id=...}). Takes ownership of {@code value}. */
    public void secret(String id, byte[] value) {
        secrets.put(id, value);
    }

    /** Adds an SSH key ({@code RUN --mount=type=ssh,id=...}). Takes ownership of the arrays. */
    public void sshKey(String id, byte[] privateKey, byte[] passphraseOrNull) {
        sshKeys.put(id, new SshKey(privateKey, passphraseOrNull));
    }

    /** Adds registry credentials for {@code host}. Takes ownership of {@code password}. */
    public void registry(String host, String username, byte[] password) {
        registries.add(new Registry(host, username, password));
    }

    /** True when there is nothing secret to pass. */
    public boolean isEmpty() {
        return secrets.isEmpty() && sshKeys.isEmpty() && registries.isEmpty();
    }

    /** The engine's form of the same material (copies; destroy both when done). */
    public ResolvedCredentials toResolved() {
        var b = ResolvedCredentials.builder();
        for (Map.Entry<String, byte[]> e : secrets.entrySet()) {
            b.secret(e.getKey(), e.getValue().clone());
        }
        for (Map.Entry<String, SshKey> e : sshKeys.entrySet()) {
            SshKey k = e.getValue();
            b.sshKey(e.getKey(), k.privateKey.clone(), k.passphrase == null ? null : k.passphrase.clone());
        }
        for (Registry r : registries) {
            b.registry(r.host, r.username, r.password.clone());
        }
        return b.build();
    }

    /** Every secret value, for masking in the console log (the arrays themselves, not copies). */
    public List<byte[]> valuesForMasking() {
        List<byte[]> out = new ArrayList<>(secrets.values());
        for (SshKey k : sshKeys.values()) {
            out.add(k.privateKey);
            if (k.passphrase != null) {
                out.add(k.passphrase);
            }
        }
        for (Registry r : registries) {
            out.add(r.password);
        }
        return out;
    }

    /** Zeroes every value. */
    public void destroy() {
        for (byte[] v : valuesForMasking()) {
            Arrays.fill(v, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "CredentialMaterial[secrets=" + secrets.keySet() + ", sshKeys=" + sshKeys.keySet() + ", registries="
                + registries.stream().map(r -> r.host).toList() + "]";
    }

    private static final class SshKey implements Serializable {
        private static final long serialVersionUID = 1L;
        private final byte[] privateKey;
        private final byte[] passphrase;

        SshKey(byte[] privateKey, byte[] passphrase) {
            this.privateKey = privateKey;
            this.passphrase = passphrase;
        }
    }

    private static final class Registry implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String host;
        private final String username;
        private final byte[] password;

        Registry(String host, String username, byte[] password) {
            this.host = host;
            this.username = username;
            this.password = password;
        }
    }
}
