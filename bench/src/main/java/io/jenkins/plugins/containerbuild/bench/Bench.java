package io.jenkins.plugins.containerbuild.bench;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BatchOptions;
import io.jenkins.plugins.containerbuild.engine.api.BatchOutcome;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.api.BuilderEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.PruneOptions;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * The benchmark harness: each scenario runs the engine (in this warm JVM, timed around {@code build(...)}) and
 * the docker CLI ({@code DOCKER_BUILDKIT=1 docker build} as a process) round by round on the same daemon, with
 * the daemon's state put back the same way before each build; prints one {@code bench S<n> ...} line per
 * scenario and regenerates docs/benchmarks.md. Run it with {@code bench/run.sh}.
 */
public final class Bench {
    static final String BASE_IMAGE = "local/busybox:latest";

    /** How big the scenarios are. */
    public enum Scale {
        FULL(200L << 20, 400, 1 << 20, 8, 2L << 30, 2048),
        TINY(6L << 20, 24, 64 << 10, 2, 6L << 20, 8); // contexts above AUTO's tar limit (4 MiB): over the file sync

        final long s3Bytes;
        final int s3Files;
        final int s4ChangeBytes;
        final int s5Builds;
        final long s6Bytes;
        final int s6Files;

        Scale(long s3Bytes, int s3Files, int s4ChangeBytes, int s5Builds, long s6Bytes, int s6Files) {
            this.s3Bytes = s3Bytes;
            this.s3Files = s3Files;
            this.s4ChangeBytes = s4ChangeBytes;
            this.s5Builds = s5Builds;
            this.s6Bytes = s6Bytes;
            this.s6Files = s6Files;
        }
    }

