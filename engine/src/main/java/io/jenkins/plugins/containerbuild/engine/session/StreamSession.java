package io.jenkins.plugins.containerbuild.engine.session;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A BuildKit session whose connection is carried by the caller as a stream of byte chunks: BuildKit's own API
 * carries it inside the {@code Control/Session} call. The session's gRPC server listens on an in-process address;
 * one in-process connection to it is the far end of the carried stream: what the builder sends is written into
 * it with {@link #receive}, and what the server answers goes out through {@link Outbound}. As with the Engine
 * API's session, the builder is the HTTP/2 client and we serve the providers.
 */
public final class StreamSession implements AutoCloseable {
    /** Where the session's bytes for the builder go. Called on one thread at a time. */
    public interface Outbound {
        void send(byte[] chunk);

        /** The session ended on this side. */
        void finish();
    }

    private static final long CLOSE_WAIT_MILLIS = 2000;
    private static volatile EventLoopGroup group;

    private final String id;
    private final String sharedKey;
    private final List<String> methods;
    private final List<SessionProvider> providers;
    private final Server server;
    private final Channel connection;
    private final ExecutorService executor;
    private final AtomicBoolean closed = new AtomicBoolean();

    private StreamSession(
            String id,
            String sharedKey,
            List<String> methods,
            List<SessionProvider> providers,
            Server server,
            Channel connection,
            ExecutorService executor) {
        this.id = id;
        this.sharedKey = sharedKey;
        this.methods = methods;
        this.providers = providers;
        this.server = server;
        this.connection = connection;
        this.executor = executor;
    }

    /**
     * Starts serving {@code providers} (a health provider is always added) for bytes carried by the caller.
     *
     * @param sharedKey the builder's key for its cached copies of synced directories; null for a random one
     */
    public static StreamSession open(List<SessionProvider> providers, String sharedKey, Outbound outbound)
            throws IOException {
        ProviderSet served = ProviderSet.of(providers);
        String id = UUID.randomUUID().toString().replace("-", "");
        LocalAddress address = new LocalAddress("buildkit-stream-session-" + id);
        ExecutorService executor = Executors.newCachedThreadPool(
                new DefaultThreadFactory(BuildSession.CALL_THREAD_PREFIX + id.substring(0, 8) + "-", true));
        Server server = null;
        try {
            NettyServerBuilder b = NettyServerBuilder.forAddress(address)
                    .channelType(LocalServerChannel.class)
                    .bossEventLoopGroup(group())
                    .workerEventLoopGroup(group())
                    .executor(executor)
                    .permitKeepAliveWithoutCalls(true)
                    .permitKeepAliveTime(1, TimeUnit.SECONDS)
                    // gRPC asks for SO_KEEPALIVE, which this in-process channel does not have: null drops the option
                    // (Netty would log a warning for each session).
                    .withChildOption(io.netty.channel.ChannelOption.SO_KEEPALIVE, null);
            served.providers().forEach(p -> b.addService(p.service()));
            server = b.build().start();
            Channel connection = new Bootstrap()
                    .group(group())
                    .channel(LocalChannel.class)
                    .handler(new ToOutbound(outbound))
                    .connect(address)
                    .syncUninterruptibly()
                    .channel();
            return new StreamSession(
                    id,
                    sharedKey == null ? UUID.randomUUID().toString() : sharedKey,
                    served.methods(),
                    served.providers(),
                    server,
                    connection,
                    executor);
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.shutdownNow();
            }
            executor.shutdownNow();
            served.closeAll();
            throw e;
        }
    }

    /** Passes what the session's server writes to the builder, chunk by chunk. */
    private static final class ToOutbound extends ChannelInboundHandlerAdapter {
        private final Outbound outbound;

        ToOutbound(Outbound outbound) {
            this.outbound = outbound;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                outbound.send(ByteBufUtil.getBytes(buf));
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            outbound.finish();
        }
    }

    private static EventLoopGroup group() {
        EventLoopGroup g = group;
        if (g == null) {
            synchronized (StreamSession.class) {
                g = group;
                if (g == null) {
                    g = new MultiThreadIoEventLoopGroup(
                            1,
                            new DefaultThreadFactory(SessionEventLoop.THREAD_PREFIX + "local-", true),
                            LocalIoHandler.newFactory());
                    group = g;
                }
            }
        }
        return g;
    }

    /** Bytes the builder sent on the carried stream. */
    public void receive(byte[] chunk) {
        connection.writeAndFlush(Unpooled.wrappedBuffer(chunk));
    }

    /** The builder ended the carried stream: the session's connection closes. */
    public void receiveEnd() {
        connection.close();
    }

    /** The session id the solve request names. */
    public String id() {
        return id;
    }

    /** The shared key to announce with the session. */
    public String sharedKey() {
        return sharedKey;
    }

    /** The session's name to announce. */
    public String name() {
        return BuildSession.SESSION_NAME;
    }

    /** The gRPC methods to announce. */
    public List<String> methods() {
        return methods;
    }

    /** The providers served (the health provider first). */
    public List<SessionProvider> providers() {
        return providers;
    }

    /** Ends the session: closes the connection, stops the server and this session's threads. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        connection.close().awaitUninterruptibly(CLOSE_WAIT_MILLIS);
        server.shutdownNow();
        try {
            server.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        providers.forEach(SessionProvider::close);
    }

    @Override
    public String toString() {
        return "StreamSession(" + id + (closed.get() ? ", closed" : "") + ")";
    }
}
