package io.jenkins.plugins.containerbuild.engine.controlapi;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import io.jenkins.plugins.containerbuild.engine.api.BuilderBuild;
import io.jenkins.plugins.containerbuild.engine.api.BuilderEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.DaemonUnreachableException;
import io.jenkins.plugins.containerbuild.engine.api.PruneOptions;
import io.jenkins.plugins.containerbuild.engine.api.PruneResult;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.BuildHistoryEvent;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.BuildHistoryEventType;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.BuildHistoryRecord;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.BuildHistoryRequest;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.DiskUsageRequest;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.DiskUsageResponse;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.InfoRequest;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.InfoResponse;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.ListWorkersRequest;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.ListWorkersResponse;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.Platform;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.PruneRequest;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.SolveRequest;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.SolveResponse;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.StatusResponse;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.Timestamp;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.UsageRecord;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.WorkerRecord;
import io.jenkins.plugins.containerbuild.engine.session.GrpcMethods;
import io.jenkins.plugins.containerbuild.engine.session.SessionProvider;
import io.jenkins.plugins.containerbuild.engine.session.StreamSession;
import io.jenkins.plugins.containerbuild.engine.session.content.proto.ReadContentRequest;
import io.jenkins.plugins.containerbuild.engine.session.content.proto.ReadContentResponse;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A client of BuildKit's own API, {@code moby.buildkit.v1.Control}, as a standalone buildkitd serves it on a unix
 * socket or over TCP (with mutual TLS when the endpoint has a TLS directory). Answers what the builder is, its
 * workers, its build cache, and prunes it. Thread-safe; close it to release its connection.
 */
public final class ControlApiClient implements AutoCloseable {
    private static final String SERVICE = "moby.buildkit.v1.Control";
    private static final MethodDescriptor<InfoRequest, InfoResponse> INFO =
            GrpcMethods.unary(SERVICE, "Info", InfoRequest.getDefaultInstance(), InfoResponse.getDefaultInstance());
    private static final MethodDescriptor<ListWorkersRequest, ListWorkersResponse> LIST_WORKERS = GrpcMethods.unary(
            SERVICE, "ListWorkers", ListWorkersRequest.getDefaultInstance(), ListWorkersResponse.getDefaultInstance());
    private static final MethodDescriptor<DiskUsageRequest, DiskUsageResponse> DISK_USAGE = GrpcMethods.unary(
            SERVICE, "DiskUsage", DiskUsageRequest.getDefaultInstance(), DiskUsageResponse.getDefaultInstance());
    private static final MethodDescriptor<PruneRequest, UsageRecord> PRUNE = GrpcMethods.serverStreaming(
            SERVICE, "Prune", PruneRequest.getDefaultInstance(), UsageRecord.getDefaultInstance());
    private static final MethodDescriptor<ReadContentRequest, ReadContentResponse> READ_CONTENT =
            GrpcMethods.serverStreaming(
                    "containerd.services.content.v1.Content",
                    "Read",
                    ReadContentRequest.getDefaultInstance(),
                    ReadContentResponse.getDefaultInstance());
    /** The largest blob {@link #readContent} reads: manifests and configs are a few KiB. */
    private static final int MAX_CONTENT = 4 * 1024 * 1024;

    private static final MethodDescriptor<BuildHistoryRequest, BuildHistoryEvent> LISTEN_BUILD_HISTORY =
            GrpcMethods.serverStreaming(
                    SERVICE,
                    "ListenBuildHistory",
                    BuildHistoryRequest.getDefaultInstance(),
                    BuildHistoryEvent.getDefaultInstance());

    private static final String BUILDER = "the builder";
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PRUNE_TIMEOUT = Duration.ofMinutes(30);

    /** One worker of the builder: its id and the platforms it builds. */
    public record Worker(String id, List<String> platforms) {
        public Worker {
            platforms = List.copyOf(platforms);
        }
    }

    private final String endpoint;
    private final String kind;
    private final boolean unix;
    private final boolean tls;
    private final String tlsSource;
    private final ManagedChannel channel;

