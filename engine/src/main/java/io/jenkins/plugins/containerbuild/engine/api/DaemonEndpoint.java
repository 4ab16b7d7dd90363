package io.jenkins.plugins.containerbuild.engine.api;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where the Docker daemon listens: a unix socket ({@code unix:///var/run/docker.sock}) or a TCP
 * address ({@code tcp://host:2376}), with the directory holding {@code ca.pem}, {@code cert.pem}
 * and {@code key.pem} when TLS is used.
 *
 * @param host       the daemon's address
 * @param tlsCertDir directory of TLS material, or null for plain connections
 */
public record DaemonEndpoint(URI host, Path tlsCertDir) {
    /** The daemon's default local socket. */
    public static final URI DEFAULT_HOST = URI.create("unix:///var/run/docker.sock");

    public DaemonEndpoint {
        Objects.requireNonNull(host, "host");
        String scheme = host.getScheme();
        if (!"unix".equals(scheme) && !"tcp".equals(scheme)) {
            throw new IllegalArgumentException(
                    "host: '" + host + "' is not a Docker host; use unix:///path/to/docker.sock or tcp://host:port");
        }
    }

    /** Parses a user-given host string such as {@code unix:///run/docker.sock} or {@code tcp://10.0.0.2:2376}. */
    public static DaemonEndpoint of(String host, Path tlsCertDir) {
        URI uri;
        try {
            uri = URI.create(host.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "host: '" + host + "' is not a Docker host; use unix:///path/to/docker.sock or tcp://host:port", e);
        }
        return new DaemonEndpoint(uri, tlsCertDir);
    }

    /** From {@code DOCKER_HOST}, {@code DOCKER_TLS_VERIFY} and {@code DOCKER_CERT_PATH}, as the docker CLI reads them. */
    public static DaemonEndpoint fromEnvironment(Map<String, String> env) {
        String host = env.getOrDefault("DOCKER_HOST", "");
        URI uri = host.isBlank() ? DEFAULT_HOST : URI.create(host.trim());
        Path certs = null;
        String verify = env.getOrDefault("DOCKER_TLS_VERIFY", "");
        if (!verify.isEmpty() && !verify.equals("0")) {
            String certPath = env.getOrDefault("DOCKER_CERT_PATH", "");
            certs = certPath.isEmpty() ? Path.of(System.getProperty("user.home"), ".docker") : Path.of(certPath);
        }
        return new DaemonEndpoint(uri, certs);
    }

    public boolean isUnixSocket() {
        return "unix".equals(host.getScheme());
    }

    public boolean usesTls() {
        return tlsCertDir != null;
    }

    /** The socket file for a unix endpoint. */
    public Path socketPath() {
        if (!isUnixSocket()) {
            throw new IllegalStateException(host + " is not a unix socket");
        }
        return Path.of(host.getPath());
    }

    /** True when a unix endpoint's socket file exists (TCP endpoints always answer true). */
    public boolean socketExists() {
        return !isUnixSocket() || Files.exists(socketPath());
    }

    @Override
    public String toString() {
        return host.toString();
    }
}
