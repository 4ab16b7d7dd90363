package io.jenkins.plugins.containerbuild.engine.session.sshforward;

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
import io.grpc.StatusException;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import io.jenkins.plugins.containerbuild.engine.api.SshKeySource;
import io.jenkins.plugins.containerbuild.engine.session.GrpcMethods;
import io.jenkins.plugins.containerbuild.engine.session.SessionProvider;
import io.jenkins.plugins.containerbuild.engine.session.sshforward.proto.BytesMessage;
import io.jenkins.plugins.containerbuild.engine.session.sshforward.proto.CheckAgentRequest;
import io.jenkins.plugins.containerbuild.engine.session.sshforward.proto.CheckAgentResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code moby.sshforward.v1.SSH}: {@code CheckAgent} and {@code ForwardAgent} for the build's
 * {@code RUN --mount=type=ssh[,id=…]}. A private key is parsed on first use and served by an in-process
 * agent ({@link AgentProtocol}); an agent socket is relayed byte for byte. The id comes from the stream's
 * {@code buildkit.ssh.id} metadata ({@code default} when absent).
 */
public final class SshForwardProvider implements SessionProvider {
    public static final String SERVICE = "moby.sshforward.v1.SSH";
    public static final String DEFAULT_ID = "default";
    public static final Metadata.Key<String> SSH_ID_HEADER =
            Metadata.Key.of("buildkit.ssh.id", Metadata.ASCII_STRING_MARSHALLER);
    public static final MethodDescriptor<CheckAgentRequest, CheckAgentResponse> CHECK_AGENT = GrpcMethods.unary(
            SERVICE, "CheckAgent", CheckAgentRequest.getDefaultInstance(), CheckAgentResponse.getDefaultInstance());
    public static final MethodDescriptor<BytesMessage, BytesMessage> FORWARD_AGENT = GrpcMethods.bidi(
            SERVICE, "ForwardAgent", BytesMessage.getDefaultInstance(), BytesMessage.getDefaultInstance());
    /** Thread name prefix of agent-socket relays. */
    public static final String RELAY_THREAD_PREFIX = "buildkit-session-ssh-relay-";

    private static final Context.Key<String> SSH_ID = Context.key("buildkit.ssh.id");
    private static final AtomicInteger RELAY_COUNT = new AtomicInteger();

    private final Map<String, SshKeySource> keys;
    private final Map<String, SshIdentity> loaded = new ConcurrentHashMap<>();
    private final Set<AgentSocketRelay> relays = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public SshForwardProvider(Map<String, SshKeySource> keys) {
        this.keys = Map.copyOf(keys);
    }

