package io.jenkins.plugins.containerbuild.engine.testing;

import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonResponse;
import io.jenkins.plugins.containerbuild.engine.json.Json;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Test access to the local registries (scripts/start-registry.sh), QEMU (scripts/setup-qemu.sh) and the
 * foreign base images (scripts/make-base-images.sh). Tests skip with the reason when one is missing.
 */
public final class Registries {
    /** Registry without auth. */
    public static final String OPEN = "127.0.0.1:5000";
    /** Registry with htpasswd auth. */
    public static final String AUTH = "127.0.0.1:5001";

    public static final String AUTH_USER = "cbuser";
    public static final String AUTH_PASSWORD = "cb-registry-pass";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private Registries() {}

    /** HTTP status of GET /v2/ on the host, 0 when nothing answers. */
    public static int status(String host) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://" + host + "/v2/"))
                                    .timeout(Duration.ofSeconds(3))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    public static void assumeRegistry(String host) {
        int s = status(host);
        Required.that(
                s == 200 || s == 401, "no registry answers on " + host + " (run scripts/start-registry.sh start)");
    }

    /** Skips unless QEMU runs arm64 and arm binaries and the foreign base images exist. */
    public static void assumeQemu() {
        for (String h : List.of("qemu-aarch64", "qemu-arm")) {
            Path p = Path.of("/proc/sys/fs/binfmt_misc", h);
            boolean enabled;
            try {
                enabled = Files.isRegularFile(p) && Files.readString(p).startsWith("enabled");
            } catch (IOException e) {
                enabled = false;
            }
            Required.that(enabled, "QEMU binfmt handler " + h + " is not enabled (run scripts/setup-qemu.sh as root)");
        }
        for (String img : List.of("local/busybox:amd64", "local/busybox:arm64", "local/busybox:armv7")) {
            boolean present;
            try {
                Daemon.inspect(img);
                present = true;
            } catch (RuntimeException e) {
                present = false;
            }
            Required.that(present, "base image " + img + " is missing (run scripts/make-base-images.sh as root)");
        }
    }

    /** GET of a manifest with every manifest type accepted: status, content type and exact bytes. */
    public record Fetched(int status, String contentType, byte[] body) {}

    public static Fetched getManifest(String host, String repo, String reference, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                        URI.create("http://" + host + "/v2/" + repo + "/manifests/" + reference))
                .header(
                        "Accept",
                        String.join(
                                ", ",
                                List.of(
                                        "application/vnd.docker.distribution.manifest.list.v2+json",
                                        "application/vnd.oci.image.index.v1+json",
                                        "application/vnd.docker.distribution.manifest.v2+json",
                                        "application/vnd.oci.image.manifest.v1+json")))
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Fetched(
                    r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET of a blob as text (plain registry, no auth). */
    public static String getBlob(String host, String repo, String digest) {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://" + host + "/v2/" + repo + "/blobs/" + digest))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String basicAuth() {
        return "Basic "
                + java.util.Base64.getEncoder()
                        .encodeToString((AUTH_USER + ":" + AUTH_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code POST /images/create?fromImage=…&tag=…&platform=…}; fails on an error in the stream. */
    public static void pull(String repo, String tag, String platform, String xRegistryAuth) {
        try (DaemonClient c = Daemon.client();
                DaemonResponse r = c.stream(
                        DaemonClient.Method.POST,
                        "/images/create?fromImage=" + repo + "&tag=" + tag + "&platform=" + platform,
                        null,
                        xRegistryAuth == null ? Map.of() : Map.of("X-Registry-Auth", xRegistryAuth))) {
            String out = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
            if (out.contains("\"error\"")) {
                throw new IllegalStateException("pull of " + repo + ":" + tag + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code cmd} in a new container of {@code image} for {@code platform} (as {@code docker run --platform}:
     * the containerd image store keeps every pulled platform under one tag) and returns its stdout; removes the
     * container.
     */
    public static String run(String platform, String image, String... cmd) {
        try (DaemonClient c = Daemon.client()) {
            String body = Json.write(Map.of("Image", image, "Cmd", List.of(cmd)));
            JsonValue created = c.postJson(
                    "/containers/create?platform=" + platform,
                    new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
                    Map.of("Content-Type", "application/json"));
            String id = created.path("Id").asText();
            try {
                c.postJson("/containers/" + id + "/start", null, Map.of());
                c.postJson("/containers/" + id + "/wait", null, Map.of());
                try (DaemonResponse r =
                        c.stream(DaemonClient.Method.GET, "/containers/" + id + "/logs?stdout=1", null, Map.of())) {
                    return demux(r.body());
                }
            } finally {
                c.delete("/containers/" + id + "?force=1");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stdout frames of a multiplexed log stream (8-byte header: stream, 0, 0, 0, uint32 length). */
    private static String demux(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] h = new byte[8];
        while (in.readNBytes(h, 0, 8) == 8) {
            int len = ((h[4] & 0xff) << 24) | ((h[5] & 0xff) << 16) | ((h[6] & 0xff) << 8) | (h[7] & 0xff);
            byte[] frame = in.readNBytes(len);
            if (h[0] == 1) {
                out.write(frame);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
