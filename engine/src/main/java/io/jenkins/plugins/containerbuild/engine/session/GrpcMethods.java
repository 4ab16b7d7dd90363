package io.jenkins.plugins.containerbuild.engine.session;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Builds method descriptors with protobuf marshallers, so no generated gRPC stubs are needed. */
public final class GrpcMethods {
    private GrpcMethods() {}

    public static <Q extends Message, R extends Message> MethodDescriptor<Q, R> unary(
            String service, String method, Q requestPrototype, R responsePrototype) {
        return of(MethodDescriptor.MethodType.UNARY, service, method, requestPrototype, responsePrototype);
    }

    public static <Q extends Message, R extends Message> MethodDescriptor<Q, R> serverStreaming(
            String service, String method, Q requestPrototype, R responsePrototype) {
        return of(MethodDescriptor.MethodType.SERVER_STREAMING, service, method, requestPrototype, responsePrototype);
    }

    public static <Q extends Message, R extends Message> MethodDescriptor<Q, R> bidi(
            String service, String method, Q requestPrototype, R responsePrototype) {
        return of(MethodDescriptor.MethodType.BIDI_STREAMING, service, method, requestPrototype, responsePrototype);
    }

    /**
     * A bidi stream whose frames stay bytes, for a method whose frames are one message type or another depending on
     * the call (BuildKit's FileSend carries file chunks or file sync packets by the same name).
     */
    public static MethodDescriptor<byte[], byte[]> bidiBytes(String service, String method) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(service, method))
                .setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES)
                .build();
    }

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static <Q extends Message, R extends Message> MethodDescriptor<Q, R> of(
            MethodDescriptor.MethodType type, String service, String method, Q requestPrototype, R responsePrototype) {
        return MethodDescriptor.<Q, R>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(service, method))
                .setRequestMarshaller(ProtoUtils.marshaller(requestPrototype))
                .setResponseMarshaller(ProtoUtils.marshaller(responsePrototype))
                .build();
    }
}