    /**
     * One builder to measure, with the client that belongs to it: a Docker daemon with its docker CLI, or a standalone
     * buildkitd with buildctl.
     *
     * @param label        how the report names it, e.g. {@code dockerd 26.1 (containerd image store)}
     * @param host         its address ({@code DOCKER_HOST} form), or null for {@code DOCKER_HOST} / the local socket
     * @param docker       its docker CLI
     * @param dockerConfig the CLI's {@code DOCKER_CONFIG} (where its buildx plugin is), or null for the default
     * @param buildkitd    a standalone buildkitd's address ({@code unix://…}) to measure instead of a daemon, or null
     * @param buildctl     the buildctl measured against the engine there
     */
    public record Target(
            String label, String host, String docker, String dockerConfig, String buildkitd, String buildctl) {
        /** A Docker daemon and its CLI. */
        public Target(String label, String host, String docker, String dockerConfig) {
            this(label, host, docker, dockerConfig, null, null);
        }

        /** A standalone buildkitd and buildctl: {@code LABEL=ADDRESS,BUILDCTL}. */
        static Target parseBuildkitd(String spec) {
            int eq = spec.indexOf('=');
            String[] parts = eq <= 0 ? new String[0] : spec.substring(eq + 1).split(",", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("--buildkitd takes LABEL=ADDRESS,BUILDCTL, got " + spec);
            }
            return new Target(spec.substring(0, eq), null, null, null, parts[0], parts[1]);
        }

        boolean isBuildkitd() {
            return buildkitd != null;
        }

        DaemonEndpoint endpoint() {
            return host == null ? DaemonEndpoint.fromEnvironment(System.getenv()) : DaemonEndpoint.of(host, null);
        }

        /** {@code LABEL=HOST[,DOCKER_CLI[,DOCKER_CONFIG]]}. */
        static Target parse(String spec, String defaultDocker) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        "--daemon takes LABEL=HOST[,DOCKER_CLI[,DOCKER_CONFIG]], got " + spec);
            }
            String[] parts = spec.substring(eq + 1).split(",", -1);
            return new Target(
                    spec.substring(0, eq),
                    parts[0],
                    parts.length > 1 ? parts[1] : defaultDocker,
                    parts.length > 2 ? parts[2] : null);
        }
    }

    /** What to run: every scenario on every target, one after the other. */
    public record Options(
            int rounds,
            Scale scale,
            Path work,
            Path doc,
            List<Target> targets,
            Set<String> only,
            PrintStream out,
            boolean warmUp) {
        boolean runs(String id) {
            return only.isEmpty() || only.contains(id);
        }
    }

    /** Min, median and max of a scenario's timings in milliseconds. */
    public record Stats(long min, long median, long max) {
        static Stats of(List<Long> values) {
            List<Long> v = new ArrayList<>(values);
            v.sort(Long::compare);
            if (v.isEmpty()) {
                return new Stats(0, 0, 0);
            }
            int n = v.size();
            long median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
            return new Stats(v.get(0), median, v.get(n - 1));
        }

        @Override
        public String toString() {
            return min + " / " + median + " / " + max;
        }
    }

    /** One scenario's outcome. */
    public record Result(String id, String title, Stats engine, Stats cli, String notes, String goal, boolean goalMet) {
        public double ratio() {
            return cli.median() == 0 ? 0 : (double) engine.median() / cli.median();
        }

        public String line() {
            return String.format(
                    Locale.ROOT,
                    "bench %s engine_ms=%d cli_ms=%d ratio=%.2f",
                    id,
                    engine.median(),
                    cli.median(),
                    ratio());
        }
    }

    /** The base image a buildkitd target builds from: made by the harness and pushed to the local registry. */
    static final String BUILDKITD_BASE_IMAGE = "127.0.0.1:5000/cb-bench/busybox:latest";

    private final Options o;
    private final Target target;
    private final String baseImage;
    private final BuildEngine engine;
    private final DaemonEndpoint endpoint;
    private final boolean takesTarBody;
    private final List<String> images = new ArrayList<>();
    private final List<Result> results = new ArrayList<>();
    private List<Long> s2Engine = List.of();
    private List<Long> s2Cli = List.of();
    private List<Long> s2Bare = List.of();
    private long s2DaemonMedian;

    private Bench(Options o, Target target) {
        this.o = o;
        this.target = target;
        this.endpoint = target.endpoint();
        if (target.isBuildkitd()) {
            this.engine = BuildEngine.builder()
                    .builder(BuilderEndpoint.of(target.buildkitd(), null))
                    .build();
            this.takesTarBody = false;
            this.baseImage = BUILDKITD_BASE_IMAGE;
            return;
        }
        this.baseImage = BASE_IMAGE;
        this.engine = BuildEngine.builder()
                .endpoint(endpoint)
                .backend(Backend.BUILDKIT)
                .build();
        try (DaemonClient client = new DaemonClient(endpoint, Duration.ofSeconds(5), Duration.ofMinutes(1), 1)) {
            // The containerd image store's BuildKit cannot read a tar body: no bare request to compare with there.
            this.takesTarBody = !client.profile().containerdImageStore();
        }
    }

    // Netty warns once per session about SO_KEEPALIVE on domain sockets (harmless); kept referenced, so it stays set.
    private static final java.util.logging.Logger NETTY = java.util.logging.Logger.getLogger("io.netty");

    public static void main(String[] args) throws Exception {
        NETTY.setLevel(java.util.logging.Level.SEVERE);
        if (args.length > 0 && args[0].equals("--s6-child")) {
            S6Child.main(args);
            return;
        }
        int rounds = 6; // even: each client goes first in half the rounds
        Scale scale = Scale.FULL;
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "container-build-bench");
        Path doc = null;
        String docker = "/usr/bin/docker";
        List<String> daemons = new ArrayList<>();
        List<String> buildkitds = new ArrayList<>();
        Set<String> only = new LinkedHashSet<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--scale" -> scale = Scale.valueOf(args[++i].toUpperCase(Locale.ROOT));
                case "--work" -> work = Path.of(args[++i]);
                case "--doc" -> doc = Path.of(args[++i]);
                case "--docker" -> docker = args[++i];
                case "--daemon" -> daemons.add(args[++i]);
                case "--buildkitd" -> buildkitds.add(args[++i]);
                case "--only" ->
                    only.addAll(List.of(args[++i].toUpperCase(Locale.ROOT).split(",")));
                default -> {
                    System.err.println("usage: bench [--rounds N] [--scale full|tiny] [--work DIR] [--doc FILE]"
                            + " [--docker PATH] [--daemon LABEL=HOST[,DOCKER_CLI[,DOCKER_CONFIG]]]..."
                            + " [--buildkitd LABEL=ADDRESS,BUILDCTL]... [--only S1,S3,...]");
                    System.exit(2);
                }
            }
        }
        List<Target> targets = new ArrayList<>();
        for (String spec : daemons) {
            targets.add(Target.parse(spec, docker));
        }
        for (String spec : buildkitds) {
            targets.add(Target.parseBuildkitd(spec));
        }
        if (targets.isEmpty()) {
            targets.add(new Target(
                    "the daemon at "
                            + DaemonEndpoint.fromEnvironment(System.getenv()).host(),
                    null,
                    docker,
                    null));
        }
        run(new Options(rounds, scale, work, doc, targets, only, System.out, true));
    }

    /**
     * Runs the scenarios on each target in turn, prints the lines (each target's after a {@code == daemon} line),
     * writes the document when one is named.
     */
    public static Map<Target, List<Result>> run(Options o) throws Exception {
        Files.createDirectories(o.work());
        Map<Target, List<Result>> all = new java.util.LinkedHashMap<>();
        for (Target t : o.targets()) {
            o.out().println("== daemon " + t.label());
            Bench b = new Bench(o, t);
            try {
                b.all();
            } finally {
                b.cleanUp();
            }
            all.put(t, List.copyOf(b.results));
        }
        if (o.doc() != null) {
            Files.createDirectories(o.doc().toAbsolutePath().getParent());
            Files.writeString(o.doc(), Report.markdown(all, o, Report.machine(o.targets())));
        }
        return all;
    }

    private void all() throws Exception {
        if (target.isBuildkitd()) {
            makeBuildkitdBase();
        }
        if (o.warmUp()) {
            warmUp();
        }
        scenario(List.of("S1"), this::s1);
        scenario(List.of("S2", "S7"), this::s2);
        scenario(List.of("S3", "S4"), this::s3s4);
        if (!target.isBuildkitd()) {
            // S5 and S6 measure the engine's batch and memory against the docker CLI; buildctl is compared on S1-S4,
            // S7.
            scenario(List.of("S5"), this::s5);
            scenario(List.of("S6"), this::s6);
        }
        if (o.runs("S7") && (!s2Bare.isEmpty() || !takesTarBody)) {
            s7();
        }
        if (target.isBuildkitd()) {
            scenario(List.of("S8"), this::s8);
        }
    }

    /** Runs a scenario; one that fails (a daemon restarted under it...) is reported as failed, the rest go on. */
    private void scenario(List<String> ids, Step body) {
        if (ids.stream().noneMatch(o::runs)) {
            return;
        }
        try {
            body.run();
        } catch (Exception | Error e) {
            if (e instanceof Error err && !(e instanceof AssertionError)) {
                throw err;
            }
            String why = String.valueOf(e.getMessage())
                    .lines()
                    .findFirst()
                    .orElse("")
                    .replace('|', '/');
            for (String id : ids) {
                if (o.runs(id) && results.stream().noneMatch(r -> r.id().equals(id))) {
                    add(new Result(
                            id, "failed", Stats.of(List.of()), Stats.of(List.of()), "failed: " + why, "-", false));
                }
            }
        }
    }

    private void add(Result r) {
        results.add(r);
        o.out().println(r.line());
        o.out().flush();
    }

    // ---- scenarios ----

    /** The engine's first session pays class loading: one untimed build first, as in a long-lived agent. */
    private void warmUp() throws Exception {
        Path d = small("warmup", 0);
        engineBuild(d, true);
        cliBuild(d, true);
        if (o.runs("S3") || o.runs("S4")) {
            // A small context goes as a tar (AUTO): warm the file sync path too, as a long-lived agent's JVM has
            // it. Cold, its first rounds of S3 ran with the JIT compiling beside the daemon (JVM CPU 3.2 s on the
            // first 200 MiB build, 0.5 s from the fourth on; the CLI used 0.55 s).
            Path large = big("s3", o.scale().s3Bytes, o.scale().s3Files, S3_STEPS);
            for (int i = 0; i < 3; i++) {
                touchAll(large);
                engineBuild(large, false);
            }
        }
    }

    private void s1() throws Exception {
        Path d = small("s1", 1);
        List<Long> e = new ArrayList<>();
        List<Long> c = new ArrayList<>();
        for (int r = 0; r < o.rounds(); r++) {
            pair(r, () -> e.add(engineBuild(d, true)), () -> c.add(cliBuild(d, true)));
        }
        add(result(
                "S1",
                "small Dockerfile, no cache",
                e,
                c,
                "3 steps, --no-cache both",
                "ratio <= 0.9",
                ratio(e, c) <= 0.9));
    }

    private void s2() throws Exception {
        Path d = small("s2", 2);
        List<Long> e = new ArrayList<>();
        List<Long> c = new ArrayList<>();
        List<Long> bare = new ArrayList<>();
        List<Long> daemon = new ArrayList<>();
        byte[] tar = takesTarBody ? contextTar(d) : null;
        try (DaemonClient client = target.isBuildkitd()
                        ? null
                        : new DaemonClient(endpoint, Duration.ofSeconds(5), Duration.ofMinutes(5), 2);
                BareSolve solve = target.isBuildkitd() ? new BareSolve(target.buildkitd(), d) : null) {
            for (int r = 0; r < o.rounds(); r++) {
                pair(
                        r,
                        () -> {
                            engineBuild(d, false); // the cache in the same state: everything cached
                            long t0 = System.nanoTime();
                            BuildResult res = engine.build(ctx(d, false), null);
                            e.add((System.nanoTime() - t0) / 1_000_000);
                            images.add(res.imageId());
                            daemon.add(res.metrics().daemonTime().toMillis());
                            if (takesTarBody) {
                                bare.add(bareBuild(client, tar));
                            } else if (solve != null) {
                                bare.add(solve.run());
                            }
                        },
                        () -> {
                            cliBuild(d, false);
                            c.add(cliBuild(d, false));
                        });
            }
        }
        s2Engine = e;
        s2Cli = c;
        s2Bare = bare;
        s2DaemonMedian = Stats.of(daemon).median();
        if (o.runs("S2")) {
            add(result(
                    "S2",
                    "same, all cached",
                    e,
                    c,
                    "rebuild with every step cached; "
                            + (takesTarBody
                                    ? "the same build as one bare API request (prepared tar, no session, nothing else): median "
                                            + Stats.of(bare).median() + " ms"
                                    : target.isBuildkitd()
                                            ? "the same build as one bare `Solve` (the context's file sync only, no"
                                                    + " progress read): median "
                                                    + Stats.of(bare).median() + " ms"
                                            : "both clients sync the context (no tar body on this image store)"),
                    "ratio <= 0.9",
                    ratio(e, c) <= 0.9));
        }
    }

    /** The context's tar exactly as the engine would send it, in memory (small contexts only). */
    private byte[] contextTar(Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        engine.exportBuildContext(ctx(dir, false), out);
        return out.toByteArray();
    }

    /**
     * The floor for a client: the same build as one {@code POST /build?version=2} with a prepared tar body and
     * the response read to its end, on a warm connection, with nothing before or after it.
     */
    private static long bareBuild(DaemonClient client, byte[] tar) throws IOException {
        long t0 = System.nanoTime();
        String body;
        try (DaemonResponse r = client.stream(
                DaemonClient.Method.POST,
                "/build?version=2",
                new ByteArrayInputStream(tar),
                Map.of("Content-Type", "application/x-tar"))) {
            body = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (!body.contains("moby.image.id")) {
            throw new IllegalStateException("the bare build request gave no image: "
                    + body.lines().reduce((a, b) -> b).orElse(""));
        }
        return ms;
    }

    private void s3s4() throws Exception {
        Path d = big("s3", o.scale().s3Bytes, o.scale().s3Files, S3_STEPS);
        List<Long> e3 = new ArrayList<>();
        List<Long> c3 = new ArrayList<>();
        long[] sent = new long[2];
        for (int r = 0; r < o.rounds(); r++) {
            // Every file's mtime changed: the daemon's copy is stale, so each build sends every file.
            pair(
                    r,
                    () -> {
                        touchAll(d);
                        long t0 = System.nanoTime();
                        BuildResult res = engine.build(ctx(d, true), null);
                        e3.add((System.nanoTime() - t0) / 1_000_000);
                        sent[0] = res.metrics().contextBytes();
                        images.add(res.imageId());
                    },
                    () -> {
                        touchAll(d);
                        c3.add(cliBuild(d, true));
                    });
        }
        if (o.runs("S3")) {
            add(result(
                    "S3",
                    mb(o.scale().s3Bytes) + " context (" + o.scale().s3Files + " files), first build",
                    e3,
                    c3,
                    "every file re-sent (mtimes changed), --no-cache, `COPY . /ctx`; engine sent " + mb(sent[0]),
                    "ratio <= 1.0",
                    ratio(e3, c3) <= 1.0));
        }
        if (!o.runs("S4")) {
            return;
        }
        List<Long> e4 = new ArrayList<>();
        List<Long> c4 = new ArrayList<>();
        Path changed = d.resolve("d000/f0000.bin");
        // A new seed each run: contents built by an earlier run would be found in the daemon's cache.
        Random rnd = new Random(System.nanoTime());
        byte[] content = new byte[o.scale().s4ChangeBytes];
        for (int r = 0; r < o.rounds(); r++) {
            pair(
                    r,
                    () -> {
                        engineBuild(d, false); // the daemon holds this client's copy of the current context
                        rnd.nextBytes(content);
                        Files.write(changed, content);
                        long t0 = System.nanoTime();
                        BuildResult res = engine.build(ctx(d, false), null);
                        e4.add((System.nanoTime() - t0) / 1_000_000);
                        sent[1] = res.metrics().contextBytes();
                        images.add(res.imageId());
                    },
                    () -> {
                        cliBuild(d, false);
                        rnd.nextBytes(content);
                        Files.write(changed, content);
                        c4.add(cliBuild(d, false));
                    });
        }
        add(result(
                "S4",
                "same after changing one " + mb(o.scale().s4ChangeBytes) + " file",
                e4,
                c4,
                "engine sent " + mb(sent[1]) + " (file sync); `COPY . /ctx` re-runs",
                "ratio <= 1.0",
                ratio(e4, c4) <= 1.0));
    }

    private void s5() throws Exception {
        int n = o.scale().s5Builds;
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dirs.add(small("s5-" + i, 50 + i));
        }
        List<BuildContext> ctxs = dirs.stream().map(d -> ctx(d, true)).toList();
        List<Long> batch = new ArrayList<>();
        List<Long> oneByOne = new ArrayList<>();
        List<Long> cli = new ArrayList<>();
        int parallel = Math.min(4, n);
        for (int r = 0; r < o.rounds(); r++) {
            pair(
                    r,
                    () -> {
                        long t0 = System.nanoTime();
                        List<BatchOutcome> out = engine.buildBatch(
                                ctxs,
                                BatchOptions.builder().maxParallel(parallel).build(),
                                null);
                        batch.add((System.nanoTime() - t0) / 1_000_000);
                        for (BatchOutcome b : out) {
                            if (b.status() != BuildStatus.SUCCESS) {
                                throw new IllegalStateException("batch build " + b.index() + " failed: " + b.error());
                            }
                            images.add(b.result().imageId());
                        }
                        long t1 = System.nanoTime();
                        for (BuildContext c : ctxs) {
                            images.add(engine.build(c, null).imageId());
                        }
                        oneByOne.add((System.nanoTime() - t1) / 1_000_000);
                    },
                    () -> {
                        ExecutorService pool = Executors.newFixedThreadPool(parallel);
                        try {
                            long t0 = System.nanoTime();
                            List<Future<Long>> fs = new ArrayList<>();
                            for (Path d : dirs) {
                                fs.add(pool.submit(() -> cliBuild(d, true)));
                            }
                            for (Future<Long> f : fs) {
                                f.get();
                            }
                            cli.add((System.nanoTime() - t0) / 1_000_000);
                        } finally {
                            pool.shutdownNow();
                        }
                    });
        }
        double vsOne = (double) Stats.of(batch).median()
                / Math.max(1, Stats.of(oneByOne).median());
        add(result(
                "S5",
                "batch of " + n + " small builds, maxParallel " + parallel,
                batch,
                cli,
                String.format(
                        Locale.ROOT,
                        "CLI: %d processes %d at a time; engine one by one: %s ms (batch/one-by-one" + " = %.2f)",
                        n,
                        parallel,
                        Stats.of(oneByOne),
                        vsOne),
                "batch <= 0.6 x one-by-one",
                vsOne <= 0.6));
    }

    private void s6() throws Exception {
        // The frontend syncs only the paths the Dockerfile uses: a bind mount of the whole context makes the
        // daemon pull all of it, without writing it into a layer.
        Path d = big("s6", o.scale().s6Bytes, o.scale().s6Files, "RUN --mount=type=bind,target=/ctx du -s /ctx\n");
        Path warm = small("s6-warm", 6);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder childPb = new ProcessBuilder(
                        java,
                        "-Xmx64m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Bench.class.getName(),
                        "--s6-child")
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        childPb.environment().put("DOCKER_HOST", endpoint.host().toString());
        Process child = childPb.start();
        List<Long> e = new ArrayList<>();
        List<Long> c = new ArrayList<>();
        long[] sent = new long[1];
        String peak;
        try (PrintStream to = new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8);
                BufferedReader from =
                        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            to.println("build " + warm);
            expect(from, "ms");
            for (int r = 0; r < o.rounds(); r++) {
                pair(
                        r,
                        () -> {
                            touchAll(d);
                            to.println("build " + d);
                            String[] got = expect(from, "ms").split(" ");
                            e.add(Long.parseLong(got[1]));
                            sent[0] = Long.parseLong(got[2]);
                        },
                        () -> {
                            touchAll(d);
                            c.add(cliBuild(d, true));
                        });
            }
            to.println("quit");
            peak = expect(from, "peak");
        }
        child.waitFor();
        // peak <rss_kb> <heap_bytes> <max_heap_bytes>
        String[] p = peak.split(" ");
        long rss = Long.parseLong(p[1]) * 1024;
        long heap = Long.parseLong(p[2]);
        long max = Long.parseLong(p[3]);
        add(result(
                "S6",
                mb(o.scale().s6Bytes) + " context (" + o.scale().s6Files + " files), JVM -Xmx64m",
                e,
                c,
                "engine JVM peak RSS " + mb(rss) + ", peak heap " + mb(heap) + " of " + mb(max)
                        + "; engine sent " + mb(sent[0]) + " per build (every file re-sent);"
                        + " `RUN --mount=type=bind,target=/ctx du -s /ctx`",
                "completes under the heap limit",
                e.size() == o.rounds()));
    }

    private void s7() {
        if (!takesTarBody && !target.isBuildkitd()) {
            add(result(
                    "S7",
                    "client overhead on S2 (wall - bare API request)",
                    List.of(),
                    List.of(),
                    "not measured: this image store's BuildKit takes no tar body, so there is no bare request to"
                            + " subtract",
                    "overhead < 50 ms",
                    false));
            return;
        }
        // What each client adds to the daemon's own time: its wall time minus the bare request's in the same round.
        List<Long> engineOverhead = new ArrayList<>();
        List<Long> cliOverhead = new ArrayList<>();
        for (int i = 0; i < s2Bare.size(); i++) {
            engineOverhead.add(s2Engine.get(i) - s2Bare.get(i));
            cliOverhead.add(s2Cli.get(i) - s2Bare.get(i));
        }
        Stats ov = Stats.of(engineOverhead);
        add(result(
                "S7",
                "client overhead on S2 (wall - bare API request)",
                engineOverhead,
                cliOverhead,
                (target.isBuildkitd()
                                ? "per round: the client's wall time minus a bare `Solve` of the same build on a warm"
                                        + " connection (median "
                                : "per round: the client's wall time minus a bare `POST /build` of the same prepared"
                                        + " tar (median ")
                        + Stats.of(s2Bare).median() + " ms); the trace's vertices account for a median "
                        + s2DaemonMedian + " ms of the builder's time",
                "overhead < 50 ms",
                ov.median() < 50));
    }

    /**
     * S8, the ephemeral agent: every round starts from an empty builder (its cache pruned); the build with
     * {@code cacheFrom} the registry cache an earlier build exported with {@code mode=max}, against the same cold build
     * without it. Both sides are the engine; the Dockerfile's RUN steps dominate.
     */
    private void s8() throws Exception {
        Path d = fresh("s8");
        Files.writeString(
                d.resolve("Dockerfile"),
                String.join(
                        "\n",
                        "FROM " + baseImage + " AS deps",
                        "RUN sleep 1 && echo deps-" + System.nanoTime() + " > /deps",
                        "RUN sleep 1 && md5sum /deps > /deps.sum",
                        "FROM " + baseImage,
                        "COPY --from=deps /deps.sum /",
                        "RUN sleep 1 && echo built > /built",
                        ""));
        String cache = BUILDKITD_BASE_IMAGE.substring(0, BUILDKITD_BASE_IMAGE.indexOf('/')) + "/cb-bench/s8-cache:"
                + Long.toHexString(System.nanoTime());
        engine.build(
                BuildContext.builder()
                        .contextDir(d)
                        .cacheTo("type=registry,ref=" + cache + ",mode=max")
                        .build(),
                null);
        BuildContext cold = BuildContext.builder().contextDir(d).build();
        BuildContext warm = BuildContext.builder()
                .contextDir(d)
                .cacheFrom(List.of("type=registry,ref=" + cache))
                .build();
        List<Long> withCache = new ArrayList<>();
        List<Long> without = new ArrayList<>();
        int[] cached = new int[2];
        for (int r = 0; r < o.rounds(); r++) {
            pair(r, () -> withCache.add(coldBuilder(warm, cached)), () -> without.add(coldBuilder(cold, null)));
        }
        add(result(
                "S8",
                "ephemeral agent: empty builder with a registry cache (mode=max) against without",
                withCache,
                without,
                "second column: the same build on an empty builder without cacheFrom (both the engine; the builder's"
                        + " cache pruned before each build); with the cache " + cached[0] + " of " + cached[1]
                        + " steps cached; three `RUN sleep 1` steps",
                "ratio < 0.5",
                ratio(withCache, without) < 0.5));
    }

    /** One build on an emptied builder; {@code cached} gets its cached and total steps. */
    private long coldBuilder(BuildContext ctx, int[] cached) {
        engine.pruneBuildCache(PruneOptions.builder().all(true).build());
        long t0 = System.nanoTime();
        BuildResult r = engine.build(ctx, null);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (cached != null) {
            cached[0] = r.metrics().stepsCached();
            cached[1] = r.metrics().stepsTotal();
        }
        return ms;
    }

    // ---- building ----

    private static final String S3_STEPS = "COPY . /ctx\nRUN du -s /ctx\n";

    private interface Step {
        void run() throws Exception;
    }

    /** One round: engine then CLI on even rounds, CLI then engine on odd ones. */
    private static void pair(int round, Step engineSide, Step cliSide) throws Exception {
        if (round % 2 == 0) {
            engineSide.run();
            cliSide.run();
        } else {
            cliSide.run();
            engineSide.run();
        }
    }

    private static BuildContext ctx(Path dir, boolean noCache) {
        return BuildContext.builder().contextDir(dir).noCache(noCache).build();
    }

    private long engineBuild(Path dir, boolean noCache) {
        long t0 = System.nanoTime();
        BuildResult r = engine.build(ctx(dir, noCache), null);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        images.add(r.imageId());
        return ms;
    }

    private long cliBuild(Path dir, boolean noCache) throws IOException, InterruptedException {
        if (target.isBuildkitd()) {
            return buildctl(dir, noCache);
        }
        List<String> cmd = new ArrayList<>(List.of(target.docker(), "build", "-q"));
        if (noCache) {
            cmd.add("--no-cache");
        }
        cmd.add(dir.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("DOCKER_BUILDKIT", "1");
        env.put("DOCKER_HOST", endpoint.host().toString());
        if (target.dockerConfig() != null) {
            env.put("DOCKER_CONFIG", target.dockerConfig()); // where the 26 CLI's buildx plugin is
        }
        long t0 = System.nanoTime();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int rc = p.waitFor();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (rc != 0) {
            throw new IllegalStateException("docker build " + dir + " failed (" + rc + "): " + out);
        }
        synchronized (images) {
            images.add(out.lines().reduce((a, b) -> b).orElse(""));
        }
        return ms;
    }

    /** {@code buildctl build} of {@code dir} with the image exporter, as the engine's default build exports. */
    private long buildctl(Path dir, boolean noCache) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                target.buildctl(),
                "--addr",
                target.buildkitd(),
                "build",
                "--progress",
                "quiet",
                "--frontend",
                "dockerfile.v0",
                "--local",
                "context=" + dir,
                "--local",
                "dockerfile=" + dir,
                "--output",
                "type=image"));
        if (noCache) {
            cmd.add("--no-cache");
        }
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int rc = p.waitFor();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (rc != 0) {
            throw new IllegalStateException("buildctl build " + dir + " failed (" + rc + "): " + out);
        }
        return ms;
    }

    /**
     * The base image of a buildkitd target, which cannot pull from the internet: the host's static busybox with its
     * applets, built there and pushed to the local registry it pulls from.
     */
    private void makeBuildkitdBase() throws IOException {
        Path d = fresh("buildkitd-base");
        Files.copy(Path.of("/bin/busybox"), d.resolve("busybox"));
        Files.writeString(
                d.resolve("Dockerfile"),
                "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n");
        engine.build(
                BuildContext.builder().contextDir(d).tag(baseImage).push(true).build(), null);
    }

    private static String expect(BufferedReader from, String prefix) throws IOException {
        for (String line = from.readLine(); line != null; line = from.readLine()) {
            if (line.startsWith(prefix + " ")) {
                return line;
            }
            if (line.startsWith("error ")) {
                throw new IllegalStateException("S6 child: " + line);
            }
        }
        throw new IllegalStateException("S6 child ended before '" + prefix + "'");
    }

    // ---- contexts ----

    private Path small(String name, int seed) throws IOException {
        Path d = fresh(name);
        Files.writeString(
                d.resolve("Dockerfile"),
                String.join(
                        "\n",
                        "FROM " + baseImage,
                        "COPY app/ /app/",
                        "RUN cat /app/* | md5sum > /sum && ls -la /app > /listing",
                        "RUN echo built-" + seed + " > /marker",
                        ""));
        for (int i = 0; i < 5; i++) {
            Files.writeString(
                    Files.createDirectories(d.resolve("app")).resolve("file" + i + ".txt"),
                    ("seed " + seed + " file " + i + "\n").repeat(20));
        }
        return d;
    }

    private Path big(String name, long bytes, int files, String steps) throws IOException {
        Path d = o.work().resolve(name);
        Path stamp = d.resolve(".bench-size");
        String want = bytes + "/" + files;
        if (!(Files.exists(stamp) && Files.readString(stamp).equals(want))) {
            d = fresh(name);
            int size = (int) (bytes / files);
            byte[] buf = new byte[size];
            new Random(bytes).nextBytes(buf);
            for (int i = 0; i < files; i++) {
                Path f = Files.createDirectories(d.resolve(String.format(Locale.ROOT, "d%03d", i / 50)))
                        .resolve(String.format(Locale.ROOT, "f%04d.bin", i));
                buf[0] = (byte) i;
                buf[buf.length - 1] = (byte) (i >> 8);
                Files.write(f, buf);
            }
            Files.writeString(stamp, want);
        }
        Files.writeString(d.resolve("marker.txt"), "marker\n");
        Files.writeString(d.resolve(".dockerignore"), ".bench-size\n");
        Files.writeString(d.resolve("Dockerfile"), "FROM " + baseImage + "\n" + steps);
        return d;
    }

    private Path fresh(String name) throws IOException {
        Path d = o.work().resolve(name);
        deleteTree(d);
        return Files.createDirectories(d);
    }

    private static void touchAll(Path dir) throws IOException {
        FileTime now = FileTime.from(Instant.now());
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    Files.setLastModifiedTime(p, now);
                }
            }
        }
    }

    private static void deleteTree(Path d) throws IOException {
        if (!Files.exists(d)) {
            return;
        }
        try (Stream<Path> s = Files.walk(d)) {
            for (Path p :
                    s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }

    private void cleanUp() {
        if (target.isBuildkitd()) {
            engine.close(); // its images are the buildkitd's cache, left to its own collection
            return;
        }
        // Images only; the build cache is shared with others and left to the daemon's own collection.
        try (var client = new DaemonClient(endpoint, Duration.ofSeconds(5), Duration.ofMinutes(1), 2)) {
            for (String id : new LinkedHashSet<>(images)) {
                if (id != null && id.startsWith("sha256:")) {
                    try {
                        client.delete("/images/" + id + "?force=1");
                    } catch (RuntimeException e) {
                        // shared by several builds, or already gone
                    }
                }
            }
        }
        engine.close();
    }

    // ---- results ----

    private static double ratio(List<Long> e, List<Long> c) {
        return (double) Stats.of(e).median() / Math.max(1, Stats.of(c).median());
    }

    private static Result result(
            String id, String title, List<Long> e, List<Long> c, String notes, String goal, boolean met) {
        return new Result(id, title, Stats.of(e), Stats.of(c), notes, goal, met);
    }

    static String mb(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }

    /** S6's engine side: a JVM with a small heap that builds on command and reports its peak memory. */
    static final class S6Child {
        private S6Child() {}

        static void main(String[] args) throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            try (BuildEngine engine = BuildEngine.builder()
                    .endpoint(DaemonEndpoint.fromEnvironment(System.getenv()))
                    .backend(Backend.BUILDKIT)
                    .build()) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("build ")) {
                        try {
                            long t0 = System.nanoTime();
                            BuildResult r = engine.build(ctx(Path.of(line.substring(6)), true), null);
                            long ms = (System.nanoTime() - t0) / 1_000_000;
                            System.out.println("ms " + ms + " " + r.metrics().contextBytes() + " " + r.imageId());
                        } catch (RuntimeException e) {
                            System.out.println("error " + e.getMessage().replace('\n', ' '));
                        }
                    } else if (line.equals("quit")) {
                        break;
                    }
                    System.out.flush();
                }
            }
            long heap = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    heap += pool.getPeakUsage().getUsed();
                }
            }
            System.out.println("peak " + vmHwmKb() + " " + heap + " "
                    + Runtime.getRuntime().maxMemory());
            System.out.flush();
        }

        private static long vmHwmKb() {
            try {
                for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (l.startsWith("VmHWM:")) {
                        return Long.parseLong(l.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux
            }
            return 0;
        }
    }
}
