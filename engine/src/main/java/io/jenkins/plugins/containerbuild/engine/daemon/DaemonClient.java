package io.jenkins.plugins.containerbuild.engine.daemon;

import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.DaemonUnreachableException;
import io.jenkins.plugins.containerbuild.engine.json.Json;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * The engine's only door to the Docker Engine API: raw HTTP requests over docker-java's
 * transport, with JSON kept inside this package's callers. Every request has a connect and a
 * read-idle timeout.
 */
public final class DaemonClient implements AutoCloseable {
    /** The API version every request is pinned to (dockerd 20.10). */
    public static final String API_VERSION = "v1.41";

    private final DaemonEndpoint endpoint;
    private final DockerHttpClient http;
    private final int maxConnections;

    public DaemonClient(
            DaemonEndpoint endpoint, Duration connectTimeout, Duration readIdleTimeout, int maxConnections) {
        this.endpoint = endpoint;
        this.maxConnections = maxConnections;
        ApacheDockerHttpClient.Builder b = new ApacheDockerHttpClient.Builder()
                .dockerHost(endpoint.host())
                .maxConnections(maxConnections)
                .connectionTimeout(connectTimeout)
                .responseTimeout(readIdleTimeout);
        if (endpoint.usesTls()) {
            // the same material and checks as a BuildKit session over TLS (DaemonTls): read once, here
            SSLContext tls;
            try {
                tls = DaemonTls.sslContext(endpoint.tlsCertDir());
            } catch (IOException e) {
                throw new DaemonUnreachableException(endpoint.toString(), e.getMessage(), e);
            }
            b.sslConfig(() -> tls);
        }
        this.http = b.build();
    }

    public DaemonEndpoint endpoint() {
        return endpoint;
    }

    /** {@code GET /_ping}: proves the daemon answers and tells which builder it prefers. */
    public PingInfo ping() {
        try (DockerHttpClient.Response r = execute(DockerHttpClient.Request.Method.GET, "/_ping", null, Map.of())) {
            if (r.getStatusCode() != 200) {
                // A TLS daemon answers a plain HTTP request with 400 "Client sent an HTTP request to an HTTPS server".
                String hint =
                        r.getStatusCode() == 400 && !endpoint.isUnixSocket() && !endpoint.usesTls() ? TLS_HINT : "";
                throw new DaemonUnreachableException(
                        endpoint.toString(), "/_ping answered HTTP " + r.getStatusCode() + hint, null);
            }
            return new PingInfo(
                    r.getHeader("Api-Version"),
                    r.getHeader("Builder-Version"),
                    r.getHeader("Libpod-Api-Version"),
                    r.getHeader("OSType"));
        }
    }

    /** What the daemon is: {@code /_ping}, {@code /version} and {@code /info} (the last two may be refused). */
    public DaemonProfile profile() {
        PingInfo ping = ping();
        return DaemonProfile.of(ping, getJsonOrNull("/version"), getJsonOrNull("/info"));
    }

    private JsonValue getJsonOrNull(String path) {
        try {
            return getJson(path);
        } catch (DaemonApiException e) {
            return null;
        }
    }

    /** A GET whose JSON answer is returned as a tree; non-2xx raises {@link DaemonApiException}. */
    public JsonValue getJson(String path) {
        return sendJson(DockerHttpClient.Request.Method.GET, path, null, Map.of());
    }

    /** A POST with an optional body whose JSON answer (or null for an empty one) is returned. */
    public JsonValue postJson(String path, InputStream body, Map<String, String> headers) {
        return sendJson(DockerHttpClient.Request.Method.POST, path, body, headers);
    }

    /** A DELETE whose JSON answer is returned. */
    public JsonValue delete(String path) {
        return sendJson(DockerHttpClient.Request.Method.DELETE, path, null, Map.of());
    }

