package io.jenkins.plugins.containerbuild.engine.session.filesync;

import io.grpc.InternalMetadata;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.jenkins.plugins.containerbuild.engine.context.ContextTree;
import io.jenkins.plugins.containerbuild.engine.context.DockerIgnore;
import io.jenkins.plugins.containerbuild.engine.session.SessionProvider;
import io.jenkins.plugins.containerbuild.engine.session.filesync.proto.Packet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code moby.filesync.v1.FileSync/DiffCopy}: serves directories by name ({@code context}, {@code dockerfile})
 * to the daemon, which keeps a copy of each per session shared key and asks only for the regular files that
 * are new or changed since its copy. The frames are {@code fsutil.types.Packet}: one STAT per entry, an
 * end-of-stats STAT, then DATA chunks for each requested file, and a FIN handshake.
 *
 * <p>The daemon's request metadata {@code dir-name}, {@code include-patterns}, {@code exclude-patterns},
 * {@code followpaths} and {@code override-excludes} are applied during the walk. A directory's own rules
 * (the context's .dockerignore, keeping the Dockerfile and .dockerignore) take the place of the daemon's
 * exclude patterns unless it asks to override them, as the docker CLI does; so the synced context holds
 * exactly what the context tar would.
 */
public final class FileSyncProvider implements SessionProvider {
    public static final String SERVICE = "moby.filesync.v1.FileSync";
    /** The bidi stream; the frames are Packets, whatever the service definition names them. */
    public static final MethodDescriptor<Packet, Packet> DIFF_COPY = MethodDescriptor.<Packet, Packet>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "DiffCopy"))
            .setRequestMarshaller(ProtoUtils.marshaller(Packet.getDefaultInstance()))
            .setResponseMarshaller(ProtoUtils.marshaller(Packet.getDefaultInstance()))
            .build();

    /** Metadata keys the daemon sends, each possibly repeated. */
    static final String DIR_NAME = "dir-name";

    static final String INCLUDE_PATTERNS = "include-patterns";
    static final String EXCLUDE_PATTERNS = "exclude-patterns";
    static final String FOLLOW_PATHS = "followpaths";
    static final String OVERRIDE_EXCLUDES = "override-excludes";

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Map<String, ContextTree> dirs;
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicInteger calls = new AtomicInteger();
    private final Set<DiffCopyCall> running = ConcurrentHashMap.newKeySet();

    /**
     * @param dirs the directories to serve, by the name the daemon asks for
     */
    public FileSyncProvider(Map<String, ContextTree> dirs) {
        this.dirs = Map.copyOf(Objects.requireNonNull(dirs, "dirs"));
    }

    @Override
    public ServerServiceDefinition service() {
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(DIFF_COPY, this::start)
                .build();
    }

    /** Bytes of file contents sent so far (what the daemon asked for; stats not counted). */
    public long bytesSent() {
        return bytesSent.get();
    }

    /** How many DiffCopy calls the daemon made. */
    public int calls() {
        return calls.get();
    }

    private ServerCall.Listener<Packet> start(ServerCall<Packet, Packet> call, Metadata headers) {
        calls.incrementAndGet();
        List<String> names = values(headers, DIR_NAME);
        if (names.size() != 1) {
            call.close(
                    Status.INVALID_ARGUMENT.withDescription("expected one " + DIR_NAME + ", got " + names),
                    new Metadata());
            return new ServerCall.Listener<>() {};
        }
        String name = names.get(0);
        ContextTree tree = dirs.get(name);
        if (tree == null) {
            call.close(
                    Status.NOT_FOUND.withDescription("no directory named '" + name + "' is served by this session"
                            + " (served: " + dirs.keySet() + ")"),
                    new Metadata());
            return new ServerCall.Listener<>() {};
        }
        List<DockerIgnore> filters;
        try {
            filters = filters(tree, headers);
        } catch (IllegalArgumentException e) {
            call.close(
                    Status.INVALID_ARGUMENT.withDescription("bad patterns for '" + name + "': " + e.getMessage()),
                    new Metadata());
            return new ServerCall.Listener<>() {};
        }
        DiffCopyCall c = new DiffCopyCall(call, tree, filters, bytesSent, running::remove);
        running.add(c);
        // REQ packets are tiny and at most one per file: take them all as they come.
        call.request(Integer.MAX_VALUE);
        Thread t = new Thread(c, "buildkit-filesync-" + name + "-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        c.start(t);
        return c;
    }

    /** The rule sets a DiffCopy request asks for, combined with the directory's own. */
    static List<DockerIgnore> filters(ContextTree tree, Metadata headers) {
        List<DockerIgnore> filters = new ArrayList<>();
        boolean override = values(headers, OVERRIDE_EXCLUDES).stream().anyMatch("true"::equalsIgnoreCase);
        List<String> excludes = values(headers, EXCLUDE_PATTERNS);
        if (tree.rules().isPresent() && !override) {
            filters.add(tree.rules().get());
        } else if (!excludes.isEmpty()) {
            filters.add(DockerIgnore.parse(excludes));
        }
        List<String> includes = new ArrayList<>(values(headers, INCLUDE_PATTERNS));
        includes.addAll(values(headers, FOLLOW_PATHS));
        if (!includes.isEmpty()) {
            filters.add(includeRules(includes));
        }
        return filters;
    }

    /** Include patterns as ignore rules: everything excluded, then each pattern an exception. */
    static DockerIgnore includeRules(List<String> includes) {
        List<String> lines = new ArrayList<>();
        lines.add("*");
        for (String p : includes) {
            if (!p.isBlank()) {
                lines.add("!" + p);
            }
        }
        return DockerIgnore.parse(lines);
    }

    private static final InternalMetadata.TrustedAsciiMarshaller<String> UTF8 =
            new InternalMetadata.TrustedAsciiMarshaller<>() {
                @Override
                public byte[] toAsciiString(String value) {
                    return value.getBytes(StandardCharsets.UTF_8);
                }

                @Override
                public String parseAsciiString(byte[] serialized) {
                    return new String(serialized, StandardCharsets.UTF_8);
                }
            };

    static List<String> values(Metadata headers, String key) {
        Iterable<String> all = headers.getAll(InternalMetadata.keyOf(key, UTF8));
        List<String> out = new ArrayList<>();
        if (all != null) {
            all.forEach(out::add);
        }
        return out;
    }

    /** Stops the calls still running (the session is ending) and waits briefly for their threads. */
    @Override
    public void close() {
        for (DiffCopyCall c : List.copyOf(running)) {
            c.abort();
        }
    }
}