    private ControlApiClient(
            String endpoint, String kind, boolean unix, boolean tls, String tlsSource, ManagedChannel channel) {
        this.endpoint = endpoint;
        this.kind = kind;
        this.unix = unix;
        this.tls = tls;
        this.tlsSource = tlsSource;
        this.channel = channel;
    }

    /**
     * A client of the builder at {@code endpoint}; the connection is made by the first call.
     *
     * @throws DaemonUnreachableException when the TLS material cannot be read, or a unix socket does not exist
     */
    public static ControlApiClient connect(BuilderEndpoint endpoint, Duration connectTimeout) {
        if (!endpoint.socketExists()) {
            throw new DaemonUnreachableException(
                    BUILDER,
                    endpoint.toString(),
                    "socket " + endpoint.socketPath() + " does not exist (is buildkitd running?)",
                    null);
        }
        try {
            return new ControlApiClient(
                    endpoint.toString(),
                    "buildkitd",
                    endpoint.isUnixSocket(),
                    endpoint.usesTls(),
                    endpoint.tlsDir() != null ? endpoint.tlsDir().toString() : "the client certificate credential",
                    ControlChannels.open(endpoint, connectTimeout));
        } catch (IOException e) {
            throw new DaemonUnreachableException(BUILDER, endpoint.toString(), e.getMessage(), e);
        }
    }

    /**
     * A client of the BuildKit built into the Docker daemon at {@code endpoint}, reached by upgrading a connection to
     * its API ({@code POST /grpc}); the connection is made by the first call.
     *
     * @throws DaemonUnreachableException when the TLS material cannot be read, or a unix socket does not exist
     */
    public static ControlApiClient throughDocker(DaemonEndpoint endpoint, Duration connectTimeout) {
        if (!endpoint.socketExists()) {
            throw new DaemonUnreachableException(
                    "the Docker daemon",
                    endpoint.toString(),
                    "socket " + endpoint.socketPath() + " does not exist (is dockerd running?)",
                    null);
        }
        try {
            return new ControlApiClient(
                    endpoint.toString(),
                    "Docker daemon",
                    endpoint.isUnixSocket(),
                    endpoint.usesTls(),
                    String.valueOf(endpoint.tlsCertDir()),
                    ControlChannels.openThroughDocker(endpoint, connectTimeout));
        } catch (IOException e) {
            throw new DaemonUnreachableException("the Docker daemon", endpoint.toString(), e.getMessage(), e);
        }
    }

    /** The builder's address, as given. */
    public String endpoint() {
        return endpoint;
    }

    /** What to call the builder in messages: {@code the buildkitd at …} or {@code the Docker daemon at …}. */
    public String describe() {
        return "the " + kind + " at " + endpoint;
    }

    /** The builder's BuildKit version, e.g. {@code v0.13.2}; {@code unknown} for releases before the Info call. */
    public String version() {
        try {
            return call(() -> ClientCalls.blockingUnaryCall(
                            channel, INFO, options(QUERY_TIMEOUT), InfoRequest.getDefaultInstance()))
                    .getBuildkitVersion()
                    .getVersion();
        } catch (BuildException e) {
            if (e.getCause() instanceof StatusRuntimeException s
                    && s.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                return "unknown";
            }
            throw e;
        }
    }

    /** The builder's workers, with the platforms each builds (e.g. {@code linux/amd64}). */
    public List<Worker> workers() {
        ListWorkersResponse r = call(() -> ClientCalls.blockingUnaryCall(
                channel, LIST_WORKERS, options(QUERY_TIMEOUT), ListWorkersRequest.getDefaultInstance()));
        List<Worker> out = new ArrayList<>();
        for (WorkerRecord w : r.getRecordList()) {
            List<String> platforms = new ArrayList<>();
            for (Platform p : w.getPlatformsList()) {
                platforms.add(
                        p.getOS() + "/" + p.getArchitecture() + (p.getVariant().isEmpty() ? "" : "/" + p.getVariant()));
            }
            out.add(new Worker(w.getID(), platforms));
        }
        return out;
    }

