package io.jenkins.plugins.containerbuild.engine.session.secrets;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import io.jenkins.plugins.containerbuild.engine.session.GrpcMethods;
import io.jenkins.plugins.containerbuild.engine.session.SessionProvider;
import io.jenkins.plugins.containerbuild.engine.session.secrets.proto.GetSecretRequest;
import io.jenkins.plugins.containerbuild.engine.session.secrets.proto.GetSecretResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code moby.buildkit.secrets.v1.Secrets/GetSecret}: a secret's bytes, read from its {@link SecretSource}
 * only when the daemon asks, sent without an extra copy and zeroed once written to the connection. An
 * unknown id answers NOT_FOUND naming the id; the daemon then fails the build (unless the mount is
 * {@code required=false}).
 */
public final class SecretsProvider implements SessionProvider {
    public static final String SERVICE = "moby.buildkit.secrets.v1.Secrets";
    public static final MethodDescriptor<GetSecretRequest, GetSecretResponse> GET_SECRET = GrpcMethods.unary(
            SERVICE, "GetSecret", GetSecretRequest.getDefaultInstance(), GetSecretResponse.getDefaultInstance());

    private final Map<String, SecretSource> secrets;
    private final Set<String> served = ConcurrentHashMap.newKeySet();

    public SecretsProvider(Map<String, SecretSource> secrets) {
        this.secrets = Map.copyOf(Objects.requireNonNull(secrets, "secrets"));
    }

    @Override
    public ServerServiceDefinition service() {
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(GET_SECRET, ServerCalls.asyncUnaryCall(this::getSecret))
                .build();
    }

    void getSecret(GetSecretRequest request, StreamObserver<GetSecretResponse> response) {
        String id = request.getID();
        SecretSource source = secrets.get(id);
        if (source == null) {
            response.onError(Status.NOT_FOUND
                    .withDescription("secret " + id + " not found: the build has no secret with id '" + id + "'")
                    .asRuntimeException());
            return;
        }
        byte[] value;
        try {
            value = source.read();
        } catch (IOException | RuntimeException e) {
            // the message names the id and the source (never the value)
            response.onError(Status.UNAVAILABLE
                    .withDescription("secret " + id + " could not be read from " + source.describe() + ": "
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()))
                    .asRuntimeException());
            return;
        }
        try {
            // no copy: the marshaller serializes the message into the connection's buffers inside onNext
            response.onNext(GetSecretResponse.newBuilder()
                    .setData(UnsafeByteOperations.unsafeWrap(value))
                    .build());
            response.onCompleted();
            served.add(id);
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    /** The ids the daemon asked for and got on this session. */
    public Set<String> served() {
        return Set.copyOf(served);
    }
}
