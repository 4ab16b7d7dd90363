package io.jenkins.plugins.containerbuild.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.containerbuild.engine.api.ManifestFormat;
import io.jenkins.plugins.containerbuild.engine.api.Platform;
import io.jenkins.plugins.containerbuild.engine.api.RegistryCredentials;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry client against an in-process fake registry with a token service. */
class RegistryClientTest {
    private static final String USER = "robot";
    private static final String PASSWORD = "s3cr3t-Pa55";
    private static final byte[] LIST = ManifestLists.encode(
            ManifestFormat.DOCKER,
            List.of(new ManifestLists.Entry(
                    Platform.LINUX_ARM64,
                    new Descriptor(
                            "application/vnd.docker.distribution.manifest.v2+json", "sha256:" + "a".repeat(64), 527))));

    private HttpServer server;
    private String host;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> stored = new ConcurrentHashMap<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger manifestRequests = new AtomicInteger();
    private volatile String mode = "open";
    private volatile String digestOverride;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        host = "127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/token", this::token);
        server.createContext("/v2/", this::registry);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static String basic(String user, String pw) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pw).getBytes(StandardCharsets.UTF_8));
    }

    private void token(HttpExchange x) throws IOException {
        String auth = x.getRequestHeaders().getFirst("Authorization");
        String q = x.getRequestURI().getRawQuery();
        if (!basic(USER, PASSWORD).equals(auth)
                || !q.contains("scope=repository%3Ateam%2Fapp%3Apull%2Cpush")
                || !q.contains("service=fake")) {
            reply(x, 401, new byte[0], Map.of());
            return;
        }
        reply(x, 200, "{\"token\":\"tok-123\"}".getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private void registry(HttpExchange x) throws IOException {
        manifestRequests.incrementAndGet();
        String auth = x.getRequestHeaders().getFirst("Authorization");
        authorizations.add(String.valueOf(auth));
        if (failuresLeft.getAndDecrement() > 0) {
            reply(x, 503, "busy".getBytes(StandardCharsets.UTF_8), Map.of());
            return;
        }
        boolean ok = switch (mode) {
            case "bearer" -> "Bearer tok-123".equals(auth);
            case "basic" -> basic(USER, PASSWORD).equals(auth);
            default -> true;
        };
        if (!ok) {
            String challenge = mode.equals("bearer")
                    ? "Bearer realm=\"http://" + host
                            + "/token\",service=\"fake\",scope=\"repository:team/app:pull,push\""
                    : "Basic realm=\"fake\"";
            reply(
                    x,
                    401,
                    "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes(StandardCharsets.UTF_8),
                    Map.of("WWW-Authenticate", challenge));
            return;
        }
        String path = x.getRequestURI().getPath();
        if (x.getRequestMethod().equals("PUT")) {
            byte[] body = x.getRequestBody().readAllBytes();
            stored.put(path, body);
            String digest = digestOverride != null ? digestOverride : ManifestLists.digest(body);
            reply(x, 201, new byte[0], Map.of("Docker-Content-Digest", digest));
        } else {
            byte[] body = stored.get(path);
            if (body == null) {
                reply(
                        x,
                        404,
                        "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}".getBytes(StandardCharsets.UTF_8),
                        Map.of());
                return;
            }
            Map<String, String> h = Map.of(
                    "Content-Type",
                    ManifestFormat.DOCKER.mediaType(),
                    "Docker-Content-Digest",
                    ManifestLists.digest(body));
            if (x.getRequestMethod().equals("HEAD")) {
                h.forEach((k, v) -> x.getResponseHeaders().add(k, v));
                x.getResponseHeaders().add("Content-Length", String.valueOf(body.length));
                x.sendResponseHeaders(200, -1);
                x.close();
                return;
            }
            reply(x, 200, body, h);
        }
    }

    private static void reply(HttpExchange x, int status, byte[] body, Map<String, String> headers) throws IOException {
        headers.forEach((k, v) -> x.getResponseHeaders().add(k, v));
        boolean head = x.getRequestMethod().equals("HEAD");
        x.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            x.getResponseBody().write(body);
        }
        x.close();
    }

    private RegistryClient client(Optional<RegistryCredentials> creds) {
        return RegistryClient.builder()
                .backoff(Duration.ofMillis(1))
                .maxAttempts(3)
                .requestTimeout(Duration.ofSeconds(5))
                .credentials(h -> h.equals(host) ? creds : Optional.empty())
                .build();
    }

    private Optional<RegistryCredentials> credsFor(String pw) {
        return Optional.of(
                new RegistryCredentials(host, USER, SecretSource.ofBytes(pw.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void putReturnsTheSha256OfTheBytesSentAndStoresThemUnchanged() {
        ImageName ref = ImageName.parse(host + "/team/app:1");
        String digest = client(Optional.empty()).putManifest(ref, ManifestFormat.DOCKER.mediaType(), LIST);
        assertThat(digest).isEqualTo(ManifestLists.digest(LIST));
        assertThat(stored.get("/v2/team/app/manifests/1")).isEqualTo(LIST);
        RegistryClient.Manifest got = client(Optional.empty()).getManifest(ref, "1");
        assertThat(got.body()).isEqualTo(LIST);
        assertThat(got.descriptor().digest()).isEqualTo(digest);
        Descriptor head = client(Optional.empty()).headManifest(ref, "1");
        assertThat(head.mediaType()).isEqualTo(ManifestFormat.DOCKER.mediaType());
        assertThat(head.digest()).isEqualTo(digest);
    }

    @Test
    void bearerChallengeIsAnsweredWithATokenFetchedWithTheCredentials() {
        mode = "bearer";
        RegistryClient c = client(credsFor(PASSWORD));
        ImageName ref = ImageName.parse(host + "/team/app:1");
        c.putManifest(ref, ManifestFormat.DOCKER.mediaType(), LIST);
        assertThat(authorizations).containsExactly("null", "Bearer tok-123");
        // The token is reused: no second challenge.
        c.getManifest(ref, "1");
        assertThat(authorizations).hasSize(3).last().isEqualTo("Bearer tok-123");
    }

    @Test
    void basicChallengeIsAnsweredWithBasicAuth() {
        mode = "basic";
        client(credsFor(PASSWORD))
                .putManifest(ImageName.parse(host + "/team/app:1"), ManifestFormat.DOCKER.mediaType(), LIST);
        assertThat(authorizations).containsExactly("null", basic(USER, PASSWORD));
    }

    @Test
    void wrongCredentialsNameTheRegistryButNotTheSecret() {
        for (String m : List.of("basic", "bearer")) {
            mode = m;
            assertThatThrownBy(() -> client(credsFor("nope-wrong-pw"))
                            .putManifest(
                                    ImageName.parse(host + "/team/app:1"), ManifestFormat.DOCKER.mediaType(), LIST))
                    .as(m)
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.registry()).isEqualTo(host);
                        assertThat(e.getMessage())
                                .contains("registry " + host)
                                .contains("refused the credentials")
                                .contains("check registryAuth for " + host)
                                .doesNotContain("nope-wrong-pw")
                                .doesNotContain(basic(USER, "nope-wrong-pw").substring(6));
                    });
        }
    }

    @Test
    void missingCredentialsSayWhichRegistryNeedsThem() {
        mode = "basic";
        assertThatThrownBy(() -> client(Optional.empty())
                        .putManifest(ImageName.parse(host + "/team/app:1"), ManifestFormat.DOCKER.mediaType(), LIST))
                .hasMessageContaining("registry " + host + " needs credentials")
                .hasMessageContaining("give registryAuth for " + host);
    }

    @Test
    void serverErrorsAreRetriedWithBackoffUpToTheLimit() {
        failuresLeft.set(2);
        ImageName ref = ImageName.parse(host + "/team/app:1");
        assertThat(client(Optional.empty()).putManifest(ref, ManifestFormat.DOCKER.mediaType(), LIST))
                .isEqualTo(ManifestLists.digest(LIST));
        assertThat(manifestRequests.get()).isEqualTo(3);

        manifestRequests.set(0);
        failuresLeft.set(5);
        assertThatThrownBy(() -> client(Optional.empty()).putManifest(ref, ManifestFormat.DOCKER.mediaType(), LIST))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.status()).isEqualTo(503))
                .hasMessageContaining("registry " + host + " answered HTTP 503");
        assertThat(manifestRequests.get()).isEqualTo(3);
    }

    @Test
    void aDigestOtherThanTheBytesSentIsAnError() {
        digestOverride = "sha256:" + "0".repeat(64);
        assertThatThrownBy(() -> client(Optional.empty())
                        .putManifest(ImageName.parse(host + "/team/app:1"), ManifestFormat.DOCKER.mediaType(), LIST))
                .hasMessageContaining("the bytes sent have digest " + ManifestLists.digest(LIST));
    }

    @Test
    void anUnreachableRegistryIsNamedAfterTheRetries() {
        server.stop(0);
        assertThatThrownBy(() -> client(Optional.empty())
                        .putManifest(ImageName.parse(host + "/team/app:1"), ManifestFormat.DOCKER.mediaType(), LIST))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("registry " + host + " could not be reached")
                .hasMessageContaining("after 3 attempts");
    }

    @Test
    void imageNamesSplitLikeDocker() {
        assertThat(ImageName.parse("app")).isEqualTo(new ImageName("docker.io", "library/app", "latest"));
        assertThat(ImageName.parse("team/app:1").apiHost()).isEqualTo("registry-1.docker.io");
        assertThat(ImageName.parse("localhost/app:2")).isEqualTo(new ImageName("localhost", "app", "2"));
        ImageName n = ImageName.parse("127.0.0.1:5000/a/b:c");
        assertThat(n).isEqualTo(new ImageName("127.0.0.1:5000", "a/b", "c"));
        assertThat(n.isLoopback()).isTrue();
        assertThat(ImageName.parse("registry.example.com:443/a").isLoopback()).isFalse();
        assertThat(ImageName.parse("[::1]:5000/a").isLoopback()).isTrue();
    }
}
