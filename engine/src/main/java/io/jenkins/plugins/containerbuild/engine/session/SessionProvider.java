package io.jenkins.plugins.containerbuild.engine.session;

import io.grpc.ServerServiceDefinition;
import java.util.List;

/**
 * One gRPC service served to the daemon on a BuildKit session (health, secrets, SSH forwarding,
 * registry auth, later file sync). Providers are independent: a session serves every provider
 * given to it and advertises their methods in the upgrade request.
 */
public interface SessionProvider extends AutoCloseable {

    /** The service, with hand-made method descriptors; called once per session. */
    ServerServiceDefinition service();

    /** Full method names to advertise, e.g. {@code /grpc.health.v1.Health/Check}. */
    default List<String> methodNames() {
        return service().getMethods().stream()
                .map(m -> "/" + m.getMethodDescriptor().getFullMethodName())
                .toList();
    }

    /** Called once when the session ends: drop whatever key material the provider loaded. */
    @Override
    default void close() {}
}