    private JsonValue sendJson(
            DockerHttpClient.Request.Method method, String path, InputStream body, Map<String, String> headers) {
        try (DockerHttpClient.Response r = execute(method, path, body, headers)) {
            byte[] bytes = r.getBody() == null ? new byte[0] : r.getBody().readAllBytes();
            if (r.getStatusCode() / 100 != 2) {
                throw DaemonApiException.of(method + " " + path, r.getStatusCode(), bytes);
            }
            return bytes.length == 0 ? null : Json.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /**
     * Opens a streaming request. The caller reads and closes the response; a non-2xx status is
     * raised as {@link DaemonApiException} after reading the error body.
     */
    public DaemonResponse stream(Method method, String path, InputStream body, Map<String, String> headers) {
        DockerHttpClient.Response r = execute(method.http, path, body, headers);
        if (r.getStatusCode() / 100 != 2) {
            try (r) {
                byte[] bytes = r.getBody() == null ? new byte[0] : r.getBody().readAllBytes();
                throw DaemonApiException.of(method + " " + path, r.getStatusCode(), bytes);
            } catch (IOException e) {
                throw unreachable(e);
            }
        }
        return new DaemonResponse(r);
    }

    /** The HTTP methods the engine uses. */
    public enum Method {
        GET(DockerHttpClient.Request.Method.GET),
        POST(DockerHttpClient.Request.Method.POST),
        DELETE(DockerHttpClient.Request.Method.DELETE);

        private final DockerHttpClient.Request.Method http;

        Method(DockerHttpClient.Request.Method http) {
            this.http = http;
        }
    }

    private DockerHttpClient.Request.Builder request(DockerHttpClient.Request.Method method, String path) {
        return DockerHttpClient.Request.builder().method(method).path("/" + API_VERSION + path);
    }

    /**
     * Sends a request. A pooled connection may have died since its last use (the daemon restarted; docker-java never
     * validates pooled connections), which shows as a reset, a broken pipe or no answer at all: while none of the
     * body was read, the request goes again on another connection, at most once per connection the pool may hold.
     */
    private DockerHttpClient.Response execute(
            DockerHttpClient.Request.Method method, String path, InputStream body, Map<String, String> headers) {
        ReadCounter counted = body == null ? null : new ReadCounter(body);
        for (int attempt = 0; ; attempt++) {
            DockerHttpClient.Request.Builder rb = request(method, path);
            headers.forEach(rb::putHeader);
            if (counted != null) {
                rb.body(counted);
            }
            IOException failure;
            try {
                return http.execute(rb.build());
            } catch (UncheckedIOException e) {
                failure = e.getCause();
            } catch (RuntimeException e) {
                if (!(e.getCause() instanceof IOException io)) {
                    throw e;
                }
                failure = io;
            }
            boolean unsent = counted == null || counted.read == 0;
            if (!unsent || !deadConnection(failure) || attempt >= maxConnections) {
                throw unreachable(failure);
            }
        }
    }

    /** What a pooled connection whose daemon went away looks like when it is used again. */
    static boolean deadConnection(IOException e) {
        if (e instanceof org.apache.hc.core5.http.NoHttpResponseException) {
            return true;
        }
        String m = String.valueOf(e.getMessage());
        // A unix socket's channel says so in a plain IOException, a TCP socket in a SocketException.
        return m.contains("Broken pipe") || m.contains("Connection reset");
    }

    /** Counts what was read of a request body, so that a request none of whose body was sent can go again. */
    private static final class ReadCounter extends java.io.FilterInputStream {
        private long read;

        ReadCounter(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            read += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            read += Math.max(n, 0);
            return n;
        }
    }

    private static final String TLS_HINT = " (if the daemon uses TLS, give the directory of ca.pem, cert.pem and"
            + " key.pem: DOCKER_CERT_PATH with DOCKER_TLS_VERIFY=1, or the TLS certificate directory option)";

    /** Maps an I/O failure to an error that names the daemon's address. */
    public DaemonUnreachableException unreachable(IOException e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (endpoint.isUnixSocket() && !endpoint.socketExists()) {
            detail = "socket " + endpoint.socketPath() + " does not exist (is dockerd running?)";
        } else if (!endpoint.isUnixSocket()) {
            detail += tcpHint(e);
        }
        return new DaemonUnreachableException(endpoint.toString(), detail, e);
    }

    /**
     * A TCP daemon with {@code --tlsverify} that rejects our client certificate (TLS 1.3: after the handshake,
     * so the client sees a reset or broken pipe), or that is spoken to without TLS, only resets the connection.
     */
    private String tcpHint(IOException e) {
        boolean ssl = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            ssl |= t instanceof javax.net.ssl.SSLException;
        }
        String m = String.valueOf(e.getMessage());
        boolean reset = m.contains("Connection reset") || m.contains("Broken pipe") || m.contains("closed");
        if (endpoint.usesTls() && (ssl || reset)) {
            return " (the TLS handshake failed: check that the daemon trusts the client certificate in "
                    + endpoint.tlsCertDir() + " and that its ca.pem signed the daemon's certificate)";
        }
        if (!endpoint.usesTls() && (ssl || reset)) {
            return TLS_HINT;
        }
        return "";
    }

    /**
     * The connection broke while a build was streaming: most often dockerd was killed, stopped or restarted.
     *
     * @param during what the daemon was doing, e.g. {@code step '[2/3] RUN make'}
     * @param what   what to call the daemon, e.g. {@code the Podman service at unix:///run/podman/podman.sock}
     */
    public DaemonUnreachableException lostDuringBuild(IOException e, String during, String what) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return DaemonUnreachableException.wentAway(
                what, endpoint.toString(), during, "the connection broke: " + detail, e);
    }

    @Override
    public void close() {
        try {
            http.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    /** What {@code /_ping} said. Header values may be null. */
    public record PingInfo(String apiVersion, String builderVersion, String libpodApiVersion, String osType) {
        /** True when the answer comes from Podman's service ({@code Libpod-Api-Version} is set). */
        public boolean isPodman() {
            return libpodApiVersion != null && !libpodApiVersion.isBlank();
        }

        /** True for API 1.39 and later, where the daemon's built-in BuildKit is usable. */
        public boolean supportsBuildKit() {
            if (apiVersion == null) {
                return false;
            }
            List<String> parts = List.of(apiVersion.split("\\."));
            try {
                int major = Integer.parseInt(parts.get(0));
                int minor = parts.size() > 1 ? Integer.parseInt(parts.get(1)) : 0;
                return major > 1 || (major == 1 && minor >= 39);
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }
}
