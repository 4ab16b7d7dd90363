package io.jenkins.plugins.containerbuild.engine.session;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonTls;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * A BuildKit session for one build: {@code POST /session} upgraded to h2c on a connection of its own, on
 * which the daemon is the gRPC client and this object serves health, secrets, SSH forwarding and registry
 * auth from memory. Pass {@link #id()} as the build's {@code session} parameter; {@link #close()} ends the
 * session and releases its socket and threads whatever happened (the Netty event loop is shared by all
 * sessions of the JVM and has at most two daemon threads).
 */
public final class BuildSession implements AutoCloseable {
    /** Prefix of the per-session call threads' names ({@code buildkit-session-<id8>-N}). */
    public static final String CALL_THREAD_PREFIX = "buildkit-session-";
    /** Prefix of the shared event-loop threads' names. */
    public static final String LOOP_THREAD_PREFIX = SessionEventLoop.THREAD_PREFIX;

    static final String SESSION_NAME = "container-build";
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final String id;
    private final SocketChannel socket;
    private final Channel connection;
    private final Server server;
    private final ExecutorService executor;
    private final List<SessionProvider> providers;
    private final List<String> methods;
    private final AtomicBoolean closed = new AtomicBoolean();

    private BuildSession(
            String id,
            SocketChannel socket,
            Channel connection,
            Server server,
            ExecutorService executor,
            List<SessionProvider> providers,
            List<String> methods) {
        this.id = id;
        this.socket = socket;
        this.connection = connection;
        this.server = server;
        this.executor = executor;
        this.providers = providers;
        this.methods = methods;
    }

    /**
     * Opens a session serving the given providers (a health provider is always added).
     *
     * @param sharedKey the daemon's key for its cached copies of synced directories; null for a random one
     * @param timeout   for connecting and for the daemon's answer to the upgrade
     */
    public static BuildSession open(
            DaemonEndpoint endpoint, List<SessionProvider> providers, String sharedKey, Duration timeout)
            throws IOException {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(timeout, "timeout");
        ProviderSet served = ProviderSet.of(providers);
        List<SessionProvider> all = served.providers();
        List<String> methods = served.methods();
        String id = UUID.randomUUID().toString().replace("-", "");
        String key = sharedKey == null ? UUID.randomUUID().toString() : sharedKey;
        SocketChannel socket = null;
        ExecutorService executor = null;
        Server server = null;
        OneChildServerChannel serverChannel = null;
        try {
            SSLEngine tls = endpoint.usesTls() ? tlsEngine(endpoint) : null;
            socket = SessionUpgrade.connect(endpoint, timeout);
            String hostHeader =
                    endpoint.isUnixSocket() ? "docker" : endpoint.host().getAuthority();
            byte[] request = SessionUpgrade.request(hostHeader, id, SESSION_NAME, key, methods);
            String name = "buildkit-session-" + id;
            UpgradeHandler upgrade = null;
            if (tls == null) {
                // unix socket or plain TCP: the upgrade on the JDK channel, then the channel goes to Netty
                SessionUpgrade.upgrade(socket, endpoint.toString(), request, timeout);
                serverChannel = new OneChildServerChannel(socket, endpoint.isUnixSocket(), name);
            } else {
                // TLS: handshake and upgrade in the connection's pipeline, in front of the gRPC server's handlers
                SslHandler ssl = new SslHandler(tls);
                ssl.setHandshakeTimeoutMillis(Math.max(1, timeout.toMillis()));
                UpgradeHandler u = new UpgradeHandler(request, endpoint.toString());
                upgrade = u;
                serverChannel = new OneChildServerChannel(socket, false, name, p -> p.addLast(ssl, u));
            }
            executor = newExecutor(id);
            OneChildServerChannel sc = serverChannel;
            EventLoopGroup group = SessionEventLoop.group();
            NettyServerBuilder builder = NettyServerBuilder.forAddress(new LocalAddress(name))
                    .channelFactory(() -> sc)
                    .bossEventLoopGroup(group)
                    .workerEventLoopGroup(group)
                    .executor(executor)
                    .permitKeepAliveWithoutCalls(true)
                    .permitKeepAliveTime(1, TimeUnit.SECONDS)
                    // gRPC asks for SO_KEEPALIVE, which this in-process channel does not have: null drops the option
                    // (Netty would log a warning for each session).
                    .withChildOption(io.netty.channel.ChannelOption.SO_KEEPALIVE, null);
            all.forEach(p -> builder.addService(p.service()));
            server = builder.build().start();
            if (upgrade != null) {
                awaitUpgrade(upgrade, endpoint, timeout);
            }
            return new BuildSession(id, socket, serverChannel.child(), server, executor, all, methods);
        } catch (IOException | RuntimeException e) {
            shutdown(server, executor, socket, serverChannel == null ? null : serverChannel.child());
            all.forEach(SessionProvider::close);
            throw e;
        }
    }

    private static SSLEngine tlsEngine(DaemonEndpoint endpoint) throws IOException {
        SSLEngine engine = DaemonTls.sslContext(endpoint.tlsCertDir())
                .createSSLEngine(endpoint.host().getHost(), SessionUpgrade.port(endpoint));
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS"); // the daemon's certificate must name its host
        engine.setSSLParameters(params);
        return engine;
    }

    private static void awaitUpgrade(UpgradeHandler upgrade, DaemonEndpoint endpoint, Duration timeout)
            throws IOException {
        try {
            if (!upgrade.result().await(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                throw new SocketTimeoutException(
                        "the Docker daemon at " + endpoint + " did not answer the session upgrade in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while opening a session with " + endpoint);
        }
        Throwable cause = upgrade.result().cause();
        if (cause instanceof IOException io) {
            throw new IOException(io.getMessage(), io);
        }
        if (cause != null) {
            throw new IOException(
                    "the session upgrade with the Docker daemon at " + endpoint + " failed: " + cause, cause);
        }
    }

    private static ExecutorService newExecutor(String id) {
        String prefix = CALL_THREAD_PREFIX + id.substring(0, 8) + "-";
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(0, 64, 10, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The session id to pass as {@code session=<id>} on the build request. */
    public String id() {
        return id;
    }

    /** The gRPC methods advertised to the daemon. */
    public List<String> advertisedMethods() {
        return methods;
    }

    /** The providers served (the health provider first). */
    public List<SessionProvider> providers() {
        return providers;
    }

    /** True until {@link #close()} or until the daemon ends the session. */
    public boolean isOpen() {
        return !closed.get() && connection.isActive();
    }

    /** Ends the session: closes the connection, stops the server and this session's threads. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        shutdown(server, executor, socket, connection);
        providers.forEach(SessionProvider::close);
    }

    private static void shutdown(Server server, ExecutorService executor, SocketChannel socket, Channel connection) {
        boolean interrupted = false;
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (connection != null) {
            connection.close().awaitUninterruptibly(CLOSE_WAIT_MILLIS);
        }
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed by Netty
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "BuildSession(" + id + (closed.get() ? ", closed" : "") + ")";
    }
}
