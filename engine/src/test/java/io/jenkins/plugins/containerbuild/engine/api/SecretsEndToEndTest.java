package io.jenkins.plugins.containerbuild.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonResponse;
import io.jenkins.plugins.containerbuild.engine.json.Json;
import io.jenkins.plugins.containerbuild.engine.report.BuildResultMaps;
import io.jenkins.plugins.containerbuild.engine.session.BuildSession;
import io.jenkins.plugins.containerbuild.engine.testing.Daemon;
import io.jenkins.plugins.containerbuild.engine.testing.Images;
import io.jenkins.plugins.containerbuild.engine.testing.ProcessResources;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Build secrets and registry credentials end to end through {@link BuildEngine} against the real daemon: the
 * build uses them, every progress line masks them, and they are nowhere afterwards (image layers, image config
 * and history, the metadata and history files written).
 */
@Tag("daemon")
class SecretsEndToEndTest {
    private static final String RUN_ID = UUID.randomUUID().toString().substring(0, 8);
    private static final List<String> CREATED = new ArrayList<>();
    private static final String PRINTING_DOCKERFILE = "FROM " + Daemon.BASE_IMAGE + "\n"
            + "RUN --mount=type=secret,id=tok echo \"plain:$(cat /run/secrets/tok)\""
            + " && echo \"b64:$(base64 /run/secrets/tok)\""
            + " && sha256sum /run/secrets/tok | cut -d' ' -f1 > /hash\n";
    private static final String AUTH_REGISTRY = "127.0.0.1:5001";
    private static final String PRIVATE_BASE = AUTH_REGISTRY + "/private/base:1";
    private static final String REGISTRY_USER = "cbuser";
    private static final String REGISTRY_PASSWORD = "cb-registry-pass"; // test-only, see scripts/start-registry.sh

    @TempDir
    Path dir;

    @TempDir
    Path out;

    @TempDir
    Path keep;

    @BeforeAll
    static void daemon() {
        Daemon.assumeAvailable();
    }

    @AfterAll
    static void cleanUp() {
        CREATED.forEach(Daemon::removeImage);
    }

    private static String tag(String name) {
        String t = "cb-secrets-test/" + name + ":" + RUN_ID;
        CREATED.add(t);
        return t;
    }

    /** A fresh random printable secret (so no earlier run or other build could have it). */
    private static byte[] randomSecret() {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        return ("s3cr3t-" + HexFormat.of().formatHex(random)).getBytes(StandardCharsets.US_ASCII);
    }

