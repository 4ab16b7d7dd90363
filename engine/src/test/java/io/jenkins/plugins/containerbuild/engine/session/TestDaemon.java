package io.jenkins.plugins.containerbuild.engine.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonEndpoint;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Assumptions;

/**
 * TEST-ONLY: a minimal BuildKit build request ({@code POST /build?version=2&session=…}) and image export over
 * docker-java's HTTP client, until the engine's own backend is merged. Not a backend.
 */
final class TestDaemon implements AutoCloseable {
    static final DaemonEndpoint ENDPOINT = DaemonEndpoint.of("unix:///var/run/docker.sock", null);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DockerHttpClient http;

    /** The outcome of one build: whether the stream ended with errorDetail, its message, the image id. */
    record Outcome(boolean failed, String error, String imageId, List<String> lines) {
    }

    private TestDaemon() {
        http = new ApacheDockerHttpClient.Builder().dockerHost(ENDPOINT.host())
                .connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofMinutes(3)).build();
    }

    /** Connects to the local daemon, or skips the test with the reason. */
    static TestDaemon connectOrSkip() {
        Assumptions.assumeTrue(ENDPOINT.socketExists(), "no Docker daemon socket at " + ENDPOINT
                + " (run scripts/start-dockerd.sh as root)");
        TestDaemon d = new TestDaemon();
        try (DockerHttpClient.Response r = d.http.execute(DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET).path("/_ping").build())) {
            Assumptions.assumeTrue(r.getStatusCode() == 200, "Docker daemon at " + ENDPOINT + " answered /_ping with "
                    + r.getStatusCode());
        } catch (RuntimeException e) {
            d.close();
            Assumptions.abort("no Docker daemon answers at " + ENDPOINT + ": " + e);
        }
        try (DockerHttpClient.Response r = d.http.execute(DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET).path("/v1.41/images/local/busybox:latest/json").build())) {
            Assumptions.assumeTrue(r.getStatusCode() == 200,
                    "base image local/busybox:latest is missing (run scripts/make-base-images.sh)");
        }
        return d;
    }

    /** A context tar of the given files (name → content). */
    static byte[] contextTar(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(f.getValue().length);
                e.setMode(f.getKey().endsWith(".sh") || f.getKey().startsWith("bin/") ? 0755 : 0644);
                tar.putArchiveEntry(e);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    static Map<String, byte[]> files(String dockerfile) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("Dockerfile", dockerfile.getBytes(StandardCharsets.UTF_8));
        return m;
    }

    /** Sends the build and reads its JSON-lines answer to the end. */
    Outcome build(String sessionId, String tag, Map<String, byte[]> files, boolean noCache) throws IOException {
        StringBuilder q = new StringBuilder("/v1.41/build?version=2&dockerfile=Dockerfile&buildid=")
                .append(UUID.randomUUID());
        if (sessionId != null) {
            q.append("&session=").append(sessionId);
        }
        if (tag != null) {
            q.append("&t=").append(URLEncoder.encode(tag, StandardCharsets.UTF_8));
        }
        if (noCache) {
            q.append("&nocache=1");
        }
        byte[] tar = contextTar(files);
        DockerHttpClient.Request req = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST).path(q.toString())
                .headers(Map.of("Content-Type", "application/x-tar"))
                .body(new ByteArrayInputStream(tar)).build();
        List<String> lines = new ArrayList<>();
        String error = null;
        String imageId = null;
        try (DockerHttpClient.Response r = http.execute(req)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(r.getBody(), StandardCharsets.UTF_8));
            if (r.getStatusCode() != 200) {
                StringBuilder body = new StringBuilder();
                for (String l; (l = in.readLine()) != null; ) {
                    body.append(l);
                }
                return new Outcome(true, "HTTP " + r.getStatusCode() + " " + body, null, lines);
            }
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                lines.add(line);
                JsonNode n = JSON.readTree(line);
                if (n.has("errorDetail")) {
                    error = n.path("errorDetail").path("message").asText(n.path("error").asText());
                }
                if ("moby.image.id".equals(n.path("id").asText())) {
                    imageId = n.path("aux").path("ID").asText();
                }
            }
        }
        return new Outcome(error != null, error, imageId, lines);
    }

    /** Every log message of the build's trace (decoded loosely: the protobuf's bytes as text). */
    static String traceText(Outcome o) {
        StringBuilder sb = new StringBuilder();
        for (String line : o.lines()) {
            try {
                JsonNode n = JSON.readTree(line);
                if ("moby.buildkit.trace".equals(n.path("id").asText())) {
                    sb.append(new String(java.util.Base64.getDecoder().decode(n.path("aux").asText()),
                            StandardCharsets.ISO_8859_1)).append('\n');
                } else {
                    sb.append(line).append('\n');
                }
            } catch (IOException e) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    /** GET a JSON document from the daemon as raw bytes. */
    byte[] get(String path) throws IOException {
        try (DockerHttpClient.Response r = http.execute(DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET).path(path).build())) {
            byte[] body = r.getBody().readAllBytes();
            if (r.getStatusCode() != 200) {
                throw new IOException("GET " + path + ": HTTP " + r.getStatusCode() + " "
                        + new String(body, StandardCharsets.UTF_8));
            }
            return body;
        }
    }

    /**
     * Exports an image ({@code GET /images/{name}/get}) and calls {@code visitor} with (path, bytes) for every
     * entry of the outer tar and, for every tar inside it (the layers), every entry inside that.
     */
    void walkImage(String name, BiConsumer<String, byte[]> visitor) throws IOException {
        try (DockerHttpClient.Response r = http.execute(DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET)
                .path("/v1.41/images/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/get").build())) {
            if (r.getStatusCode() != 200) {
                throw new IOException("export of " + name + ": HTTP " + r.getStatusCode());
            }
            walkTar("", r.getBody(), visitor);
        }
    }

    private static void walkTar(String prefix, InputStream in, BiConsumer<String, byte[]> visitor) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
            byte[] content = e.isFile() ? tar.readAllBytes() : new byte[0];
            String path = prefix + e.getName();
            visitor.accept(path, content);
            if (e.isFile() && looksLikeTar(content)) {
                walkTar(path + "!/", new ByteArrayInputStream(content), visitor);
            }
        }
    }

    private static boolean looksLikeTar(byte[] b) {
        return b.length >= 512 && new String(b, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    }

    void removeImage(String name) {
        try (DockerHttpClient.Response r = http.execute(DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.DELETE)
                .path("/v1.41/images/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "?force=1").build())) {
            r.getBody().readAllBytes();
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }

    @Override
    public void close() {
        try {
            http.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
