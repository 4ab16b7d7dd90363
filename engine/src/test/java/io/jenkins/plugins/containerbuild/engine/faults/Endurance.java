package io.jenkins.plugins.containerbuild.engine.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildOutput;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import io.jenkins.plugins.containerbuild.engine.json.Json;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import io.jenkins.plugins.containerbuild.engine.report.BuildResultMaps;
import io.jenkins.plugins.containerbuild.engine.testing.ProcessResources;
import io.jenkins.plugins.containerbuild.engine.testing.SecretScan;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Many builds on one builder in one JVM, shared by the builders' tests: 200 in a row, then 20 at once
 * ({@code maxParallelBuilds} 20), each of those with a session (a secret it reads, its context and its output over
 * file sync). Every result is checked; afterwards threads are within 2 and open files within 4 of the baseline,
 * heap after GC does not grow from the 100th build to the 200th, and no secret is anywhere.
 */
final class Endurance {
    static final int SEQUENTIAL = 200;
    static final int PARALLEL = 20;

    /** Heap growth (after GC) allowed between the 100th and the 200th build: noise, not a per-build leak. */
    private static final long HEAP_SLACK = 8L << 20;

    /** What the 20 builds at once carry. */
    enum Sessions {
        /** Nothing: labelled builds like the sequential ones (a builder that takes no secrets and no outputs). */
        NONE,
        /** A secret, the context over file sync, a local output. */
        SECRETS_AND_FILES,
        /** As {@link #SECRETS_AND_FILES}, plus a local cache export ({@code mode=max}), scanned for the secret. */
        SECRETS_FILES_AND_CACHE
    }

    private Endurance() {}

    /**
     * Runs the builds.
     *
     * @param engines  makes an engine on the builder (with {@code maxParallelBuilds} 20) writing the given history
     * @param checkImage checks build {@code n}'s result (e.g. the image's label {@code n} in the daemon's store)
     * @param sessions what the 20 builds at once carry
     */
    static void run(
            Path dir,
            Function<Path, BuildEngine> engines,
            BiConsumer<Integer, BuildResult> checkImage,
            Sessions sessions)
            throws Exception {
        Path small = FaultContexts.small(dir);
        Path history = dir.resolve("history.jsonl");
        List<String> ids = new ArrayList<>();

        // Class loading and the shared gRPC/netty threads first, then the baseline.
        try (BuildEngine warm = engines.apply(history)) {
            warm.build(BuildContext.builder().contextDir(small).build(), null);
        }
        int threads0 = ProcessResources.liveThreads();
        long fds0 = ProcessResources.openFiles();
        try (BuildEngine engine = engines.apply(history)) {
            engine.build(
                    BuildContext.builder()
                            .contextDir(small)
                            .label("n", "warm-up")
                            .build(),
                    null);
            int threads1 = ProcessResources.liveThreads();
            long fds1 = ProcessResources.openFiles();
            long heapAt100 = 0;
            for (int n = 1; n <= SEQUENTIAL; n++) {
                BuildResult r = engine.build(
                        BuildContext.builder()
                                .contextDir(small)
                                .label("n", String.valueOf(n))
                                .build(),
                        null);
                checkImage.accept(n, r);
                ids.add(r.imageId());
                if (n == SEQUENTIAL / 2) {
                    heapAt100 = heapAfterGc();
                }
            }
            long heapAt200 = heapAfterGc();
            System.out.printf(
                    "endurance: heap after GC %d KiB at build 100, %d KiB at build 200; threads %d -> %d; fds %d -> %d%n",
                    heapAt100 >> 10,
                    heapAt200 >> 10,
                    threads1,
                    ProcessResources.liveThreads(),
                    fds1,
                    ProcessResources.openFiles());
            assertThat(new HashSet<>(ids)).as("one image per label").hasSize(SEQUENTIAL);
            assertThat(heapAt200).as("heap after GC at build 200 vs 100").isLessThan(heapAt100 + HEAP_SLACK);
            assertThat(ProcessResources.settledThreads(threads1))
                    .as("threads with the engine open, baseline " + threads1)
                    .isLessThanOrEqualTo(threads1 + 2);
            assertThat(ProcessResources.openFiles())
                    .as("open files with the engine open, baseline " + fds1)
                    .isLessThanOrEqualTo(fds1 + 4);

            if (sessions != Sessions.NONE) {
                parallelWithSessions(dir, engine, sessions == Sessions.SECRETS_FILES_AND_CACHE);
            } else {
                ids.addAll(parallelLabelled(small, engine, checkImage));
            }
        }
        assertThat(ProcessResources.settledThreads(threads0))
                .as("threads after close, baseline " + threads0)
                .isLessThanOrEqualTo(threads0 + 2);
        assertThat(ProcessResources.openFiles())
                .as("open files after close, baseline " + fds0)
                .isLessThanOrEqualTo(fds0 + 4);
    }