    /** Bytes and record count of the build cache: {@code [bytes, records]}. */
    public long[] usage() {
        DiskUsageResponse r = call(() -> ClientCalls.blockingUnaryCall(
                channel, DISK_USAGE, options(QUERY_TIMEOUT), DiskUsageRequest.getDefaultInstance()));
        long bytes = 0;
        for (UsageRecord u : r.getRecordList()) {
            bytes += u.getSize();
        }
        return new long[] {bytes, r.getRecordCount()};
    }

    /**
     * A blob of the builder's content store (a manifest, an index, a config), which a buildkitd serves read-only
     * beside its Control API.
     *
     * @throws BuildException when the builder does not have it, or it is larger than 4 MiB
     */
    public byte[] readContent(String digest) {
        return call(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Iterator<ReadContentResponse> it = ClientCalls.blockingServerStreamingCall(
                    channel,
                    READ_CONTENT,
                    options(QUERY_TIMEOUT),
                    ReadContentRequest.newBuilder().setDigest(digest).build());
            while (it.hasNext()) {
                ReadContentResponse r = it.next();
                if (out.size() + r.getData().size() > MAX_CONTENT) {
                    throw new BuildException("the blob " + digest + " on " + describe() + " is larger than 4 MiB");
                }
                out.writeBytes(r.getData().toByteArray());
            }
            return out.toByteArray();
        });
    }

    /**
     * The builds the builder remembers ({@code ListenBuildHistory}, asked to end after the records it has), oldest
     * first.
     *
     * @throws BuildException naming the builder when it keeps no history (BuildKit before v0.11, as in Docker 20.10)
     */
    public List<BuilderBuild> history() {
        try {
            return call(() -> {
                Map<String, BuilderBuild> byRef = new LinkedHashMap<>();
                Iterator<BuildHistoryEvent> it = ClientCalls.blockingServerStreamingCall(
                        channel,
                        LISTEN_BUILD_HISTORY,
                        options(QUERY_TIMEOUT),
                        BuildHistoryRequest.newBuilder().setEarlyExit(true).build());
                while (it.hasNext()) {
                    BuildHistoryEvent e = it.next();
                    if (e.getType() == BuildHistoryEventType.DELETED) {
                        byRef.remove(e.getRecord().getRef());
                    } else if (e.hasRecord()) {
                        byRef.put(e.getRecord().getRef(), build(e.getRecord()));
                    }
                }
                List<BuilderBuild> out = new ArrayList<>(byRef.values());
                out.sort(Comparator.comparing(BuilderBuild::createdAt));
                return out;
            });
        } catch (BuildException e) {
            if (e.getCause() instanceof StatusRuntimeException s
                    && s.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                throw new BuildException(
                        describe() + " keeps no build history (its BuildKit is older than v0.11; Docker 23 and later"
                                + " and a standalone buildkitd keep one)",
                        e);
            }
            throw e;
        }
    }

    private static BuilderBuild build(BuildHistoryRecord r) {
        return new BuilderBuild(
                r.getRef(),
                r.getFrontend(),
                instant(r.getCreatedAt()),
                r.hasCompletedAt() ? instant(r.getCompletedAt()) : null,
                r.hasError() && r.getError().getCode() != 0 ? r.getError().getMessage() : null,
                r.getNumCachedSteps(),
                r.getNumTotalSteps());
    }

    private static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    /** Removes build cache records, as {@code buildctl prune} does; returns what was removed. */
    public PruneResult prune(PruneOptions options) {
        PruneRequest.Builder req = PruneRequest.newBuilder().setAll(options.all());
        options.filters().forEach((k, v) -> req.addFilter(k + "==" + v));
        if (options.keepStorageBytes() > 0) {
            req.setReservedSpace(options.keepStorageBytes());
        }
        return call(() -> {
            List<String> deleted = new ArrayList<>();
            long reclaimed = 0;
            Iterator<UsageRecord> it =
                    ClientCalls.blockingServerStreamingCall(channel, PRUNE, options(PRUNE_TIMEOUT), req.build());
            while (it.hasNext()) {
                UsageRecord u = it.next();
                deleted.add(u.getID());
                reclaimed += u.getSize();
            }
            return new PruneResult(deleted, reclaimed);
        });
    }

    /**
     * Runs one build with the frontend {@code request} names, serving {@code providers} on a session carried
     * inside the call (the file sync's directories, secrets, SSH, registry auth), and sends the build's progress to
     * {@code status} as it comes. Returns the exporters' response ({@code containerimage.digest}, ...).
     *
     * @param request the solve, without its session id (set here)
     */
    public Map<String, String> solve(
            SolveRequest request, List<SessionProvider> providers, String sharedKey, Consumer<StatusResponse> status)
            throws IOException {
        return solve(request, providers, sharedKey, status, cancel -> {});
    }

    /**
     * As {@link #solve(SolveRequest, List, String, Consumer)}; {@code onStart} receives what cancels the solve
     * (closing it cancels the call, and BuildKit stops the build).
     */
    public Map<String, String> solve(
            SolveRequest request,
            List<SessionProvider> providers,
            String sharedKey,
            Consumer<StatusResponse> status,
            Consumer<Closeable> onStart)
            throws IOException {
        ControlSolve.CarriedOutbound outbound = new ControlSolve.CarriedOutbound();
        try (StreamSession session = StreamSession.open(providers, sharedKey, outbound)) {
            ControlSolve.carry(channel, session, outbound);
            ControlSolve.follow(channel, request.getRef(), status);
            SolveRequest withSession =
                    request.toBuilder().setSession(session.id()).build();
            ListenableFuture<SolveResponse> solve =
                    ClientCalls.futureUnaryCall(channel.newCall(ControlSolve.SOLVE, CallOptions.DEFAULT), withSession);
            onStart.accept(() -> solve.cancel(true));
            return await(solve).getExporterResponseMap();
        }
    }

    private SolveResponse await(ListenableFuture<SolveResponse> solve) {
        try {
            return solve.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException s) {
                throw failure(s);
            }
            throw new BuildException("the solve on " + describe() + " failed: " + e.getCause(), e);
        } catch (CancellationException e) {
            throw failure(Status.CANCELLED.withDescription("cancelled").asRuntimeException());
        } catch (InterruptedException e) {
            solve.cancel(true);
            Thread.currentThread().interrupt();
            throw failure(Status.CANCELLED.withDescription("interrupted").asRuntimeException());
        }
    }

    private static CallOptions options(Duration timeout) {
        return CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            throw failure(e);
        }
    }

    /** An error that names the builder and, for the usual TLS mistakes, the fix. */
    private BuildException failure(StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        String detail = e.getStatus().getDescription() == null
                ? code.toString()
                : e.getStatus().getDescription();
        if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
            return new DaemonUnreachableException(BUILDER, endpoint, detail + tlsHint(e), e);
        }
        return new BuildException(describe() + " answered " + code + ": " + detail, e);
    }

    private String tlsHint(StatusRuntimeException e) {
        StringBuilder causes = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            causes.append(' ')
                    .append(t.getMessage())
                    .append(' ')
                    .append(t.getClass().getSimpleName());
        }
        String c = causes.toString().toLowerCase(Locale.ROOT);
        boolean tlsTrouble = c.contains("ssl")
                || c.contains("handshake")
                || c.contains("certificate")
                || c.contains("closed")
                || c.contains("reset");
        if (unix || !tlsTrouble) {
            return "";
        }
        return tls
                ? " (the TLS handshake failed: check that the builder trusts the client certificate in " + tlsSource
                        + " and that its ca.pem signed the builder's certificate)"
                : " (if the builder requires mutual TLS, give the directory of ca.pem, cert.pem and key.pem:"
                        + " --builder-tls-dir; in Jenkins: builderCredentialsId)";
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