    @Override
    public ServerServiceDefinition service() {
        ServerServiceDefinition def = ServerServiceDefinition.builder(SERVICE)
                .addMethod(CHECK_AGENT, ServerCalls.asyncUnaryCall(this::checkAgent))
                .addMethod(FORWARD_AGENT, ServerCalls.asyncBidiStreamingCall(this::forwardAgent))
                .build();
        return ServerInterceptors.intercept(def, new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                String id = headers.get(SSH_ID_HEADER);
                return Contexts.interceptCall(
                        Context.current().withValue(SSH_ID, id == null || id.isEmpty() ? DEFAULT_ID : id),
                        call,
                        headers,
                        next);
            }
        });
    }

    void checkAgent(CheckAgentRequest request, StreamObserver<CheckAgentResponse> response) {
        String id = request.getID().isEmpty() ? DEFAULT_ID : request.getID();
        try {
            SshKeySource source = source(id);
            if (source.agentSocket().isPresent()) {
                Path socket = source.agentSocket().get();
                try (var ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
                    ch.connect(java.net.UnixDomainSocketAddress.of(socket));
                } catch (IOException e) {
                    throw Status.UNAVAILABLE
                            .withDescription("SSH agent socket " + socket + " for id '" + id + "' is not reachable: "
                                    + e.getMessage())
                            .asException();
                }
            } else {
                identity(id);
            }
            response.onNext(CheckAgentResponse.getDefaultInstance());
            response.onCompleted();
        } catch (StatusException e) {
            response.onError(e);
        }
    }

    StreamObserver<BytesMessage> forwardAgent(StreamObserver<BytesMessage> response) {
        String id = SSH_ID.get() == null ? DEFAULT_ID : SSH_ID.get();
        try {
            SshKeySource source = source(id);
            if (source.agentSocket().isPresent()) {
                AgentSocketRelay[] self = new AgentSocketRelay[1];
                AgentSocketRelay relay;
                try {
                    relay = new AgentSocketRelay(source.agentSocket().get(), response, () -> relays.remove(self[0]));
                } catch (IOException e) {
                    throw Status.UNAVAILABLE
                            .withDescription(
                                    "SSH agent socket " + source.agentSocket().get() + " for id '" + id
                                            + "' is not reachable: " + e.getMessage())
                            .asException();
                }
                self[0] = relay;
                relays.add(relay);
                if (closed) {
                    relay.close();
                }
                relay.start(RELAY_THREAD_PREFIX + RELAY_COUNT.incrementAndGet());
                return relay;
            }
            AgentProtocol agent = new AgentProtocol(List.of(identity(id)));
            return new StreamObserver<>() {
                @Override
                public void onNext(BytesMessage value) {
                    byte[] answer;
                    try {
                        answer = agent.feed(value.getData().toByteArray());
                    } catch (IllegalArgumentException e) {
                        response.onError(Status.INVALID_ARGUMENT
                                .withDescription(e.getMessage())
                                .asRuntimeException());
                        return;
                    }
                    if (answer.length > 0) {
                        response.onNext(BytesMessage.newBuilder()
                                .setData(ByteString.copyFrom(answer))
                                .build());
                    }
                }

                @Override
                public void onError(Throwable t) {
                    // the daemon cancelled the stream; nothing is held per stream
                }

                @Override
                public void onCompleted() {
                    response.onCompleted();
                }
            };
        } catch (StatusException e) {
            response.onError(e);
            return new StreamObserver<>() {
                @Override
                public void onNext(BytesMessage value) {}

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {}
            };
        }
    }

    private SshKeySource source(String id) throws StatusException {
        SshKeySource source = keys.get(id);
        if (source == null) {
            throw Status.NOT_FOUND
                    .withDescription("no SSH key with id '" + id + "' was given to the build"
                            + (keys.isEmpty() ? "" : "; known ids: " + keys.keySet()))
                    .asException();
        }
        return source;
    }

    /** The parsed key for an id, loaded (and its bytes zeroed) on first use. */
    SshIdentity identity(String id) throws StatusException {
        SshIdentity identity = loaded.get(id);
        if (identity != null) {
            return identity;
        }
        SshKeySource source = source(id);
        SecretSource keySource = source.privateKey().orElseThrow();
        byte[] key = null;
        byte[] pass = null;
        try {
            key = keySource.read();
            pass = source.passphrase().isPresent() ? source.passphrase().get().read() : null;
            identity = SshKeyLoader.load(id, key, pass);
            SshIdentity raced = loaded.putIfAbsent(id, identity);
            return raced != null ? raced : identity;
        } catch (SshKeyException e) {
            throw Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asException();
        } catch (IOException | RuntimeException e) {
            throw Status.UNAVAILABLE
                    .withDescription("SSH key '" + id + "' could not be read from " + keySource.describe())
                    .asException();
        } finally {
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
            if (pass != null) {
                Arrays.fill(pass, (byte) 0);
            }
        }
    }

    /** Ends open relays and drops the parsed keys. */
    @Override
    public void close() {
        closed = true;
        relays.forEach(AgentSocketRelay::close);
        relays.clear();
        loaded.clear();
    }
}
