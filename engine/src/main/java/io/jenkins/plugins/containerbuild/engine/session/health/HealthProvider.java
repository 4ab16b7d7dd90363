package io.jenkins.plugins.containerbuild.engine.session.health;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.jenkins.plugins.containerbuild.engine.session.GrpcMethods;
import io.jenkins.plugins.containerbuild.engine.session.SessionProvider;
import io.jenkins.plugins.containerbuild.engine.session.health.proto.HealthCheckRequest;
import io.jenkins.plugins.containerbuild.engine.session.health.proto.HealthCheckResponse;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code grpc.health.v1.Health/Check}: the daemon calls it about every second and ends the session when
 * it fails. Always answers SERVING while the session is open.
 */
public final class HealthProvider implements SessionProvider {
    public static final String SERVICE = "grpc.health.v1.Health";
    public static final MethodDescriptor<HealthCheckRequest, HealthCheckResponse> CHECK = GrpcMethods.unary(
            SERVICE, "Check", HealthCheckRequest.getDefaultInstance(), HealthCheckResponse.getDefaultInstance());
    private static final HealthCheckResponse SERVING = HealthCheckResponse.newBuilder()
            .setStatus(HealthCheckResponse.ServingStatus.SERVING)
            .build();

    private final AtomicLong checks = new AtomicLong();

    @Override
    public ServerServiceDefinition service() {
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(CHECK, ServerCalls.asyncUnaryCall((request, response) -> {
                    checks.incrementAndGet();
                    response.onNext(SERVING);
                    response.onCompleted();
                }))
                .build();
    }

    /** How many health checks the daemon made on this session. */
    public long checks() {
        return checks.get();
    }
}
