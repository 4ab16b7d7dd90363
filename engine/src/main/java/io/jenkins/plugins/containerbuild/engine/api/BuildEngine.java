package io.jenkins.plugins.containerbuild.engine.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;

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
public interface BuildEngine extends AutoCloseable {

    /** A builder with the defaults: the daemon of {@code DOCKER_HOST}, backend AUTO. */
    static Builder builder() {
        return new Builder();
    }

    /** The daemon this engine talks to. */
    DaemonEndpoint endpoint();

    /**
     * Builds the image described by {@code ctx}, sending progress to {@code listener} as it
     * happens, and returns when the daemon is done.
     *
     * @throws InvalidBuildContextException bad input, found before the daemon is contacted
     * @throws BuildFailedException         the build ran and failed, or was cancelled or timed out
     *                                      ({@link BuildFailedException#metrics()} tells which)
     * @throws DaemonUnreachableException   the daemon could not be reached or stopped answering
     */
    BuildResult build(BuildContext ctx, BuildListener listener);

    /**
     * Starts a build on the engine's workers (at most {@code maxParallelBuilds} run at once).
     * Cancelling the returned future cancels the daemon's build.
     */
    CompletableFuture<BuildResult> buildAsync(BuildContext ctx, BuildListener listener);

    /**
     * Runs several builds, at most {@link BatchOptions#maxParallel()} at once, and returns one
     * outcome per context in input order. Progress events carry each build's id.
     */
    default List<BatchOutcome> buildBatch(List<BuildContext> contexts, BatchOptions options, BuildListener listener) {
        BuildListener out = listener == null ? BuildListener.none() : listener;
        return buildBatchIndexed(contexts, options, (i, p) -> out.onProgress(p));
    }

    /** Like {@link #buildBatch}, telling the listener which input each event is for. */
    List<BatchOutcome> buildBatchIndexed(List<BuildContext> contexts, BatchOptions options, BatchListener listener);

    /**
     * Cancels a running build: the daemon is asked to stop it and the build ends with status
     * {@link BuildStatus#CANCELLED}. An unknown or finished id is ignored.
     */
    void cancel(String buildId);

    /** The builds running now, with their latest progress. */
    List<ActiveBuild> activeBuilds();

    /** The last builds this engine ran (and those loaded from its history file), oldest first. */
    List<HistoryEntry> history();

    /**
     * The builds the builder itself remembers, whichever client ran them, oldest first: BuildKit's build history of
     * the standalone buildkitd, or of the Docker daemon's BuildKit (reached through its BuildKit API).
     *
     * @throws BuildException naming the builder when it keeps none (Docker 20.10's BuildKit v0.8)
     */
    List<BuilderBuild> builderHistory();

    /** Statistics over {@link #history()} and the daemon's build cache usage. */
    CacheStats cacheStats();

    /** Removes build cache records from the daemon. */
    PruneResult pruneBuildCache(PruneOptions options);

    /**
     * Writes exactly the context tar a build of {@code ctx} would send to the classic builder (same filter, same
     * order; a BuildKit build leaves out a {@code .dockerignore} that excludes itself).
     */
    long exportBuildContext(BuildContext ctx, OutputStream out) throws IOException;

    /**
     * Checks a Dockerfile without the daemon: errors are what the daemon would refuse, warnings
     * what may surprise. Each problem has a line, a column and a fix.
     */
    List<DockerfileProblem> validateDockerfile(Path dockerfile, String target) throws IOException;

    /** The backend AUTO stands for on this daemon (pings it once): PODMAN, BUILDKIT or CLASSIC. */
    Backend resolveBackend();

    /** Pings the daemon; throws {@link DaemonUnreachableException} naming the host when it does not answer. */
    void ping();

    /**
     * Releases the engine's threads and connections. Running builds are cancelled; builds still queued by
     * {@link #buildAsync} end with a {@link BuildException} saying the engine was closed.
     */
    @Override
    void close();

    /** Builder for {@link BuildEngine}; every setter checks its value. */
    final class Builder {
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
        private BuilderEndpoint builder;

        private Builder() {}

        /**
         * A standalone buildkitd (unix:// or tcp://, with mutual TLS when the endpoint has a TLS directory) to build
         * on through BuildKit's own API instead of the Docker daemon; {@link #pruneBuildCache} and
         * {@link #cacheStats} then work on its cache too (default: none, the daemon's builder). Images stay in the
         * buildkitd (pushed with {@link BuildContext#push()}); the Docker daemon is not used at all.
         */
        public Builder builder(BuilderEndpoint v) {
            builder = v;
            return this;
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

        /** The settings this builder holds. */
        public EngineSettings settings() {
            return new EngineSettings(
                    endpoint != null ? endpoint : DaemonEndpoint.fromEnvironment(System.getenv()),
                    backend,
                    connectTimeout,
                    readIdleTimeout,
                    buildTimeout,
                    maxParallelBuilds,
                    historySize,
                    historyFile,
                    contextTransport,
                    builder,
                    nodeId);
        }

        /** An engine made by the engine core found beside this class (see {@link BuildEngineProvider}). */
        public BuildEngine build() {
            BuildEngineProvider provider = ServiceLoader.load(
                            BuildEngineProvider.class, BuildEngine.class.getClassLoader())
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "no " + BuildEngineProvider.class.getName() + " in META-INF/services beside "
                                    + BuildEngine.class.getName() + ": the engine jar is incomplete"));
            return provider.create(settings());
        }
    }
}
