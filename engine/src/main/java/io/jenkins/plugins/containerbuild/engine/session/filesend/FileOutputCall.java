package io.jenkins.plugins.containerbuild.engine.session.filesend;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.jenkins.plugins.containerbuild.engine.session.filesend.proto.BytesMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** One file output's call: {@code BytesMessage} chunks appended to the staged file until the builder ends. */
final class FileOutputCall extends ServerCall.Listener<byte[]> {
    private final ServerCall<byte[], byte[]> call;
    private final OutputTarget target;
    private final Path part;
    private final OutputStaging staging;
    private final AtomicLong bytesReceived;
    private OutputStream out;
    private boolean ended;

    FileOutputCall(
            ServerCall<byte[], byte[]> call,
            OutputTarget target,
            Path part,
            OutputStaging staging,
            AtomicLong bytesReceived) {
        this.call = call;
        this.target = target;
        this.part = part;
        this.staging = staging;
        this.bytesReceived = bytesReceived;
    }

    @Override
    public void onMessage(byte[] frame) {
        if (ended) {
            return;
        }
        try {
            BytesMessage m = BytesMessage.parseFrom(frame);
            if (out == null) {
                out = Files.newOutputStream(part);
            }
            m.getData().writeTo(out);
            bytesReceived.addAndGet(m.getData().size());
            call.request(1);
        } catch (InvalidProtocolBufferException e) {
            fail(Status.INVALID_ARGUMENT.withDescription("not a file chunk: " + e.getMessage()));
        } catch (IOException e) {
            fail(Status.INTERNAL.withDescription("cannot write " + target + ": " + e.getMessage()));
        }
    }

    @Override
    public void onHalfClose() {
        if (ended) {
            return;
        }
        try {
            if (out == null) {
                out = Files.newOutputStream(part); // an empty output is still an output
            }
            out.close();
            ended = true;
            staging.completed(target, part);
            call.close(Status.OK, new Metadata());
        } catch (IOException e) {
            fail(Status.INTERNAL.withDescription("cannot write " + target + ": " + e.getMessage()));
        }
    }

    @Override
    public void onCancel() {
        if (!ended) {
            ended = true;
            closeQuietly();
            staging.discard(part);
        }
    }

    private void fail(Status status) {
        ended = true;
        closeQuietly();
        staging.discard(part);
        call.close(status, new Metadata());
    }

    private void closeQuietly() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            // the part is removed anyway
        }
    }
}
