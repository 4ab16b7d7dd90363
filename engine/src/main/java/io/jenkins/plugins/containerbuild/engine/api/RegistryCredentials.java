package io.jenkins.plugins.containerbuild.engine.api;

import java.util.Objects;

/**
 * A user name and secret for one registry host (e.g. {@code 127.0.0.1:5000} or
 * {@code docker.io}). {@code toString} shows the host and user name only.
 */
public final class RegistryCredentials {
    private final String host;
    private final String username;
    private final SecretSource password;

    public RegistryCredentials(String host, String username, SecretSource password) {
        if (host == null || host.isBlank() || host.contains("/")) {
            throw new InvalidBuildContextException(
                    "registryAuth.host",
                    "must be a registry host such as registry.example.com or 127.0.0.1:5000, got '" + host + "'");
        }
        if (username == null || username.isEmpty()) {
            throw new InvalidBuildContextException("registryAuth.username", "must not be empty for host " + host);
        }
        this.host = host;
        this.username = username;
        this.password = Objects.requireNonNull(password, "password");
    }

    public String host() {
        return host;
    }

    public String username() {
        return username;
    }

    public SecretSource password() {
        return password;
    }

    @Override
    public String toString() {
        return "RegistryCredentials(" + username + "@" + host + ")";
    }
}
