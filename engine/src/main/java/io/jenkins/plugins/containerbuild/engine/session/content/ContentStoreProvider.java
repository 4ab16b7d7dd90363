package io.jenkins.plugins.containerbuild.engine.session.content;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.jenkins.plugins.containerbuild.engine.session.GrpcMethods;
import io.jenkins.plugins.containerbuild.engine.session.SessionProvider;
import io.jenkins.plugins.containerbuild.engine.session.content.proto.AbortRequest;
import io.jenkins.plugins.containerbuild.engine.session.content.proto.AbortResponse;
import io.jenkins.plugins.containerbuild.engine.session.content.proto.ContentInfo;
import io.jenkins.plugins.containerbuild.engine.session.content.proto.ContentInfoRequest;
import io.jenkins.plugins.containerbuild.engine.session.content.proto.ContentInfoResponse;
import io.jenkins.plugins.containerbuild.engine.session.content.proto.ReadContentRequest;
import io.jenkins.plugins.containerbuild.engine.session.content.proto.ReadContentResponse;
import io.jenkins.plugins.containerbuild.engine.session.content.proto.WriteContentRequest;
import io.jenkins.plugins.containerbuild.engine.session.content.proto.WriteContentResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * containerd's content service served on the session, as BuildKit's local cache exporter and importer ask for it:
 * each call names its store in the {@code buildkit-attachable-store-id} header ({@code local:} and the directory the
 * cache option gave). Import stores are read ({@code Info}, {@code Read}); export stores also take blobs
 * ({@code Write}).
 *
 * <p>After the build, {@link #commit} names the exported cache in each export directory's {@code index.json}; a build
 * that did not get that far is undone by {@link #discard}.
 */
public final class ContentStoreProvider implements SessionProvider {
    public static final String SERVICE = "containerd.services.content.v1.Content";
    /** Where a store id starts for BuildKit's local cache exporter and importer. */
    public static final String LOCAL_PREFIX = "local:";

    private static final Metadata.Key<String> STORE_ID =
            Metadata.Key.of("buildkit-attachable-store-id", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> CALL_STORE = Context.key("content-store-id");
    private static final int CHUNK = 1024 * 1024;

    private static final MethodDescriptor<ContentInfoRequest, ContentInfoResponse> INFO = GrpcMethods.unary(
            SERVICE, "Info", ContentInfoRequest.getDefaultInstance(), ContentInfoResponse.getDefaultInstance());
    private static final MethodDescriptor<ReadContentRequest, ReadContentResponse> READ = GrpcMethods.serverStreaming(
            SERVICE, "Read", ReadContentRequest.getDefaultInstance(), ReadContentResponse.getDefaultInstance());
    private static final MethodDescriptor<WriteContentRequest, WriteContentResponse> WRITE = GrpcMethods.bidi(
            SERVICE, "Write", WriteContentRequest.getDefaultInstance(), WriteContentResponse.getDefaultInstance());
    private static final MethodDescriptor<AbortRequest, AbortResponse> ABORT =
            GrpcMethods.unary(SERVICE, "Abort", AbortRequest.getDefaultInstance(), AbortResponse.getDefaultInstance());

    private final Map<String, OciLayoutStore> stores = new LinkedHashMap<>();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();

    /**
     * @param stores the caches to serve; each by the id BuildKit asks for ({@code local:} and its directory as the
     *               cache option gave it)
     */
    public ContentStoreProvider(List<OciLayoutStore> stores) {
        for (OciLayoutStore s : stores) {
            this.stores.put(LOCAL_PREFIX + s.root(), s);
        }
    }

    @Override
    public ServerServiceDefinition service() {
        ServerServiceDefinition plain = ServerServiceDefinition.builder(SERVICE)
                .addMethod(INFO, ServerCalls.asyncUnaryCall(this::info))
                .addMethod(READ, ServerCalls.asyncServerStreamingCall(this::read))
                .addMethod(WRITE, ServerCalls.asyncBidiStreamingCall(this::write))
                .addMethod(ABORT, ServerCalls.asyncUnaryCall((AbortRequest r, StreamObserver<AbortResponse> o) -> {
                    // Every write receives into its own file, removed when its stream ends: nothing to abort.
                    o.onNext(AbortResponse.getDefaultInstance());
                    o.onCompleted();
                }))
                .build();
        return ServerInterceptors.intercept(plain, new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                String id = headers.get(STORE_ID);
                return Contexts.interceptCall(Context.current().withValue(CALL_STORE, id), call, headers, next);
            }
        });
    }

    /** Blob bytes the builder wrote into export directories. */
    public long bytesWritten() {
        return bytesWritten.get();
    }

    /** Blob bytes the builder read from import directories. */
    public long bytesRead() {
        return bytesRead.get();
    }

    /**
     * Names the exported cache in each export directory; call it once the build succeeded.
     *
     * @param cacheManifest the exporter response's {@code cache.manifest} (the cache manifest's descriptor), or null
     *                      when the builder exported none
     * @throws IOException when an export directory cannot be updated, or the builder reported no cache
     */
    public void commit(String cacheManifest) throws IOException {
        for (OciLayoutStore s : stores.values()) {
            if (s.writable()) {
                if (cacheManifest == null || cacheManifest.isEmpty()) {
                    throw new IOException("the builder reported no cache manifest for " + s.root());
                }
                s.tag("latest", cacheManifest);
            }
        }
    }

    /** Removes what an export that was not committed added; call it when the build is over, whatever its end. */
    public void discard() {
        stores.values().forEach(s -> {
            if (s.writable()) {
                s.rollBack();
            }
        });
    }

    private OciLayoutStore store() {
        String id = CALL_STORE.get();
        OciLayoutStore s = id == null ? null : stores.get(id);
        if (s == null) {
            throw Status.NOT_FOUND
                    .withDescription("no content store " + id + " on this session")
                    .asRuntimeException();
        }
        return s;
    }

    private void info(ContentInfoRequest r, StreamObserver<ContentInfoResponse> out) {
        try {
            long size = store().size(r.getDigest());
            if (size < 0) {
                out.onError(Status.NOT_FOUND
                        .withDescription("content " + r.getDigest() + " not found")
                        .asRuntimeException());
                return;
            }
            out.onNext(ContentInfoResponse.newBuilder()
                    .setInfo(ContentInfo.newBuilder().setDigest(r.getDigest()).setSize(size))
                    .build());
            out.onCompleted();
        } catch (IllegalArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        } catch (RuntimeException e) {
            out.onError(e);
        }
    }

    private void read(ReadContentRequest r, StreamObserver<ReadContentResponse> out) {
        try {
            OciLayoutStore s = store();
            long size = s.size(r.getDigest());
            if (size < 0) {
                out.onError(Status.NOT_FOUND
                        .withDescription("content " + r.getDigest() + " not found")
                        .asRuntimeException());
                return;
            }
            long offset = Math.max(0, r.getOffset());
            long end = r.getSize() <= 0 ? size : Math.min(size, offset + r.getSize());
            try (InputStream in = Files.newInputStream(s.blob(r.getDigest()))) {
                in.skipNBytes(offset);
                while (offset < end) {
                    byte[] chunk = in.readNBytes((int) Math.min(CHUNK, end - offset));
                    out.onNext(ReadContentResponse.newBuilder()
                            .setOffset(offset)
                            .setData(ByteString.copyFrom(chunk))
                            .build());
                    offset += chunk.length;
                    bytesRead.addAndGet(chunk.length);
                }
            }
            out.onCompleted();
        } catch (IllegalArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        } catch (IOException e) {
            out.onError(Status.INTERNAL
                    .withDescription("cannot read: " + e.getMessage())
                    .asRuntimeException());
        } catch (RuntimeException e) {
            out.onError(e);
        }
    }

    private StreamObserver<WriteContentRequest> write(StreamObserver<WriteContentResponse> out) {
        OciLayoutStore s;
        try {
            s = store();
        } catch (RuntimeException e) {
            out.onError(e);
            return new ContentWriteCall(null, out, bytesWritten);
        }
        if (!s.writable()) {
            out.onError(Status.PERMISSION_DENIED
                    .withDescription(s.root() + " is a cache to import, not to write")
                    .asRuntimeException());
            return new ContentWriteCall(null, out, bytesWritten);
        }
        return new ContentWriteCall(s, out, bytesWritten);
    }
}