    private static String sha256(byte[] v) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(v));
    }

    private static List<byte[]> forms(byte[] value) {
        return List.of(value, Base64.getEncoder().encode(value));
    }

    private static String hashInImage(String image) throws IOException {
        AtomicReference<String> hash = new AtomicReference<>();
        Images.walk(image, (path, bytes) -> {
            if (path.endsWith("!/hash")) {
                hash.set(new String(bytes, StandardCharsets.US_ASCII).trim());
            }
        });
        return hash.get();
    }

    /** Builds PRINTING_DOCKERFILE with {@code source} and proves use, masking and absence. */
    private void buildUsesMasksAndLeavesNothing(SecretSource source, byte[] value) throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), PRINTING_DOCKERFILE);
        Path historyFile = out.resolve("history.jsonl");
        Path metadata = out.resolve("metadata.json");
        BuildContext ctx = BuildContext.builder()
                .contextDir(dir)
                .tag(tag("use"))
                .noCache(true)
                .secret("tok", source)
                .build();
        List<BuildProgress> events = new ArrayList<>();
        BuildResult r;
        try (BuildEngine engine = BuildEngine.builder()
                .endpoint(Daemon.endpoint())
                .backend(Backend.BUILDKIT)
                .historyFile(historyFile)
                .build()) {
            r = engine.build(ctx, events::add);
        }
        Files.writeString(metadata, Json.write(BuildResultMaps.result(r)));

        assertThat(hashInImage(r.imageId())).as("the build read the secret").isEqualTo(sha256(value));
        List<String> logs = events.stream()
                .filter(e -> e.kind() == BuildProgress.Kind.LOG)
                .map(BuildProgress::message)
                .toList();
        assertThat(logs)
                .as("the printed secret is masked")
                .contains("plain:****")
                .contains("b64:****");
        assertProgressHoldsNoSecret(events, value);

        assertThat(Files.size(historyFile)).as("history written").isPositive();
        assertThat(Files.readString(metadata)).contains(r.imageId());
        int[] layerEntries = {0};
        List<String> places = Images.placesHolding(r.imageId(), forms(value), List.of(dir, out), layerEntries);
        assertThat(layerEntries[0]).as("the export was walked into its layers").isGreaterThan(100);
        assertThat(places).as("places holding the secret").isEmpty();
    }

    private static void assertProgressHoldsNoSecret(List<BuildProgress> events, byte[] value) {
        assertThat(events).isNotEmpty();
        for (BuildProgress e : events) {
            byte[] text = (e.vertexName() + "\n" + e.message()).getBytes(StandardCharsets.UTF_8);
            for (byte[] form : forms(value)) {
                assertThat(Images.indexOf(text, form))
                        .as("a progress event holds the secret")
                        .isNegative();
            }
        }
    }

    @Test
    void inMemorySecretIsUsedMaskedAndLeftNowhere() throws Exception {
        byte[] value = randomSecret();
        buildUsesMasksAndLeavesNothing(SecretSource.ofBytes(value), value);
    }

    @Test
    void fileSecretIsUsedMaskedAndLeftNowhere() throws Exception {
        byte[] value = randomSecret();
        Path file = keep.resolve("tok.txt"); // outside the context and outside the directories searched
        Files.write(file, value);
        buildUsesMasksAndLeavesNothing(SecretSource.fromFile(file), value);
    }

    /** fromEnv reads this process's environment, which a JVM cannot change: a child JVM gets the variable. */
    @Test
    void environmentSecretIsUsedMaskedAndLeftNowhere() throws Exception {
        byte[] value = randomSecret();
        Files.writeString(dir.resolve("Dockerfile"), PRINTING_DOCKERFILE);
        String tag = tag("env");
        Path historyFile = out.resolve("history.jsonl");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        SecretsEnvChild.class.getName(),
                        dir.toString(),
                        tag,
                        historyFile.toString(),
                        "CB_E2E_SECRET")
                .redirectErrorStream(true);
        pb.environment().put("CB_E2E_SECRET", new String(value, StandardCharsets.US_ASCII));
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        Files.write(out.resolve("child-output.txt"), output);
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("child output:\n%s", text).isZero();
        assertThat(text).contains("plain:****").contains("b64:****").contains("IMAGE sha256:");
        assertThat(hashInImage(tag)).as("the build read the variable").isEqualTo(sha256(value));
        assertThat(Files.size(historyFile)).isPositive();
        int[] layerEntries = {0};
        assertThat(Images.placesHolding(tag, forms(value), List.of(dir, out), layerEntries))
                .as("places holding the secret (the child's whole output included)")
                .isEmpty();
    }

    @Test
    void aFailingStepThatPrintedTheSecretFailsWithTheSecretMasked() throws Exception {
        byte[] value = randomSecret();
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM " + Daemon.BASE_IMAGE + "\n"
                        + "RUN --mount=type=secret,id=tok cat /run/secrets/tok && echo && exit 3\n");
        BuildContext ctx = BuildContext.builder()
                .contextDir(dir)
                .noCache(true)
                .secret("tok", SecretSource.ofBytes(value))
                .build();
        List<BuildProgress> events = new ArrayList<>();
        try (BuildEngine engine = Daemon.engine(Backend.BUILDKIT)) {
            BuildFailedException e = org.junit.jupiter.api.Assertions.assertThrows(
                    BuildFailedException.class, () -> engine.build(ctx, events::add));
            assertThat(e.lastLogLines()).contains("****");
            String all = e.getMessage()
                    + String.join("\n", e.lastLogLines())
                    + e.metrics().error();
            for (byte[] form : forms(value)) {
                assertThat(all).doesNotContain(new String(form, StandardCharsets.US_ASCII));
            }
        }
        assertProgressHoldsNoSecret(events, value);
    }

    @Test
    void aMissingSecretIdFailsNamingTheIdAndAnOptionalOneBuilds() throws Exception {
        BuildContext.Builder b = BuildContext.builder()
                .contextDir(dir)
                .noCache(true)
                .secret("tok", SecretSource.ofBytes(randomSecret()));
        try (BuildEngine engine = Daemon.engine(Backend.BUILDKIT)) {
            Files.writeString(
                    dir.resolve("Dockerfile"),
                    "FROM " + Daemon.BASE_IMAGE + "\n"
                            + "RUN --mount=type=secret,id=absent-id cat /run/secrets/absent-id\n");
            assertThatThrownBy(() -> engine.build(b.build(), BuildListener.none()))
                    .isInstanceOf(BuildFailedException.class)
                    .hasMessageContaining("absent-id");

            Files.writeString(
                    dir.resolve("Dockerfile"),
                    "FROM " + Daemon.BASE_IMAGE + "\n"
                            + "RUN --mount=type=secret,id=absent-id,required=false test ! -e /run/secrets/absent-id"
                            + " && echo ok > /ok\n");
            BuildResult r = engine.build(b.build(), BuildListener.none());
            assertThat(r.imageId()).startsWith("sha256:");
            assertThat(r.metrics().status()).isEqualTo(BuildStatus.SUCCESS);
        }
    }

    @Test
    void theClassicBackendRefusesSecretsSshAndRegistryAuthBeforeAnyRequest() throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + Daemon.BASE_IMAGE + "\n");
        AtomicInteger reads = new AtomicInteger();
        SecretSource counted = new SecretSource() {
            @Override
            public byte[] read() {
                reads.incrementAndGet();
                return "never-read".getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String describe() {
                return "counted";
            }
        };
        List<BuildContext> contexts = List.of(
                BuildContext.builder().contextDir(dir).secret("tok", counted).build(),
                BuildContext.builder()
                        .contextDir(dir)
                        .sshKey("default", SshKeySource.ofPrivateKey(counted, null))
                        .build(),
                BuildContext.builder()
                        .contextDir(dir)
                        .registryAuth(new RegistryCredentials("r.example", "u", counted))
                        .build());
        // An engine that cannot connect anywhere: any request would fail with DaemonUnreachableException.
        try (BuildEngine engine = BuildEngine.builder()
                .dockerHost("unix:///nonexistent.sock")
                .backend(Backend.CLASSIC)
                .build()) {
            for (BuildContext ctx : contexts) {
                assertThatThrownBy(() -> engine.build(ctx, BuildListener.none()))
                        .isInstanceOf(InvalidBuildContextException.class)
                        .hasMessageContaining("classic builder cannot take build secrets")
                        .satisfies(e -> assertThat(((InvalidBuildContextException) e).field())
                                .isEqualTo("backend"));
            }
            assertThat(engine.history()).as("no build was started").isEmpty();
        }
        assertThat(reads).as("no secret was read").hasValue(0);
    }

    /** Live threads by name with digits replaced by {@code #}. */
    @Test
    void twentyBuildsWithSecretsThroughOneEngineLeaveNoSessionThreadSocketOrDescriptor() throws Exception {
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM " + Daemon.BASE_IMAGE + "\n" + "RUN --mount=type=secret,id=tok wc -c /run/secrets/tok\n");
        BuildContext ctx = BuildContext.builder()
                .contextDir(dir)
                .noCache(true)
                .secret("tok", SecretSource.ofBytes(randomSecret()))
                .build();
        try (BuildEngine engine = Daemon.engine(Backend.BUILDKIT)) {
            long t0 = System.nanoTime();
            engine.build(ctx, BuildListener.none()); // warm-up: class loading, the engine's own connection pool
            System.out.printf("first build with a session in this engine: %.0f ms%n", (System.nanoTime() - t0) / 1e6);
            Map<String, Integer> threadsBefore = ProcessResources.threads();
            List<String> fdsBefore = ProcessResources.fds();
            long t1 = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                BuildResult r = engine.build(ctx, BuildListener.none());
                assertThat(r.metrics().status()).as("build %d", i).isEqualTo(BuildStatus.SUCCESS);
            }
            System.out.printf("20 builds with a secret: %.0f ms on average%n", (System.nanoTime() - t1) / 20 / 1e6);
            // A closed session's executor has ended its work; its thread may still be on its way out: give it 2 s.
            Map<String, Integer> threadsAfter = ProcessResources.threads();
            for (int i = 0; i < 40 && hasSessionCallThreads(threadsAfter); i++) {
                Thread.sleep(50);
                threadsAfter = ProcessResources.threads();
            }
            List<String> fdsAfter = ProcessResources.fds();
            System.out.println("threads before " + threadsBefore + "\nthreads after  " + threadsAfter);
            System.out.println("fds before " + fdsBefore.size() + ", after " + fdsAfter.size());
            assertThat(threadsAfter.keySet())
                    .as("per-session call threads")
                    .noneMatch(n -> n.startsWith(BuildSession.CALL_THREAD_PREFIX)
                            && !n.startsWith(BuildSession.LOOP_THREAD_PREFIX));
            // The carried sessions of BuildKit's own API (an earlier test in this JVM may have used them) have
            // their own shared loop, "…looplocal-": one thread at most.
            String local = BuildSession.LOOP_THREAD_PREFIX + "local";
            assertThat(threadsAfter.entrySet().stream()
                            .filter(e -> e.getKey().startsWith(BuildSession.LOOP_THREAD_PREFIX)
                                    && !e.getKey().startsWith(local))
                            .mapToInt(Map.Entry::getValue)
                            .sum())
                    .as("the shared session event loop")
                    .isBetween(1, 2);
            assertThat(threadsAfter.entrySet().stream()
                            .filter(e -> e.getKey().startsWith(local))
                            .mapToInt(Map.Entry::getValue)
                            .sum())
                    .as("the carried sessions' shared loop")
                    .isLessThanOrEqualTo(1);
            for (Map.Entry<String, Integer> g : threadsAfter.entrySet()) {
                String n = g.getKey();
                if (n.contains("session")
                        || n.contains("grpc")
                        || n.contains("netty")
                        || n.contains("container-build")
                        || n.contains("nioEventLoop")
                        || n.contains("ssh")) {
                    assertThat(g.getValue()).as(n).isLessThanOrEqualTo(threadsBefore.getOrDefault(n, 0));
                }
            }
            assertThat(fdsAfter.size()).as("open descriptors: %s", fdsAfter).isLessThanOrEqualTo(fdsBefore.size());
            assertThat(fdsAfter.stream().filter(f -> f.startsWith("socket:")).count())
                    .isLessThanOrEqualTo(fdsBefore.stream()
                            .filter(f -> f.startsWith("socket:"))
                            .count());
        }
    }

    // ---- registry credentials, against the htpasswd registry of scripts/start-registry.sh ----

    private static boolean registryPushed;

    /** Pushes the base image to the auth registry as PRIVATE_BASE and removes the local tag (once). */
    private static synchronized void privateBaseImage() throws IOException {
        int status;
        try {
            HttpURLConnection c = (HttpURLConnection)
                    URI.create("http://" + AUTH_REGISTRY + "/v2/").toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(2000);
            status = c.getResponseCode();
            c.disconnect();
        } catch (IOException e) {
            status = -1;
        }
        Assumptions.assumeTrue(
                status == 401 || status == 200,
                "no registry answers on " + AUTH_REGISTRY
                        + " (run scripts/start-registry.sh start as root); GET /v2/ gave " + status);
        if (registryPushed) {
            return;
        }
        String auth = Base64.getUrlEncoder()
                .encodeToString(Json.write(Map.of(
                                "username",
                                REGISTRY_USER,
                                "password",
                                REGISTRY_PASSWORD,
                                "serveraddress",
                                AUTH_REGISTRY))
                        .getBytes(StandardCharsets.UTF_8));
        try (DaemonClient d = Daemon.client()) {
            String repo = AUTH_REGISTRY + "/private/base";
            d.postJson(
                    "/images/" + Daemon.BASE_IMAGE + "/tag?repo=" + URLEncoder.encode(repo, StandardCharsets.UTF_8)
                            + "&tag=1",
                    new ByteArrayInputStream(new byte[0]),
                    Map.of());
            StringBuilder errors = new StringBuilder();
            try (DaemonResponse r = d.stream(
                    DaemonClient.Method.POST,
                    "/images/" + repo + "/push?tag=1",
                    new ByteArrayInputStream(new byte[0]),
                    Map.of("X-Registry-Auth", auth))) {
                BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.contains("\"error\"")) {
                        errors.append(line);
                    }
                }
            }
            assertThat(errors.toString()).as("push to %s", AUTH_REGISTRY).isEmpty();
            d.delete("/images/" + PRIVATE_BASE);
        }
        registryPushed = true;
    }

    private void privateBaseDockerfile() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + PRIVATE_BASE + "\nLABEL from=private-" + RUN_ID + "\n");
    }

    @Test
    void aPrivateBaseImageIsPulledWithRegistryCredentials() throws Exception {
        privateBaseImage();
        privateBaseDockerfile();
        BuildContext ctx = BuildContext.builder()
                .contextDir(dir)
                .tag(tag("private"))
                .pull(true)
                .registryAuth(new RegistryCredentials(
                        AUTH_REGISTRY, REGISTRY_USER, SecretSource.ofChars(REGISTRY_PASSWORD.toCharArray())))
                .build();
        List<BuildProgress> events = new ArrayList<>();
        BuildResult r;
        try (BuildEngine engine = Daemon.engine(Backend.BUILDKIT)) {
            r = engine.build(ctx, events::add);
        }
        assertThat(r.imageId()).startsWith("sha256:");
        assertThat(Daemon.inspect(r.imageId())
                        .path("Config")
                        .path("Labels")
                        .path("from")
                        .asText())
                .isEqualTo("private-" + RUN_ID);
        assertProgressHoldsNoSecret(events, REGISTRY_PASSWORD.getBytes(StandardCharsets.UTF_8));
        // right after a successful pull the daemon holds no reusable authorization: a wrong password still fails
        assertWrongPasswordFails();
    }

    @Test
    void aWrongRegistryPasswordFailsNamingTheRegistryWithoutThePassword() throws Exception {
        privateBaseImage();
        privateBaseDockerfile();
        assertWrongPasswordFails();
    }

    private void assertWrongPasswordFails() {
        String wrong = "wrong-pass-" + RUN_ID;
        BuildContext ctx = BuildContext.builder()
                .contextDir(dir)
                .pull(true)
                .registryAuth(new RegistryCredentials(
                        AUTH_REGISTRY, REGISTRY_USER, SecretSource.ofChars(wrong.toCharArray())))
                .build();
        List<BuildProgress> events = new ArrayList<>();
        try (BuildEngine engine = Daemon.engine(Backend.BUILDKIT)) {
            BuildFailedException e = org.junit.jupiter.api.Assertions.assertThrows(
                    BuildFailedException.class, () -> engine.build(ctx, events::add));
            System.out.println("wrong password: " + e.getMessage());
            assertThat(e.getMessage())
                    .contains(AUTH_REGISTRY)
                    .doesNotContain(wrong)
                    .doesNotContain(Base64.getEncoder().encodeToString(wrong.getBytes(StandardCharsets.UTF_8)));
        }
        assertProgressHoldsNoSecret(events, wrong.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean hasSessionCallThreads(Map<String, Integer> threads) {
        return threads.keySet().stream()
                .anyMatch(n -> n.startsWith(BuildSession.CALL_THREAD_PREFIX)
                        && !n.startsWith(BuildSession.LOOP_THREAD_PREFIX));
    }
}
