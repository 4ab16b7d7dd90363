package io.jenkins.plugins.containerbuild.engine.registry;

import io.jenkins.plugins.containerbuild.engine.api.RegistryCredentials;
import io.jenkins.plugins.containerbuild.engine.json.Json;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small client of the registry HTTP API (distribution v2), for what the daemon cannot do: write a
 * manifest list. Plain JDK {@link HttpClient}; answers a 401 challenge with basic auth or a bearer token
 * (WWW-Authenticate → token endpoint); retries connection failures and 5xx answers with exponential
 * backoff; every request has a timeout. Loopback registries (127.0.0.0/8, localhost, ::1) are spoken to
 * over plain HTTP, as the daemon does by default; all others over HTTPS. Credentials are read from their
 * {@link io.jenkins.plugins.containerbuild.engine.api.SecretSource} per challenge and appear in no message.
 */
public final class RegistryClient {
    /** The media types a manifest HEAD/GET accepts. */
    public static final List<String> MANIFEST_TYPES = List.of(
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json");

    private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final HttpClient http;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final Duration backoff;
    private final Function<String, Optional<RegistryCredentials>> credentials;
    private final Function<String, Boolean> plainHttp;
    /** Authorization header value per host and scope, learned from a challenge. */
    private final Map<String, String> authorizations = new ConcurrentHashMap<>();

    private RegistryClient(Builder b) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.requestTimeout = b.requestTimeout;
        this.maxAttempts = b.maxAttempts;
        this.backoff = b.backoff;
        this.credentials = b.credentials;
        this.plainHttp = b.plainHttp;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A manifest response: its media type, digest, and body (empty for HEAD). */
    public record Manifest(Descriptor descriptor, byte[] body) {}

    /** {@code HEAD /v2/<repo>/manifests/<reference>}: what the registry holds under a tag or digest. */
    public Descriptor headManifest(ImageName repo, String reference) {
        Response r = send(
                repo,
                "HEAD",
                manifestPath(repo, reference),
                null,
                null,
                "read the manifest of " + repo.name() + ":" + reference);
        expect(r, repo, 200, "read the manifest of " + repo.name() + ":" + reference);
        return new Descriptor(
                r.header("Content-Type").orElse(""),
                r.header("Docker-Content-Digest").orElse(""),
                r.header("Content-Length").map(Long::parseLong).orElse(-1L));
    }

    /** {@code GET /v2/<repo>/manifests/<reference>} with every known manifest type accepted. */
    public Manifest getManifest(ImageName repo, String reference) {
        Response r = send(
                repo,
                "GET",
                manifestPath(repo, reference),
                null,
                null,
                "get the manifest of " + repo.name() + ":" + reference);
        expect(r, repo, 200, "get the manifest of " + repo.name() + ":" + reference);
        return new Manifest(
                new Descriptor(
                        r.header("Content-Type").orElse(""),
                        r.header("Docker-Content-Digest").orElse(ManifestLists.digest(r.body)),
                        r.body.length),
                r.body);
    }

    /**
     * {@code PUT /v2/<repo>/manifests/<tag>}; returns the digest, checked to be the sha256 of the bytes
     * sent.
     */
    public String putManifest(ImageName ref, String mediaType, byte[] body) {
        String what = "write the manifest list " + ref;
        Response r = send(ref, "PUT", manifestPath(ref, ref.tag()), mediaType, body, what);
        expect(r, ref, 201, what);
        String expected = ManifestLists.digest(body);
        String got = r.header("Docker-Content-Digest").orElse(expected);
        if (!got.equals(expected)) {
            throw new RegistryException(
                    ref.host(),
                    r.status,
                    "registry " + ref.host() + " stored " + ref + " under digest " + got
                            + " but the bytes sent have digest " + expected,
                    null);
        }
        return expected;
    }

    private static String manifestPath(ImageName repo, String reference) {
        return "/v2/" + repo.repository() + "/manifests/" + reference;
    }

    private void expect(Response r, ImageName ref, int status, String what) {
        if (r.status == status) {
            return;
        }
        String body = new String(r.body, 0, Math.min(r.body.length, 500), StandardCharsets.UTF_8).strip();
        String hint = switch (r.status) {
            case 404 -> " (not found: check the repository name and that the images were pushed)";
            case 400 -> " (the registry refused the document)";
            default -> "";
        };
        throw new RegistryException(
                ref.host(),
                r.status,
                "registry " + ref.host() + " answered HTTP " + r.status + " to " + what + hint
                        + (body.isEmpty() ? "" : ": " + body),
                null);
    }

    private URI uri(ImageName ref, String path) {
        String scheme = plainHttp.apply(ref.host()) ? "http" : "https";
        return URI.create(scheme + "://" + ref.apiHost() + path);
    }

    private record Response(int status, Map<String, List<String>> headers, byte[] body) {
        Optional<String> header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return Optional.of(e.getValue().get(0));
                }
            }
            return Optional.empty();
        }

        List<String> all(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return List.of();
        }
    }

    private Response send(ImageName ref, String method, String path, String contentType, byte[] body, String what) {
        String scopeKey = ref.host() + " " + ref.repository();
        boolean authenticated = false;
        int attempt = 0;
        while (true) {
            attempt++;
            HttpRequest.Builder rb = HttpRequest.newBuilder(uri(ref, path))
                    .timeout(requestTimeout)
                    .header("Accept", String.join(", ", MANIFEST_TYPES));
            if (contentType != null) {
                rb.header("Content-Type", contentType);
            }
            rb.method(
                    method,
                    body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            String auth = authorizations.get(scopeKey);
            if (auth != null) {
                rb.header("Authorization", auth);
            }
            Response r;
            try {
                HttpResponse<byte[]> hr = http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
                r = new Response(hr.statusCode(), hr.headers().map(), hr.body() == null ? new byte[0] : hr.body());
            } catch (IOException e) {
                if (attempt < maxAttempts) {
                    sleep(attempt);
                    continue;
                }
                throw new RegistryException(
                        ref.host(),
                        0,
                        "registry " + ref.host() + " could not be reached to " + what + " after " + attempt
                                + " attempts: " + describe(e),
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException(ref.host(), 0, "interrupted while trying to " + what, e);
            }
            if (r.status == 401) {
                if (authenticated) {
                    authorizations.remove(scopeKey);
                    throw new RegistryException(
                            ref.host(),
                            401,
                            "registry " + ref.host() + " refused the credentials"
                                    + " given for it (HTTP 401) when trying to " + what + "; check registryAuth for "
                                    + ref.host(),
                            null);
                }
                authorizations.put(scopeKey, authorize(ref, r.all("WWW-Authenticate"), what));
                authenticated = true;
                attempt--; // the challenge round trip is not a failed attempt
                continue;
            }
            if (r.status >= 500 && attempt < maxAttempts) {
                sleep(attempt);
                continue;
            }
            return r;
        }
    }

    /** Answers a challenge: the Authorization header value to send next. */
    private String authorize(ImageName ref, List<String> challenges, String what) {
        Optional<RegistryCredentials> creds = credentials.apply(ref.host());
        for (String c : challenges) {
            String scheme = c.trim().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
            if (scheme.equals("bearer")) {
                return "Bearer " + fetchToken(ref, params(c), creds, what);
            }
        }
        for (String c : challenges) {
            if (c.trim().toLowerCase(Locale.ROOT).startsWith("basic")) {
                if (creds.isEmpty()) {
                    throw noCredentials(ref, what);
                }
                return "Basic " + basic(creds.get(), ref);
            }
        }
        throw new RegistryException(
                ref.host(),
                401,
                "registry " + ref.host() + " asks for authentication ("
                        + (challenges.isEmpty() ? "no WWW-Authenticate header" : "unsupported scheme") + ") to " + what,
                null);
    }

    private static RegistryException noCredentials(ImageName ref, String what) {
        return new RegistryException(
                ref.host(),
                401,
                "registry " + ref.host() + " needs credentials to " + what + "; give registryAuth for " + ref.host(),
                null);
    }

    private static Map<String, String> params(String challenge) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher x = CHALLENGE_PARAM.matcher(challenge);
        while (x.find()) {
            m.put(x.group(1).toLowerCase(Locale.ROOT), x.group(2));
        }
        return m;
    }

    private String fetchToken(ImageName ref, Map<String, String> p, Optional<RegistryCredentials> creds, String what) {
        String realm = p.get("realm");
        if (realm == null || realm.isBlank()) {
            throw new RegistryException(
                    ref.host(),
                    401,
                    "registry " + ref.host() + " sent a bearer challenge without" + " a realm when trying to " + what,
                    null);
        }
        StringBuilder q = new StringBuilder();
        if (p.containsKey("service")) {
            q.append("service=").append(URLEncoder.encode(p.get("service"), StandardCharsets.UTF_8));
        }
        String scope = p.getOrDefault("scope", "repository:" + ref.repository() + ":pull,push");
        q.append(q.length() == 0 ? "" : "&").append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        URI tokenUri = URI.create(realm + (realm.contains("?") ? "&" : "?") + q);
        int attempt = 0;
        while (true) {
            attempt++;
            HttpRequest.Builder rb =
                    HttpRequest.newBuilder(tokenUri).timeout(requestTimeout).GET();
            creds.ifPresent(c -> rb.header("Authorization", "Basic " + basic(c, ref)));
            try {
                HttpResponse<byte[]> hr = http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
                int s = hr.statusCode();
                if (s >= 500 && attempt < maxAttempts) {
                    sleep(attempt);
                    continue;
                }
                if (s == 401 || s == 403) {
                    throw creds.isEmpty()
                            ? noCredentials(ref, what)
                            : new RegistryException(
                                    ref.host(),
                                    s,
                                    "the token service of registry " + ref.host()
                                            + " refused the credentials given for it (HTTP " + s + ") when trying to "
                                            + what
                                            + "; check registryAuth for " + ref.host(),
                                    null);
                }
                if (s != 200) {
                    throw new RegistryException(
                            ref.host(),
                            s,
                            "the token service of registry " + ref.host() + " answered HTTP " + s + " when trying to "
                                    + what,
                            null);
                }
                JsonValue n = Json.parse(new String(hr.body(), StandardCharsets.UTF_8));
                String token = n.path("token").asText(n.path("access_token").asText(""));
                if (token.isEmpty()) {
                    throw new RegistryException(
                            ref.host(),
                            s,
                            "the token service of registry " + ref.host() + " answered without a token",
                            null);
                }
                return token;
            } catch (IOException e) {
                if (attempt < maxAttempts) {
                    sleep(attempt);
                    continue;
                }
                throw new RegistryException(
                        ref.host(),
                        0,
                        "the token service of registry " + ref.host() + " could not be reached: " + describe(e),
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException(ref.host(), 0, "interrupted while trying to " + what, e);
            }
        }
    }

    private static String basic(RegistryCredentials c, ImageName ref) {
        byte[] pw;
        try {
            pw = c.password().read();
        } catch (IOException e) {
            throw new RegistryException(
                    ref.host(),
                    0,
                    "cannot read the registry password for " + ref.host() + " ("
                            + c.password().describe() + "): " + e.getMessage(),
                    null);
        }
        byte[] user = (c.username() + ":").getBytes(StandardCharsets.UTF_8);
        byte[] both = Arrays.copyOf(user, user.length + pw.length);
        System.arraycopy(pw, 0, both, user.length, pw.length);
        try {
            return Base64.getEncoder().encodeToString(both);
        } finally {
            Arrays.fill(pw, (byte) 0);
            Arrays.fill(both, (byte) 0);
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " " + m);
    }

    private void sleep(int attempt) {
        try {
            Thread.sleep(backoff.toMillis() * (1L << Math.min(attempt - 1, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Builder for {@link RegistryClient}. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private int maxAttempts = 4;
        private Duration backoff = Duration.ofMillis(250);
        private Function<String, Optional<RegistryCredentials>> credentials = h -> Optional.empty();
        private Function<String, Boolean> plainHttp = h -> new ImageName(h, "x", "x").isLoopback();

        private Builder() {}

        public Builder connectTimeout(Duration v) {
            connectTimeout = positive("connectTimeout", v);
            return this;
        }

        /** The limit for one request, from sending to the last byte of the answer (default 60 s). */
        public Builder requestTimeout(Duration v) {
            requestTimeout = positive("requestTimeout", v);
            return this;
        }

        /** Attempts per request on connection failures and 5xx answers (default 4). */
        public Builder maxAttempts(int v) {
            if (v < 1 || v > 10) {
                throw new IllegalArgumentException("maxAttempts: must be between 1 and 10, got " + v);
            }
            maxAttempts = v;
            return this;
        }

        /** The first retry's delay; each next one doubles it (default 250 ms). */
        public Builder backoff(Duration v) {
            backoff = v == null || v.isNegative() ? Duration.ZERO : v;
            return this;
        }

        /** Credentials by registry host (as image references name it). */
        public Builder credentials(Function<String, Optional<RegistryCredentials>> v) {
            credentials = v;
            return this;
        }

        /** Which hosts are spoken to over plain HTTP (default: loopback ones). */
        public Builder plainHttp(Function<String, Boolean> v) {
            plainHttp = v;
            return this;
        }

        private static Duration positive(String field, Duration v) {
            if (v == null || v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException(field + ": must be a positive duration, got " + v);
            }
            return v;
        }

        public RegistryClient build() {
            return new RegistryClient(this);
        }
    }
}
