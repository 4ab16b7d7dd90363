package io.jenkins.plugins.containerbuild.engine.api;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * SSH identities offered to the build under one id: either private keys (PEM or OpenSSH format,
 * optionally encrypted) served by the engine's own in-memory agent, or an existing agent's socket.
 * {@code toString} never shows key material.
 */
public final class SshKeySource {
    private final SecretSource privateKey;
    private final SecretSource passphrase;
    private final Path agentSocket;

    private SshKeySource(SecretSource privateKey, SecretSource passphrase, Path agentSocket) {
        this.privateKey = privateKey;
        this.passphrase = passphrase;
        this.agentSocket = agentSocket;
    }

    /** A private key; {@code passphrase} may be null for an unencrypted key. */
    public static SshKeySource ofPrivateKey(SecretSource privateKey, SecretSource passphrase) {
        return new SshKeySource(Objects.requireNonNull(privateKey, "privateKey"), passphrase, null);
    }

    /** An existing ssh-agent's unix socket, e.g. the caller's {@code SSH_AUTH_SOCK}. */
    public static SshKeySource ofAgentSocket(Path socket) {
        return new SshKeySource(null, null, Objects.requireNonNull(socket, "socket"));
    }

    public Optional<SecretSource> privateKey() {
        return Optional.ofNullable(privateKey);
    }

    public Optional<SecretSource> passphrase() {
        return Optional.ofNullable(passphrase);
    }

    public Optional<Path> agentSocket() {
        return Optional.ofNullable(agentSocket);
    }

    @Override
    public String toString() {
        return agentSocket != null ? "SshKeySource(agent " + agentSocket + ")" : "SshKeySource(private key)";
    }
}
