package io.jenkins.plugins.containerbuild.engine.api;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a standalone BuildKit daemon (buildkitd) listens: a unix socket ({@code unix:///run/buildkit/buildkitd.sock})
 * or a TCP address ({@code tcp://buildkitd:1234}), with the directory holding {@code ca.pem}, {@code cert.pem} and
 * {@code key.pem} when the TCP address requires mutual TLS (the layout of {@code DOCKER_CERT_PATH}).
 *
 * @param address     the builder's address
 * @param tlsDir      directory of TLS material, or null
 * @param certificate the TLS material in memory (from a credentials store), or null; a TCP address with neither is
 *                    plain
 * @param keepAliveTime    how long the connection may stay silent before the engine pings the builder (default
 *                         30 s; gRPC makes anything under 10 s 10 s)
 * @param keepAliveTimeout how long a ping may go unanswered before the connection, and the build on it, is given up
 *                         (default 20 s): a builder that stops answering fails the build within about the sum
 */
public record BuilderEndpoint(
        URI address,
        Path tlsDir,
        ClientCertificate certificate,
        java.time.Duration keepAliveTime,
        java.time.Duration keepAliveTimeout) {
    /** The default ping interval on a silent connection. */
    public static final java.time.Duration DEFAULT_KEEPALIVE_TIME = java.time.Duration.ofSeconds(30);

    /** The default time a ping may go unanswered. */
    public static final java.time.Duration DEFAULT_KEEPALIVE_TIMEOUT = java.time.Duration.ofSeconds(20);

    /** The environment variable buildctl and buildx read the address from. */
    public static final String ENVIRONMENT_VARIABLE = "BUILDKIT_HOST";

    public BuilderEndpoint {
        Objects.requireNonNull(address, "address");
        keepAliveTime = positive("keepAliveTime", keepAliveTime, DEFAULT_KEEPALIVE_TIME);
        keepAliveTimeout = positive("keepAliveTimeout", keepAliveTimeout, DEFAULT_KEEPALIVE_TIMEOUT);
        String scheme = address.getScheme();
        if (!"unix".equals(scheme) && !"tcp".equals(scheme)) {
            throw new InvalidBuildContextException(
                    "builder",
                    "'" + address + "' is not a BuildKit address; use"
                            + " unix:///path/to/buildkitd.sock or tcp://host:port (or docker for the Docker daemon)");
        }
        if ("tcp".equals(scheme) && (address.getHost() == null || address.getPort() < 0)) {
            throw new InvalidBuildContextException(
                    "builder",
                    "'" + address + "' names no host and port; use" + " tcp://host:port, e.g. tcp://buildkitd:1234");
        }
        if (tlsDir != null && certificate != null) {
            throw new InvalidBuildContextException(
                    "builderTlsDir", "give the TLS material once: a directory or a client certificate credential");
        }
        if ((tlsDir != null || certificate != null) && "unix".equals(scheme)) {
            throw new InvalidBuildContextException(
                    "builderTlsDir",
                    "TLS is for tcp:// builders; a unix socket is"
                            + " plain (drop the TLS directory, or use the builder's tcp:// address)");
        }
    }

    /** An address with its TLS material in {@code tlsDir} (or none), and the default keepalive. */
    public BuilderEndpoint(URI address, Path tlsDir) {
        this(address, tlsDir, null, null, null);
    }

    /** This address with another keepalive: how soon a builder that stops answering fails the build. */
    public BuilderEndpoint withKeepAlive(java.time.Duration time, java.time.Duration timeout) {
        return new BuilderEndpoint(address, tlsDir, certificate, time, timeout);
    }

    private static java.time.Duration positive(String field, java.time.Duration v, java.time.Duration fallback) {
        if (v == null) {
            return fallback;
        }
        if (v.isNegative() || v.isZero()) {
            throw new InvalidBuildContextException(field, "must be a positive duration, got " + v);
        }
        return v;
    }

    /**
     * Checks a front end's {@code builder} and {@code builderCredentialsId} together: the address must parse, a
     * credential needs a {@code tcp://} address.
     *
     * @param address       the address, or null for the Docker daemon
     * @param credentialsId the client certificate credential's id, or null
     * @throws InvalidBuildContextException naming the option and the fix
     */
    public static void checkOptions(String address, String credentialsId) {
        if (address != null) {
            BuilderEndpoint b = of(address, null);
            if (credentialsId != null && b.isUnixSocket()) {
                throw new InvalidBuildContextException(
                        BuildOption.BUILDER_CREDENTIALS_ID.key(),
                        "a unix:// builder is plain; a client certificate is for a tcp:// builder's mutual TLS");
            }
        } else if (credentialsId != null) {
            throw new InvalidBuildContextException(
                    BuildOption.BUILDER_CREDENTIALS_ID.key(),
                    "needs builder: give the buildkitd's address, e.g. builder: 'tcp://buildkitd:1234'");
        }
    }

    /** This address with the client certificate {@code c} for mutual TLS. */
    public BuilderEndpoint withCertificate(ClientCertificate c) {
        return new BuilderEndpoint(address, null, c, keepAliveTime, keepAliveTimeout);
    }

    /** Parses a user-given address such as {@code unix:///run/buildkit/buildkitd.sock} or {@code tcp://10.0.0.2:1234}. */
    public static BuilderEndpoint of(String address, Path tlsDir) {
        try {
            return new BuilderEndpoint(
                    URI.create(Objects.requireNonNull(address, "address").trim()), tlsDir);
        } catch (IllegalArgumentException e) {
            throw new InvalidBuildContextException(
                    "builder",
                    "'" + address + "' is not a BuildKit address; use"
                            + " unix:///path/to/buildkitd.sock or tcp://host:port");
        }
    }

    /** From {@code BUILDKIT_HOST}, when it is set. */
    public static Optional<BuilderEndpoint> fromEnvironment(Map<String, String> env) {
        String host = env.getOrDefault(ENVIRONMENT_VARIABLE, "");
        return host.isBlank() ? Optional.empty() : Optional.of(of(host, null));
    }

    public boolean isUnixSocket() {
        return "unix".equals(address.getScheme());
    }

    public boolean usesTls() {
        return tlsDir != null || certificate != null;
    }

    /** The socket file of a unix address. */
    public Path socketPath() {
        if (!isUnixSocket()) {
            throw new IllegalStateException(address + " is not a unix socket");
        }
        return Path.of(address.getPath());
    }

    /** True when a unix address's socket file exists (TCP addresses always answer true). */
    public boolean socketExists() {
        return !isUnixSocket() || Files.exists(socketPath());
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
