package io.jenkins.plugins.containerbuild.engine.controlapi;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.BytesMessage;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.SolveRequest;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.SolveResponse;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.StatusRequest;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.StatusResponse;
import io.jenkins.plugins.containerbuild.engine.session.GrpcMethods;
import io.jenkins.plugins.containerbuild.engine.session.StreamSession;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One solve on BuildKit's Control API: the session carried inside {@code Control/Session} (announced with the
 * {@code x-docker-expose-session-*} metadata), the {@code Status} stream of the build's ref, and the {@code Solve}
 * call itself, which returns when the build is done.
 */
final class ControlSolve {
    static final String SERVICE = "moby.buildkit.v1.Control";
    static final MethodDescriptor<BytesMessage, BytesMessage> SESSION =
            GrpcMethods.bidi(SERVICE, "Session", BytesMessage.getDefaultInstance(), BytesMessage.getDefaultInstance());
    static final MethodDescriptor<SolveRequest, SolveResponse> SOLVE =
            GrpcMethods.unary(SERVICE, "Solve", SolveRequest.getDefaultInstance(), SolveResponse.getDefaultInstance());
    static final MethodDescriptor<StatusRequest, StatusResponse> STATUS = GrpcMethods.serverStreaming(
            SERVICE, "Status", StatusRequest.getDefaultInstance(), StatusResponse.getDefaultInstance());
    private static final String HEADER = "x-docker-expose-session-";

    private ControlSolve() {}

    /** Holds the session's outgoing bytes until the carrying call exists, then passes them on. */
    static final class CarriedOutbound implements StreamSession.Outbound {
        private final List<byte[]> early = new ArrayList<>();
        private StreamObserver<BytesMessage> call;
        private boolean finished;

        @Override
        public synchronized void send(byte[] chunk) {
            if (call == null) {
                early.add(chunk);
            } else {
                call.onNext(BytesMessage.newBuilder()
                        .setData(ByteString.copyFrom(chunk))
                        .build());
            }
        }

        @Override
        public synchronized void finish() {
            finished = true;
            if (call != null) {
                call.onCompleted();
            }
        }

        synchronized void attach(StreamObserver<BytesMessage> requests) {
            call = requests;
            early.forEach(this::send);
            early.clear();
            if (finished) {
                requests.onCompleted();
            }
        }
    }

    /** Opens the carrying call for {@code session}; bytes from the builder go into the session. */
    static void carry(Channel channel, StreamSession session, CarriedOutbound outbound) {
        Metadata headers = new Metadata();
        headers.put(key("uuid"), session.id());
        headers.put(key("name"), session.name());
        headers.put(key("sharedkey"), session.sharedKey());
        session.methods().forEach(m -> headers.put(key("grpc-method"), m));
        Channel withHeaders = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
        StreamObserver<BytesMessage> requests = ClientCalls.asyncBidiStreamingCall(
                withHeaders.newCall(SESSION, CallOptions.DEFAULT), new StreamObserver<>() {
                    @Override
                    public void onNext(BytesMessage m) {
                        session.receive(m.getData().toByteArray());
                    }

                    @Override
                    public void onError(Throwable t) {
                        session.receiveEnd();
                    }

                    @Override
                    public void onCompleted() {
                        session.receiveEnd();
                    }
                });
        outbound.attach(requests);
    }

    /** Follows the build's progress until it ends; errors end the stream quietly (the solve reports them). */
    static void follow(Channel channel, String ref, Consumer<StatusResponse> status) {
        ClientCalls.asyncServerStreamingCall(
                channel.newCall(STATUS, CallOptions.DEFAULT),
                StatusRequest.newBuilder().setRef(ref).build(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(StatusResponse r) {
                        status.accept(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                        // the Solve call carries the build's outcome
                    }

                    @Override
                    public void onCompleted() {}
                });
    }

    private static Metadata.Key<String> key(String suffix) {
        return Metadata.Key.of(HEADER + suffix, Metadata.ASCII_STRING_MARSHALLER);
    }
}
