package io.jenkins.plugins.containerbuild.engine.session.filesend;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.jenkins.plugins.containerbuild.engine.session.GrpcMethods;
import io.jenkins.plugins.containerbuild.engine.session.SessionProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * BuildKit's {@code moby.filesync.v1.FileSend}: the builder sends each output meant for this machine as one
 * {@code DiffCopy} call: a file output ({@code oci}, {@code docker}, {@code tar}) as byte chunks, a {@code local}
 * output as a file sync stream of the tree. The call names its exporter by position in the
 * {@code buildkit-attachable-exporter-id} header (builders without it send one output, or take them in order).
 *
 * <p>Outputs are staged beside their destinations and moved into place by {@link #commit()} once the build
 * succeeded; {@link #discard()} removes whatever was not. The session's end leaves them staged: the build decides.
 */
public final class FileSendProvider implements SessionProvider {
    public static final String SERVICE = "moby.filesync.v1.FileSend";
    private static final MethodDescriptor<byte[], byte[]> DIFF_COPY = GrpcMethods.bidiBytes(SERVICE, "DiffCopy");
    private static final Metadata.Key<String> EXPORTER_ID =
            Metadata.Key.of("buildkit-attachable-exporter-id", Metadata.ASCII_STRING_MARSHALLER);

    private final Map<Integer, OutputTarget> targets;
    private final List<Integer> order;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final OutputStaging staging = new OutputStaging();

    /**
     * @param targets where each output goes, by the position of its exporter in the build's exporters
     */
    public FileSendProvider(Map<Integer, OutputTarget> targets) {
        this.targets = Map.copyOf(targets);
        this.order = new ArrayList<>(new TreeMap<>(targets).keySet());
    }

    @Override
    public ServerServiceDefinition service() {
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(DIFF_COPY, this::start)
                .build();
    }

    /** Bytes of output received so far. */
    public long bytesReceived() {
        return bytesReceived.get();
    }

    /**
     * Moves every output into place; call it once the build succeeded.
     *
     * @throws IOException when an output never arrived or cannot be moved into place
     */
    public void commit() throws IOException {
        staging.commit(targets.values());
    }

    /** Removes the outputs not moved into place; call it when the build is over, whatever its end. */
    public void discard() {
        staging.close();
    }

    private ServerCall.Listener<byte[]> start(ServerCall<byte[], byte[]> call, Metadata headers) {
        OutputTarget target = targets.get(exporterIndex(headers));
        if (target == null) {
            call.close(
                    Status.NOT_FOUND.withDescription("no output for exporter " + headers.get(EXPORTER_ID)),
                    new Metadata());
            return new ServerCall.Listener<>() {};
        }
        Path part;
        try {
            part = staging.newPart(target);
        } catch (IOException e) {
            call.close(
                    Status.INTERNAL.withDescription("cannot write " + target + ": " + e.getMessage()), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        call.sendHeaders(new Metadata());
        call.request(1);
        return target.directory()
                ? new DirectoryOutputCall(call, target, part, staging, bytesReceived)
                : new FileOutputCall(call, target, part, staging, bytesReceived);
    }

    private int exporterIndex(Metadata headers) {
        String given = headers.get(EXPORTER_ID);
        if (given == null) {
            int n = next.getAndIncrement();
            return n < order.size() ? order.get(n) : -1;
        }
        try {
            return Integer.parseInt(given.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
