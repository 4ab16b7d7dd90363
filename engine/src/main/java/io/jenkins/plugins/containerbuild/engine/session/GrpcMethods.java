package io.jenkins.plugins.containerbuild.engine.session;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;

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
