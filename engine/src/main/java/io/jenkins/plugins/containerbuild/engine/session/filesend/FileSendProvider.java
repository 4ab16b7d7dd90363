package io.jenkins.plugins.containerbuild.engine.session.filesend;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.jenkins.plugins.containerbuild.engine.session.GrpcMethods;
import io.jenkins.plugins.containerbuild.engine.session.SessionProvider;
import io.jenkins.plugins.containerbuild.engine.session.filesend.proto.BytesMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * BuildKit's {@code moby.filesync.v1.FileSend}: the builder sends each file output (the {@code oci}, {@code docker}
 * and {@code tar} exporters) as one {@code DiffCopy} call of byte chunks. Each is written to a hidden file beside its
 * destination and moved into place when the builder ends the call, so a failed or cancelled build leaves no partial
 * output. Newer builders name the exporter in the {@code buildkit-attachable-exporter-id} header; without it the
 * calls take the destinations in order.
 */
public final class FileSendProvider implements SessionProvider {
    public static final String SERVICE = "moby.filesync.v1.FileSend";
    private static final MethodDescriptor<BytesMessage, BytesMessage> DIFF_COPY =
            GrpcMethods.bidi(SERVICE, "DiffCopy", BytesMessage.getDefaultInstance(), BytesMessage.getDefaultInstance());
    private static final Metadata.Key<String> EXPORTER_ID =
            Metadata.Key.of("buildkit-attachable-exporter-id", Metadata.ASCII_STRING_MARSHALLER);

    private final List<Path> destinations;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong bytesReceived = new AtomicLong();

    /**
     * @param destinations the files the outputs go to, in the order of the build's file exporters
     */
    public FileSendProvider(List<Path> destinations) {
        this.destinations = List.copyOf(destinations);
    }

    @Override
    public ServerServiceDefinition service() {
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(DIFF_COPY, this::start)
                .build();
    }

    /** Bytes written to the outputs so far. */
    public long bytesReceived() {
        return bytesReceived.get();
    }

    private ServerCall.Listener<BytesMessage> start(ServerCall<BytesMessage, BytesMessage> call, Metadata headers) {
        int id = exporterId(headers);
        if (id < 0 || id >= destinations.size()) {
            call.close(Status.NOT_FOUND.withDescription("no file output " + id), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        Path dest = destinations.get(id);
        Path part = dest.resolveSibling("." + dest.getFileName() + ".partial-" + UUID.randomUUID());
        OutputStream out;
        try {
            Files.createDirectories(dest.toAbsolutePath().getParent());
            out = Files.newOutputStream(part);
        } catch (IOException e) {
            call.close(Status.INTERNAL.withDescription("cannot write " + dest + ": " + e.getMessage()), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        call.sendHeaders(new Metadata());
        call.request(1);
        return new Receiver(call, out, part, dest);
    }

    private int exporterId(Metadata headers) {
        String given = headers.get(EXPORTER_ID);
        if (given == null) {
            return next.getAndIncrement();
        }
        try {
            return Integer.parseInt(given.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** One output's call: chunks to the hidden file, then the move into place. */
    private final class Receiver extends ServerCall.Listener<BytesMessage> {
        private final ServerCall<BytesMessage, BytesMessage> call;
        private final OutputStream out;
        private final Path part;
        private final Path dest;
        private boolean failed;

        Receiver(ServerCall<BytesMessage, BytesMessage> call, OutputStream out, Path part, Path dest) {
            this.call = call;
            this.out = out;
            this.part = part;
            this.dest = dest;
        }

        @Override
        public void onMessage(BytesMessage m) {
            if (failed) {
                return;
            }
            try {
                m.getData().writeTo(out);
                bytesReceived.addAndGet(m.getData().size());
                call.request(1);
            } catch (IOException e) {
                discard();
                call.close(
                        Status.INTERNAL.withDescription("cannot write " + dest + ": " + e.getMessage()),
                        new Metadata());
            }
        }

        @Override
        public void onHalfClose() {
            if (failed) {
                return;
            }
            try {
                out.close();
                Files.move(part, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                call.close(Status.OK, new Metadata());
            } catch (IOException e) {
                discard();
                call.close(
                        Status.INTERNAL.withDescription("cannot write " + dest + ": " + e.getMessage()),
                        new Metadata());
            }
        }

        @Override
        public void onCancel() {
            discard();
        }

        private void discard() {
            failed = true;
            try {
                out.close();
            } catch (IOException e) {
                // being discarded anyway
            }
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                // nothing more can be done; the name is hidden and unique
            }
        }
    }
}