    /**
     * Runs the builds on a Docker daemon or Podman's service: each image's label {@code n} is read back through
     * {@code inspect}, and every image made is removed afterwards.
     */
    static void runOnDaemon(
            Path dir,
            BuildEngine.Builder engine,
            Function<String, JsonValue> inspect,
            Consumer<String> remove,
            Sessions sessions)
            throws Exception {
        List<String> made = new ArrayList<>();
        try {
            run(
                    dir,
                    history -> engine.maxParallelBuilds(PARALLEL)
                            .historyFile(history)
                            .build(),
                    (n, r) -> {
                        made.add(r.imageId());
                        assertThat(inspect.apply(r.imageId())
                                        .path("Config")
                                        .path("Labels")
                                        .path("n")
                                        .asText())
                                .as("build " + n + "'s image")
                                .isEqualTo(String.valueOf(n));
                    },
                    sessions);
        } finally {
            made.forEach(remove);
        }
    }

    /** 20 builds at once, labelled 201 to 220, each result checked. */
    private static List<String> parallelLabelled(
            Path small, BuildEngine engine, BiConsumer<Integer, BuildResult> checkImage) throws Exception {
        List<CompletableFuture<BuildResult>> builds = new ArrayList<>();
        for (int i = 1; i <= PARALLEL; i++) {
            builds.add(engine.buildAsync(
                    BuildContext.builder()
                            .contextDir(small)
                            .label("n", String.valueOf(SEQUENTIAL + i))
                            .build(),
                    null));
        }
        CompletableFuture.allOf(builds.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= PARALLEL; i++) {
            BuildResult r = builds.get(i - 1).get();
            checkImage.accept(SEQUENTIAL + i, r);
            ids.add(r.imageId());
        }
        return ids;
    }

    /** 20 builds at once, each reading its own secret and sending its own context and output over the session. */
    private static void parallelWithSessions(Path dir, BuildEngine engine, boolean exportCache) throws Exception {
        List<byte[]> secrets = new ArrayList<>();
        List<Path> outs = new ArrayList<>();
        List<BuildProgress> console = new CopyOnWriteArrayList<>();
        List<CompletableFuture<BuildResult>> builds = new ArrayList<>();
        String run = java.util.UUID.randomUUID().toString();
        for (int i = 0; i < PARALLEL; i++) {
            Path ctx = Files.createDirectory(dir.resolve("par-" + i));
            Files.copy(Path.of("/bin/busybox"), ctx.resolve("busybox"));
            // Unique per run: BuildKit keys a RUN's cache without the secret's value, so a step seen before is reused.
            Files.writeString(ctx.resolve("marker.txt"), "build " + i + " of " + run);
            Files.writeString(
                    ctx.resolve("Dockerfile"),
                    "FROM scratch\nCOPY busybox /bin/busybox\nCOPY marker.txt /out/\n"
                            + "RUN --mount=type=secret,id=tok [\"/bin/busybox\", \"sh\", \"-c\","
                            + " \"/bin/busybox sha256sum /run/secrets/tok | /bin/busybox cut -d' ' -f1 > /out/hash\"]\n"
                            + "FROM scratch\nCOPY --from=0 /out/ /\n");
            byte[] secret = SecretScan.randomSecret();
            Path out = dir.resolve("out-" + i);
            secrets.add(secret);
            outs.add(out);
            BuildContext.Builder b = BuildContext.builder()
                    .contextDir(ctx)
                    .secret("tok", SecretSource.ofBytes(secret))
                    .outputs(List.of(BuildOutput.parse("outputs", "type=local,dest=" + out)));
            if (exportCache) {
                b.cacheTo("type=local,mode=max,dest=" + dir.resolve("cache-" + i));
            }
            builds.add(engine.buildAsync(b.build(), console::add));
        }
        CompletableFuture.allOf(builds.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        for (int i = 0; i < PARALLEL; i++) {
            // The metadata a caller writes (the CLI's --metadata-file, the plugin's record), scanned below.
            Files.writeString(
                    dir.resolve("metadata-" + i + ".json"),
                    Json.write(BuildResultMaps.result(builds.get(i).get())));
            assertThat(Files.readString(outs.get(i).resolve("marker.txt"))).isEqualTo("build " + i + " of " + run);
            assertThat(Files.readString(outs.get(i).resolve("hash")).strip())
                    .as("build " + i + " read its own secret")
                    .isEqualTo(sha256(secrets.get(i)));
            if (exportCache) {
                assertThat(dir.resolve("cache-" + i).resolve("index.json"))
                        .as("build " + i + "'s cache")
                        .exists();
            }
        }
        for (byte[] secret : secrets) {
            assertThat(SecretScan.eventsHolding(console, secret))
                    .as("console lines")
                    .isEmpty();
            assertThat(SecretScan.filesHolding(List.of(dir), secret))
                    .as("files written")
                    .isEmpty();
        }
    }

    private static String sha256(byte[] v) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(v));
    }

    /** Used heap after a full collection (three, settled). */
    private static long heapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(
                    used,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
