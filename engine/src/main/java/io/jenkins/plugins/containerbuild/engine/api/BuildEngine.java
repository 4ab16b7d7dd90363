package io.jenkins.plugins.containerbuild.engine.api;

import io.jenkins.plugins.containerbuild.engine.build.BackendOutcome;
import io.jenkins.plugins.containerbuild.engine.build.BatchRunner;
import io.jenkins.plugins.containerbuild.engine.build.BuildBackend;
import io.jenkins.plugins.containerbuild.engine.build.BuildHandle;
import io.jenkins.plugins.containerbuild.engine.build.BuildRun;
import io.jenkins.plugins.containerbuild.engine.build.ImageFacts;
import io.jenkins.plugins.containerbuild.engine.build.PushRunner;
import io.jenkins.plugins.containerbuild.engine.buildkit.BuildKitBackend;
import io.jenkins.plugins.containerbuild.engine.classic.ClassicBackend;
import io.jenkins.plugins.containerbuild.engine.context.ContextArchive;
import io.jenkins.plugins.containerbuild.engine.context.ContextTree;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonApiException;
import io.jenkins.plugins.containerbuild.engine.dockerfile.DockerfileValidator;
import io.jenkins.plugins.containerbuild.engine.daemon.BuildCacheApi;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonProfile;
import io.jenkins.plugins.containerbuild.engine.dockerfile.Frontend;
import io.jenkins.plugins.containerbuild.engine.history.BuildHistory;
import io.jenkins.plugins.containerbuild.engine.podman.PodmanBackend;
import io.jenkins.plugins.containerbuild.engine.session.BuildSession;
import io.jenkins.plugins.containerbuild.engine.session.SecretMasker;
import io.jenkins.plugins.containerbuild.engine.session.SessionProvider;
import io.jenkins.plugins.containerbuild.engine.session.filesync.FileSyncProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Builds container images against one Docker daemon. Thread-safe; make one per daemon, reuse it,
 * then {@link #close()} it (which cancels what still runs and releases its threads and connections).
 *
 * <pre>{@code
 * try (BuildEngine engine = BuildEngine.builder().build()) {
 *     BuildResult r = engine.build(BuildContext.builder().contextDir(Path.of(".")).tag("app:1").build(),
 *             progress -> System.out.println(progress.vertexName() + " " + progress.message()));
 * }
 * }</pre>
 */
public final class BuildEngine implements AutoCloseable {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final DaemonEndpoint endpoint;
    private final Backend backend;
    private final DaemonClient daemon;
    private final BuildCacheApi cacheApi;
    private final BuildHistory history;
    private final Duration buildTimeout;
    private final Duration sessionTimeout;
    private final ContextTransport contextTransport;
    private final String nodeId;
    private volatile boolean fileSyncRefused;
    private final Map<String, BuildHandle> active = new ConcurrentHashMap<>();
    private final Map<String, AtomicBoolean> pushRuns = new ConcurrentHashMap<>();
    private final ExecutorService executor;
    private final ScheduledExecutorService timers;
    private final int maxParallelBuilds;
    private volatile Backend resolvedAuto;
    private volatile DaemonProfile profile;

    private BuildEngine(Builder b) {
        this.endpoint = b.endpoint != null ? b.endpoint : DaemonEndpoint.fromEnvironment(System.getenv());
        this.backend = b.backend;
        this.daemon = new DaemonClient(endpoint, b.connectTimeout, b.readIdleTimeout, Math.max(8, b.maxParallelBuilds * 2));
        this.cacheApi = new BuildCacheApi(daemon);
        this.history = new BuildHistory(b.historySize, b.historyFile);
        this.buildTimeout = b.buildTimeout;
        this.maxParallelBuilds = b.maxParallelBuilds;
        this.sessionTimeout = b.connectTimeout;
        this.contextTransport = b.contextTransport;
        this.nodeId = b.nodeId != null ? b.nodeId : SharedKeys.defaultNodeId();
        this.executor = Executors.newFixedThreadPool(b.maxParallelBuilds, r -> daemonThread(r, "container-build-worker-"));
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "container-build-timer-"));
    }

    private static Thread daemonThread(Runnable r, String prefix) {
        Thread t = new Thread(r, prefix + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The daemon this engine talks to. */
    public DaemonEndpoint endpoint() {
        return endpoint;
    }

    /**
     * Builds the image described by {@code ctx}, sending progress to {@code listener} as it
     * happens, and returns when the daemon is done.
     *
     * @throws InvalidBuildContextException bad input, found before the daemon is contacted
     * @throws BuildFailedException         the build ran and failed, or was cancelled or timed out
     *                                      ({@link BuildFailedException#metrics()} tells which)
     * @throws DaemonUnreachableException   the daemon could not be reached or stopped answering
     */
    public BuildResult build(BuildContext ctx, BuildListener listener) {
        return build(newBuildId(), ctx, listener, buildTimeout);
    }

    /**
     * Starts a build on the engine's workers (at most {@code maxParallelBuilds} run at once).
     * Cancelling the returned future cancels the daemon's build.
     */
    public CompletableFuture<BuildResult> buildAsync(BuildContext ctx, BuildListener listener) {
        return startAsync(newBuildId(), ctx, listener, buildTimeout).done();
    }

    private BatchRunner.Started startAsync(String buildId, BuildContext ctx, BuildListener listener, Duration timeout) {
        Objects.requireNonNull(ctx, "ctx");
        CompletableFuture<BuildResult> future = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                BuildEngine.this.cancel(buildId);
                return super.cancel(mayInterruptIfRunning);
            }
        };
        executor.execute(new AsyncBuild(future, () -> build(buildId, ctx, listener, timeout)));
        return new BatchRunner.Started(buildId, future);
    }

    /** A queued {@link #buildAsync} build; {@link #close()} completes those it never ran. */
    private record AsyncBuild(CompletableFuture<BuildResult> future, Supplier<BuildResult> build)
            implements Runnable {
        @Override
        public void run() {
            if (future.isDone()) {
                return;
            }
            try {
                future.complete(build.get());
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        }
    }

    /**
     * Runs several builds, at most {@link BatchOptions#maxParallel()} at once, and returns one
     * outcome per context in input order. Progress events carry each build's id.
     */
    public List<BatchOutcome> buildBatch(List<BuildContext> contexts, BatchOptions options, BuildListener listener) {
        BuildListener out = listener == null ? BuildListener.none() : listener;
        return buildBatchIndexed(contexts, options, (i, p) -> out.onProgress(p));
    }

    /** Like {@link #buildBatch(List, BatchOptions, BuildListener)}, telling the listener which input each event is for. */
    public List<BatchOutcome> buildBatchIndexed(List<BuildContext> contexts, BatchOptions options,
            BatchListener listener) {
        Objects.requireNonNull(options, "options");
        BatchListener batchOut = listener == null ? (i, p) -> { } : listener;
        Duration timeout = options.timeout() != null ? options.timeout() : buildTimeout;
        BatchRunner runner = new BatchRunner((i, ctx) -> {
            String buildId = newBuildId();
            // One thread per running build of the batch, so the batch's own limit applies, not the engine's.
            BuildListener out = p -> batchOut.onProgress(i, p);
            CompletableFuture<BuildResult> f = CompletableFuture.supplyAsync(() -> build(buildId, ctx, out, timeout),
                    r -> daemonThread(r, "container-build-batch-").start());
            return new BatchRunner.Started(buildId, f);
        }, this::cancel);
        return runner.run(List.copyOf(contexts), options);
    }

    /**
     * Cancels a running build: the daemon is asked to stop it and the build ends with status
     * {@link BuildStatus#CANCELLED}. An unknown or finished id is ignored.
     */
    public void cancel(String buildId) {
        cancel(buildId, "cancelled by request");
    }

    private void cancel(String buildId, String reason) {
        Objects.requireNonNull(buildId, "buildId");
        AtomicBoolean pushRun = pushRuns.get(buildId);
        if (pushRun != null) {
            pushRun.set(true);
        }
        // A multi-platform build runs one daemon build per platform, with ids "<buildId>-<os>-<arch>[-<variant>]":
        // exactly those, not every id that happens to start with the given text.
        for (Platform p : Platform.values()) {
            cancelOne(buildId + PushRunner.suffix(p), reason);
        }
        cancelOne(buildId, reason);
    }

    private void cancelOne(String buildId, String reason) {
        BuildHandle h = active.get(buildId);
        if (h == null) {
            return;
        }
        h.markCancelled(reason);
        // On a thread of its own: a daemon that hangs must hold up neither the caller nor the timer thread,
        // which runs every build's timeout; closing the stream below ends the build here in any case.
        daemonThread(() -> {
            try {
                cacheApi.cancel(buildId);
            } catch (RuntimeException e) {
                // the daemon may be gone
            }
        }, "container-build-cancel-").start();
        if (resolveBackend() == Backend.CLASSIC || resolveBackend() == Backend.PODMAN) {
            // The classic builder and Podman's stop when their client goes away.
            h.abortStream();
        } else {
            // BuildKit ends the stream with "context canceled"; close it ourselves if it does not soon.
            timers.schedule(h::abortStream, 10, TimeUnit.SECONDS);
        }
    }

    /** The builds running now, with their latest progress. */
    public List<ActiveBuild> activeBuilds() {
        List<ActiveBuild> out = new ArrayList<>();
        active.values().forEach(h -> out.add(h.snapshot()));
        out.sort(Comparator.comparing(ActiveBuild::startedAt));
        return out;
    }

    /** The last builds this engine ran (and those loaded from its history file), oldest first. */
    public List<HistoryEntry> history() {
        return history.entries();
    }

    /** Statistics over {@link #history()} and the daemon's build cache usage. */
    public CacheStats cacheStats() {
        List<HistoryEntry> h = history.entries();
        long hits = 0;
        long misses = 0;
        List<Long> durations = new ArrayList<>();
        for (HistoryEntry e : h) {
            hits += e.stepsCached();
            misses += e.stepsTotal() - e.stepsCached();
            durations.add(e.durationMillis());
        }
        durations.sort(Long::compare);
        long avg = durations.isEmpty() ? 0 : Math.round(durations.stream().mapToLong(Long::longValue).average().orElse(0));
        long p95 = durations.isEmpty() ? 0 : durations.get((int) Math.ceil(0.95 * durations.size()) - 1);
        long[] usage = cacheApi.usage();
        return new CacheStats(h.size(), hits, misses, Duration.ofMillis(avg), Duration.ofMillis(p95), usage[0],
                (int) usage[1]);
    }

    /** Removes build cache records from the daemon. */
    public PruneResult pruneBuildCache(PruneOptions options) {
        Objects.requireNonNull(options, "options");
        if (resolveBackend() == Backend.PODMAN) {
            throw new BuildException("Podman's service has no build cache API (POST /build/prune answers 404): its"
                    + " cache is the intermediate images of earlier builds; remove them with 'podman image prune'");
        }
        return cacheApi.prune(options);
    }

    /**
     * Writes exactly the context tar a build of {@code ctx} would send to the classic builder (same filter, same
     * order; a BuildKit build leaves out a {@code .dockerignore} that excludes itself).
     */
    public long exportBuildContext(BuildContext ctx, OutputStream out) throws IOException {
        return ContextArchive.of(ctx).writeTo(out);
    }

    /**
     * Checks a Dockerfile without the daemon: errors are what the daemon would refuse, warnings
     * what may surprise. Each problem has a line, a column and a fix.
     */
    public List<DockerfileProblem> validateDockerfile(Path dockerfile, String target) throws IOException {
        return DockerfileValidator.validate(dockerfile, target);
    }

    /**
     * Refuses a Dockerfile with errors before anything reaches the daemon; reports warnings as progress. A
     * BuildKit build is checked against the frontend built into this daemon's BuildKit.
     */
    private void preflight(String buildId, BuildContext ctx, BuildListener out, Backend chosen) {
        Frontend frontend = chosen == Backend.BUILDKIT ? builtInFrontend() : Frontend.DOCKERD_20_10;
        List<DockerfileProblem> problems;
        try {
            problems = DockerfileValidator.validate(ctx.dockerfile(), ctx.target().orElse(null), frontend);
        } catch (IOException e) {
            throw new InvalidBuildContextException("dockerfile", "cannot read " + ctx.dockerfile() + ": " + e.getMessage());
        }
        StringBuilder errors = new StringBuilder();
        for (DockerfileProblem p : problems) {
            String where = ctx.dockerfile().getFileName() + (p.line() > 0 ? ":" + p.line() + ":" + p.column() : "");
            if (p.isError()) {
                errors.append("\n  ").append(where).append(": ").append(p.message());
            } else {
                out.onProgress(new BuildProgress(buildId, BuildProgress.Kind.INFO, 0, 0, 0, "",
                        "warning: " + where + ": " + p.message()));
            }
        }
        if (errors.length() > 0) {
            throw new InvalidBuildContextException("dockerfile", ctx.dockerfile() + " has errors the daemon would refuse:"
                    + errors);
        }
    }

    private String newBuildId() {
        return "cb-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    private BuildResult build(String buildId, BuildContext ctx, BuildListener listener, Duration timeout) {
        Objects.requireNonNull(ctx, "ctx");
        if (ctx.push() || ctx.platforms().size() > 1) {
            PushRunner.check(ctx);
            if (ctx.platforms().size() > 1 && resolveBackend() == Backend.CLASSIC) {
                throw new InvalidBuildContextException("platforms", "a multi-platform build needs BuildKit; the classic"
                        + " builder builds the daemon's own platform only (use backend BUILDKIT, or AUTO on a daemon with BuildKit)");
            }
            // Marked by cancel(buildId): platforms still waiting for a slot then do not start.
            AtomicBoolean cancelled = new AtomicBoolean();
            pushRuns.put(buildId, cancelled);
            try {
                return new PushRunner(daemon, (id, c, l) -> buildOne(id, c, l, timeout), this::cancel, maxParallelBuilds)
                        .run(buildId, ctx, listener == null ? BuildListener.none() : listener, cancelled::get);
            } finally {
                pushRuns.remove(buildId);
            }
        }
        return buildOne(buildId, ctx, listener, timeout);
    }

    /** One daemon build; pushes nothing (a push is done by {@link PushRunner} around it). */
    private BuildResult buildOne(String buildId, BuildContext ctx, BuildListener listener, Duration timeout) {
        Objects.requireNonNull(ctx, "ctx");
        // Registered before anything else, so that a cancel arriving while the build is prepared is not lost.
        BuildHandle handle = new BuildHandle(buildId, ctx);
        active.put(buildId, handle);
        try {
            return prepareAndRun(buildId, ctx, listener == null ? BuildListener.none() : listener, timeout, handle);
        } finally {
            active.remove(buildId);
        }
    }

    private BuildResult prepareAndRun(String buildId, BuildContext ctx, BuildListener out, Duration timeout,
            BuildHandle handle) {
        Backend chosen = resolveBackend();
        preflight(buildId, ctx, out, chosen);
        BuildBackend impl = switch (chosen) {
            case CLASSIC -> new ClassicBackend();
            case PODMAN -> new PodmanBackend();
            default -> new BuildKitBackend();
        };
        if (chosen == Backend.PODMAN) {
            // Never degrade a secret into a build argument, nor let one reach Podman's disk: refuse first.
            PodmanBackend.refuseUnsupported(ctx);
        }
        ContextArchive archive;
        try {
            archive = chosen == Backend.BUILDKIT ? ContextArchive.forBuildKit(ctx) : ContextArchive.of(ctx);
        } catch (IOException e) {
            throw new InvalidBuildContextException("contextDir", "cannot read the build context: " + e.getMessage());
        }
        if (chosen == Backend.CLASSIC && ctx.needsSession()) {
            // Never degrade a secret into a build argument: refuse before anything is sent.
            throw new InvalidBuildContextException("backend", "the classic builder cannot take build secrets, SSH keys"
                    + " or registry credentials; BuildKit is required (use backend BUILDKIT, or AUTO on a daemon with BuildKit)");
        }
        FileSyncProvider sync = chosen == Backend.BUILDKIT && !fileSyncRefused && wantsFileSync(archive)
                ? fileSyncFor(ctx, archive) : null;
        if (chosen == Backend.BUILDKIT && sync == null) {
            refuseTarBody(archive);
        }
        Instant start = Instant.now();
        ScheduledFuture<?> timer = null;
        BackendOutcome outcome;
        if (handle.isCancelled()) {
            // Cancelled while it was being prepared: nothing was sent, no session opened.
            outcome = BackendOutcome.cancelled(handle.cancelReason(), List.of(), 0);
        } else {
            try (SecretMasker masker = SecretMasker.of(ctx);
                    BuildSession session = openSession(ctx, sync, archive)) {
                if (timeout != null) {
                    timer = timers.schedule(() -> cancel(buildId, "timed out after " + timeout), timeout.toMillis(),
                            TimeUnit.MILLISECONDS);
                }
                String sessionId = session == null ? null : session.id();
                BuildRun tarRun = new BuildRun(buildId, ctx, archive.dockerfileName(), archive::writeTo,
                        sessionId, handle.tracking(out), masker::mask, daemon, handle);
                if (sync != null && session != null && session.providers().contains(sync)) {
                    BuildRun syncRun = new BuildRun(buildId, ctx, ctx.dockerfile().toRealPath().getFileName().toString(),
                            archive::writeTo, sessionId, tarRun.listener(), masker::mask, daemon, handle, sync::bytesSent);
                    try {
                        outcome = impl.run(syncRun);
                    } catch (DaemonApiException refused) {
                        // Refused before anything streamed. Only a refusal of the session context itself (a daemon
                        // without client-session contexts) turns the file sync off; any other error is the build's.
                        String why = String.valueOf(refused.getMessage()).toLowerCase(Locale.ROOT);
                        if (!why.contains("session") && !why.contains("local sources")) {
                            throw refused;
                        }
                        fileSyncRefused = true;
                        outcome = impl.run(tarRun);
                    }
                } else {
                    outcome = impl.run(tarRun);
                }
            } catch (IOException e) {
                throw new InvalidBuildContextException("dockerfile", "cannot resolve " + ctx.dockerfile() + ": " + e.getMessage());
            } finally {
                if (timer != null) {
                    timer.cancel(false);
                }
            }
        }
        ImageFacts facts = outcome.status() == BuildStatus.SUCCESS && outcome.imageId() != null
                ? inspectOrNone(outcome.imageId()) : new ImageFacts(0, 0);
        BuildMetrics metrics = BuildMetrics.builder().start(start).end(Instant.now()).status(outcome.status())
                .steps(outcome.steps()).layers(facts.layers()).imageSizeBytes(facts.sizeBytes())
                .contextBytes(outcome.contextBytes()).backend(chosen).error(outcome.error())
                .daemonTime(outcome.daemonTime()).build();
        try {
            history.add(HistoryEntry.of(buildId, outcome.status() == BuildStatus.SUCCESS ? outcome.imageId() : null,
                    ctx.tags(), metrics));
        } catch (UncheckedIOException e) {
            // The history file could not be written: the build's own outcome stands, the file misses one line.
            out.onProgress(new BuildProgress(buildId, BuildProgress.Kind.INFO, 0, 0, 0, "",
                    "warning: " + e.getMessage() + ": " + e.getCause().getMessage()));
        }
        if (outcome.status() != BuildStatus.SUCCESS) {
            throw new BuildFailedException(failureMessage(outcome), outcome.failedStep(), outcome.exitCode(),
                    outcome.lastLines(), metrics);
        }
        return new BuildResult(buildId, outcome.imageId(), ctx.tags(), metrics);
    }

    /** Size and layers of a built image; zeros when the inspect fails (the image may already be gone). */
    private ImageFacts inspectOrNone(String imageId) {
        try {
            return ImageFacts.inspect(daemon, imageId);
        } catch (BuildException e) {
            return new ImageFacts(0, 0);
        }
    }

    /**
     * Whether this build's context goes over the file sync rather than as the tar body: AUTO sends a small
     * context as the tar unless the daemon cannot take a tar there (see {@link #tarBodyProblem}).
     */
    private boolean wantsFileSync(ContextArchive archive) {
        return switch (contextTransport) {
            case FILE_SYNC -> true;
            case TAR -> false;
            case AUTO -> {
                try {
                    // The stat-only walk first: it also finds an unreadable context before anything is registered.
                    boolean small = archive.fitsWithin(ContextTransport.SMALL_CONTEXT_BYTES,
                            ContextTransport.SMALL_CONTEXT_ENTRIES);
                    yield !small || tarBodyProblem(archive) != null;
                } catch (IOException e) {
                    throw new InvalidBuildContextException("contextDir", "cannot read the build context: " + e.getMessage());
                }
            }
        };
    }

    /** Fails a BuildKit build whose context would go as the tar body where that cannot work, before sending. */
    private void refuseTarBody(ContextArchive archive) {
        String problem = tarBodyProblem(archive);
        if (problem != null) {
            throw new InvalidBuildContextException("contextTransport", problem + "; use context transport auto or"
                    + " file-sync (CLI: --context-transport auto), which sends the context over the session's file sync");
        }
    }

    /**
     * Why BuildKit on this daemon cannot build from this context sent as the tar body, or null when it can.
     * The containerd image store's worker cannot fetch the uploaded tar at all (it looks up the host
     * {@code build-context-<id>}); and BuildKit reads the Dockerfile from the tar itself, so a Dockerfile that
     * .dockerignore excludes would land in the image with {@code COPY .}, which {@code docker build} never does.
     */
    private String tarBodyProblem(ContextArchive archive) {
        DaemonProfile daemonProfile = reachableProfile();
        if (daemonProfile != null && daemonProfile.containerdImageStore()) {
            return "the daemon at " + endpoint + " (" + daemonProfile.describe() + ") keeps images in the containerd"
                    + " image store, whose BuildKit worker cannot read a build context sent as the request body";
        }
        if (archive.dockerfileLandsInImage()) {
            return "the Dockerfile is outside the context or excluded by .dockerignore, but BuildKit reads the"
                    + " Dockerfile from a context sent as the request body, so COPY . would put it into the image";
        }
        return null;
    }

    /**
     * The Dockerfile frontend built into the daemon's BuildKit; when the daemon cannot be asked, one of which
     * nothing is known (only what every frontend agrees on is checked: the build itself then says that the
     * daemon is unreachable, or is cancelled, rather than the validator guessing a version).
     */
    private Frontend builtInFrontend() {
        DaemonProfile p = reachableProfile();
        return p != null ? new Frontend(p.describe(), p.buildKitMinor())
                : new Frontend("the daemon at " + endpoint + " (not reachable to ask its version)", Integer.MAX_VALUE);
    }

    /**
     * What the daemon is, or null when it cannot be reached now: the build then fails saying so when it
     * contacts the daemon (or ends as cancelled first), not while it is being prepared.
     */
    private DaemonProfile reachableProfile() {
        try {
            return profile();
        } catch (DaemonUnreachableException | IllegalStateException e) {
            // IllegalStateException: the engine was closed meanwhile (its connections are shut down); the build
            // being prepared is then cancelled.
            return null;
        }
    }

    /** What the daemon is (asked once). */
    private DaemonProfile profile() {
        DaemonProfile p = profile;
        if (p == null) {
            p = daemon.profile();
            profile = p;
        }
        return p;
    }

    /** The file sync serving {@code context} (as the tar would hold it) and the Dockerfile's own folder. */
    private static FileSyncProvider fileSyncFor(BuildContext ctx, ContextArchive archive) {
        try {
            Path dockerfileDir = ctx.dockerfile().toRealPath().getParent();
            return new FileSyncProvider(Map.of("context", archive.tree(), "dockerfile", ContextTree.of(dockerfileDir, null)));
        } catch (IOException e) {
            throw new InvalidBuildContextException("dockerfile", "cannot resolve " + ctx.dockerfile() + ": " + e.getMessage());
        }
    }

    /**
     * The build's session: with the file sync when given (then with a shared key stable for the context
     * directory, so the daemon reuses its copy), and whatever secrets, SSH keys and credentials the build
     * needs. A daemon refusing the session leaves the build on the tar body (null here) unless the build
     * needs the session anyway.
     */
    private BuildSession openSession(BuildContext ctx, FileSyncProvider sync, ContextArchive archive) {
        if (sync == null && !ctx.needsSession()) {
            return null;
        }
        try {
            if (sync == null) {
                return BuildSession.open(endpoint, ctx, sessionTimeout);
            }
            List<SessionProvider> providers = new ArrayList<>(BuildSession.providersFor(ctx));
            providers.add(sync);
            return BuildSession.open(endpoint, providers, SharedKeys.forDirectory(nodeId, archive.tree().root()),
                    sessionTimeout);
        } catch (IOException e) {
            if (sync != null && !ctx.needsSession()) {
                return null;
            }
            throw daemon.unreachable(e);
        }
    }

    private static String failureMessage(BackendOutcome o) {
        if (o.status() == BuildStatus.CANCELLED) {
            return "build " + o.error();
        }
        StringBuilder sb = new StringBuilder("build failed");
        if (o.failedStep() != null) {
            sb.append(" at step '").append(o.failedStep()).append('\'');
        }
        if (o.exitCode() != null) {
            sb.append(" (exit code ").append(o.exitCode()).append(')');
        }
        sb.append(": ").append(o.error());
        if (!o.lastLines().isEmpty()) {
            sb.append("\nlast output of the step:");
            o.lastLines().forEach(l -> sb.append("\n  ").append(l));
        }
        return sb.toString();
    }

    /** The backend AUTO stands for on this daemon (pings it once): PODMAN, BUILDKIT or CLASSIC. */
    public Backend resolveBackend() {
        if (backend != Backend.AUTO) {
            return backend;
        }
        Backend r = resolvedAuto;
        if (r == null) {
            DaemonClient.PingInfo ping = daemon.ping();
            r = ping.isPodman() ? Backend.PODMAN : ping.supportsBuildKit() ? Backend.BUILDKIT : Backend.CLASSIC;
            resolvedAuto = r;
        }
        return r;
    }

    /** Pings the daemon; throws {@link DaemonUnreachableException} naming the host when it does not answer. */
    public void ping() {
        daemon.ping();
    }

    /**
     * Releases the engine's threads and connections. Running builds are cancelled; builds still queued by
     * {@link #buildAsync} end with a {@link BuildException} saying the engine was closed.
     */
    @Override
    public void close() {
        List.copyOf(active.keySet()).forEach(id -> cancel(id, "cancelled: the engine was closed"));
        for (Runnable never : executor.shutdownNow()) {
            if (never instanceof AsyncBuild queued) {
                queued.future().completeExceptionally(
                        new BuildException("the build engine was closed before this build started"));
            }
        }
        timers.shutdownNow();
        daemon.close();
    }

    /** Builder for {@link BuildEngine}. */
    public static final class Builder {
        private DaemonEndpoint endpoint;
        private Backend backend = Backend.AUTO;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readIdleTimeout = Duration.ofMinutes(30);
        private Duration buildTimeout;
        private int maxParallelBuilds = 4;
        private int historySize = 100;
        private Path historyFile;
        private ContextTransport contextTransport = ContextTransport.AUTO;
        private String nodeId;

        private Builder() {
        }

        /**
         * How the context reaches a BuildKit daemon (default {@link ContextTransport#AUTO}: a small context as
         * the tar body, a larger one over the file sync, which falls back to the tar by itself when the daemon
         * refuses it).
         */
        public Builder contextTransport(ContextTransport v) {
            contextTransport = Objects.requireNonNull(v, "contextTransport");
            return this;
        }

        /**
         * Names this client to the daemon's file sync cache: with the context directory's path it makes the
         * session's shared key, so rebuilds of one directory reuse the daemon's copy (default: derived from
         * the host name and user, stable across JVMs).
         */
        public Builder nodeId(String v) {
            nodeId = v;
            return this;
        }

        /** The daemon's address, e.g. {@code unix:///var/run/docker.sock} or {@code tcp://host:2376}; default {@code DOCKER_HOST} or the local socket. */
        public Builder dockerHost(String host) {
            endpoint = DaemonEndpoint.of(host, endpoint == null ? null : endpoint.tlsCertDir());
            return this;
        }

        /** Directory holding ca.pem, cert.pem and key.pem for a TLS daemon. */
        public Builder tlsCertDir(Path dir) {
            DaemonEndpoint e = endpoint != null ? endpoint : DaemonEndpoint.fromEnvironment(System.getenv());
            endpoint = new DaemonEndpoint(e.host(), dir);
            return this;
        }

        public Builder endpoint(DaemonEndpoint v) {
            endpoint = v;
            return this;
        }

        public Builder backend(Backend v) {
            backend = Objects.requireNonNull(v, "backend");
            return this;
        }

        /** How long to wait for a connection to the daemon (default 10 s). */
        public Builder connectTimeout(Duration v) {
            connectTimeout = positive("connectTimeout", v);
            return this;
        }

        /** How long a response may stay silent before the request fails (default 30 min: a RUN may print nothing for long). */
        public Builder readIdleTimeout(Duration v) {
            readIdleTimeout = positive("readIdleTimeout", v);
            return this;
        }

        /** Each build's time limit; on expiry the build is cancelled on the daemon (default none). */
        public Builder buildTimeout(Duration v) {
            buildTimeout = v == null ? null : positive("buildTimeout", v);
            return this;
        }

        /** How many {@link #buildAsync} builds run at once (default 4). */
        public Builder maxParallelBuilds(int v) {
            if (v < 1 || v > 64) {
                throw new InvalidBuildContextException("maxParallelBuilds", "must be between 1 and 64, got " + v);
            }
            maxParallelBuilds = v;
            return this;
        }

        /** How many finished builds {@link #history()} keeps (default 100). */
        public Builder historySize(int v) {
            if (v < 1) {
                throw new InvalidBuildContextException("historySize", "must be at least 1, got " + v);
            }
            historySize = v;
            return this;
        }

        /** A JSON-lines file the history is loaded from and appended to (default: memory only). */
        public Builder historyFile(Path v) {
            historyFile = v;
            return this;
        }

        private static Duration positive(String field, Duration v) {
            if (v == null || v.isNegative() || v.isZero()) {
                throw new InvalidBuildContextException(field, "must be a positive duration, got " + v);
            }
            return v;
        }

        public BuildEngine build() {
            return new BuildEngine(this);
        }
    }
}
