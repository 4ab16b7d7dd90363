package io.jenkins.plugins.containerbuild.engine.session.content;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.jenkins.plugins.containerbuild.engine.session.content.proto.WriteAction;
import io.jenkins.plugins.containerbuild.engine.session.content.proto.WriteContentRequest;
import io.jenkins.plugins.containerbuild.engine.session.content.proto.WriteContentResponse;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@code Write} stream of the content service: a blob received into its own hidden file, hashed as it comes,
 * and moved into the store only when its size and digest are what the writer said (containerd's semantics: a
 * {@code STAT} reports progress, {@code WRITE} appends, {@code COMMIT} verifies and stores; a blob the store holds
 * already is {@code ALREADY_EXISTS}, which the writer takes as done).
 */
final class ContentWriteCall implements StreamObserver<WriteContentRequest> {
    private final OciLayoutStore store;
    private final StreamObserver<WriteContentResponse> out;
    private final AtomicLong bytesWritten;
    private final Timestamp started = now();
    private Path file;
    private FileChannel channel;
    private MessageDigest sha256 = newDigest();
    private long offset;
    private long total;
    private String expected = "";
    private boolean done;

    /** @param store where the blob goes; null when the call was refused already */
    ContentWriteCall(OciLayoutStore store, StreamObserver<WriteContentResponse> out, AtomicLong bytesWritten) {
        this.store = store;
        this.out = out;
        this.bytesWritten = bytesWritten;
        this.done = store == null;
    }

    @Override
    public void onNext(WriteContentRequest r) {
        if (done) {
            return;
        }
        try {
            if (!r.getExpected().isEmpty()) {
                expected = r.getExpected();
                if (store.size(expected) >= 0) {
                    fail(Status.ALREADY_EXISTS.withDescription("content " + expected + " already exists"));
                    return;
                }
            }
            if (r.getTotal() > 0) {
                total = r.getTotal();
            }
            switch (r.getAction()) {
                case STAT -> out.onNext(response(WriteAction.STAT));
                case WRITE -> {
                    append(r);
                    out.onNext(response(WriteAction.WRITE));
                }
                case COMMIT -> commit(r);
                default -> fail(Status.INVALID_ARGUMENT.withDescription("unknown write action " + r.getAction()));
            }
        } catch (IllegalArgumentException e) {
            fail(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
        } catch (IOException e) {
            fail(Status.INTERNAL.withDescription("cannot write to " + store.root() + ": " + e.getMessage()));
        } catch (StatusRuntimeException e) {
            fail(e.getStatus());
        }
    }

    private void append(WriteContentRequest r) throws IOException {
        if (r.getData().isEmpty()) {
            return;
        }
        if (r.getOffset() != offset) {
            if (r.getOffset() != 0) {
                throw Status.OUT_OF_RANGE
                        .withDescription("write at " + r.getOffset() + ", expected " + offset + " or 0")
                        .asRuntimeException();
            }
            // A writer may start over from zero.
            channel().truncate(0);
            sha256 = newDigest();
            offset = 0;
        }
        var data = r.getData().asReadOnlyByteBuffer();
        sha256.update(data.duplicate());
        while (data.hasRemaining()) {
            channel().write(data);
        }
        offset += r.getData().size();
        bytesWritten.addAndGet(r.getData().size());
    }

    private void commit(WriteContentRequest r) throws IOException {
        append(r);
        String digest = "sha256:" + HexFormat.of().formatHex(sha256.digest());
        if (total > 0 && offset != total) {
            fail(Status.FAILED_PRECONDITION.withDescription(
                    "unexpected commit size " + offset + ", expected " + total));
            return;
        }
        if (!expected.isEmpty() && !expected.equals(digest)) {
            fail(Status.FAILED_PRECONDITION.withDescription(
                    "unexpected commit digest " + digest + ", expected " + expected));
            return;
        }
        channel().force(false);
        channel.close();
        channel = null;
        store.commit(file, digest);
        file = null;
        out.onNext(response(WriteAction.COMMIT).toBuilder().setDigest(digest).build());
        done = true;
        out.onCompleted();
    }

    private FileChannel channel() throws IOException {
        if (channel == null) {
            file = store.newIngestFile();
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
        }
        return channel;
    }

    private WriteContentResponse response(WriteAction action) {
        return WriteContentResponse.newBuilder()
                .setAction(action)
                .setStartedAt(started)
                .setUpdatedAt(now())
                .setOffset(offset)
                .setTotal(total)
                .build();
    }

    private void fail(Status status) {
        done = true;
        cleanUp();
        out.onError(status.asRuntimeException());
    }

    @Override
    public void onError(Throwable t) {
        done = true;
        cleanUp();
    }

    @Override
    public void onCompleted() {
        cleanUp();
        if (!done) {
            done = true;
            out.onCompleted();
        }
    }

    private void cleanUp() {
        try {
            if (channel != null) {
                channel.close();
            }
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // the ingest directory is removed with the store's ingest files at the build's end
        } finally {
            channel = null;
            file = null;
        }
    }

    private static Timestamp now() {
        Instant t = Instant.now();
        return Timestamp.newBuilder()
                .setSeconds(t.getEpochSecond())
                .setNanos(t.getNano())
                .build();
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
