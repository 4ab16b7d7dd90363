package io.jenkins.plugins.containerbuild.engine.api;

import io.jenkins.plugins.containerbuild.engine.build.BackendOutcome;
import io.jenkins.plugins.containerbuild.engine.build.BuildBackend;
import io.jenkins.plugins.containerbuild.engine.build.BuildRun;
import io.jenkins.plugins.containerbuild.engine.build.ImageFacts;
import io.jenkins.plugins.containerbuild.engine.buildkit.BuildKitBackend;
import io.jenkins.plugins.containerbuild.engine.classic.ClassicBackend;
import io.jenkins.plugins.containerbuild.engine.context.ContextArchive;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonEndpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Builds container images against one Docker daemon. Thread-safe; make one per daemon and reuse
 * it, then {@link #close()} it.
 *
 * <pre>{@code
 * try (BuildEngine engine = BuildEngine.builder().build()) {
 *     BuildResult r = engine.build(BuildContext.builder().contextDir(Path.of(".")).tag("app:1").build(),
 *             progress -> System.out.println(progress.vertexName() + " " + progress.message()));
 * }
 * }</pre>
 */
public final class BuildEngine implements AutoCloseable {
    private final DaemonEndpoint endpoint;
    private final Backend backend;
    private final DaemonClient daemon;
    private volatile Backend resolvedAuto;

    private BuildEngine(Builder b) {
        this.endpoint = b.endpoint != null ? b.endpoint : DaemonEndpoint.fromEnvironment(System.getenv());
        this.backend = b.backend;
        this.daemon = new DaemonClient(endpoint, b.connectTimeout, b.readIdleTimeout, b.maxConnections);
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
     * @throws BuildFailedException         the build ran and failed (or was cancelled)
     * @throws DaemonUnreachableException   the daemon could not be reached or stopped answering
     */
    public BuildResult build(BuildContext ctx, BuildListener listener) {
        Objects.requireNonNull(ctx, "ctx");
        BuildListener out = listener == null ? BuildListener.none() : listener;
        String buildId = "cb-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        Backend chosen = resolveBackend();
        BuildBackend impl = chosen == Backend.CLASSIC ? new ClassicBackend() : new BuildKitBackend();
        ContextArchive archive;
        try {
            archive = ContextArchive.of(ctx);
        } catch (IOException e) {
            throw new InvalidBuildContextException("contextDir", "cannot read the build context: " + e.getMessage());
        }
        UnaryOperator<String> masker = UnaryOperator.identity();
        BuildRun run = new BuildRun(buildId, ctx, archive.dockerfileName(), archive::writeTo, null, out, masker, daemon);
        Instant start = Instant.now();
        BackendOutcome outcome = impl.run(run);
        ImageFacts facts = outcome.status() == BuildStatus.SUCCESS && outcome.imageId() != null
                ? ImageFacts.inspect(daemon, outcome.imageId()) : new ImageFacts(0, 0);
        BuildMetrics metrics = BuildMetrics.builder().start(start).end(Instant.now()).status(outcome.status())
                .steps(outcome.steps()).layers(facts.layers()).imageSizeBytes(facts.sizeBytes())
                .contextBytes(outcome.contextBytes()).backend(chosen).error(outcome.error()).build();
        if (outcome.status() != BuildStatus.SUCCESS) {
            throw new BuildFailedException(failureMessage(outcome), outcome.failedStep(), outcome.exitCode(),
                    outcome.lastLines(), metrics);
        }
        return new BuildResult(buildId, outcome.imageId(), ctx.tags(), metrics);
    }

    private static String failureMessage(BackendOutcome o) {
        StringBuilder sb = new StringBuilder(o.status() == BuildStatus.CANCELLED ? "build cancelled" : "build failed");
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

    /** The backend AUTO stands for on this daemon (pings it once). */
    public Backend resolveBackend() {
        if (backend != Backend.AUTO) {
            return backend;
        }
        Backend r = resolvedAuto;
        if (r == null) {
            r = daemon.ping().supportsBuildKit() ? Backend.BUILDKIT : Backend.CLASSIC;
            resolvedAuto = r;
        }
        return r;
    }

    /** Pings the daemon; throws {@link DaemonUnreachableException} naming the host when it does not answer. */
    public void ping() {
        daemon.ping();
    }

    @Override
    public void close() {
        daemon.close();
    }

    /** Builder for {@link BuildEngine}. */
    public static final class Builder {
        private DaemonEndpoint endpoint;
        private Backend backend = Backend.AUTO;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readIdleTimeout = Duration.ofMinutes(30);
        private int maxConnections = 16;

        private Builder() {
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
