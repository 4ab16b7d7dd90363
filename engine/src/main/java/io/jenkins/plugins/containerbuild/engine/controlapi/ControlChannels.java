package io.jenkins.plugins.containerbuild.engine.controlapi;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.jenkins.plugins.containerbuild.engine.api.BuilderEndpoint;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonTls;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;

/** Opens gRPC channels to a buildkitd: plain over a unix socket, or over TCP, with mutual TLS when configured. */
final class ControlChannels {
    /** Thread name prefix of the channels' event loop. */
    static final String THREAD_PREFIX = "buildkit-control-";

    private static volatile EventLoopGroup group;

    private ControlChannels() {}

    /**
     * A channel to {@code endpoint}; nothing is sent until the first call.
     *
     * @throws IOException when the TLS material cannot be read
     */
    static ManagedChannel open(BuilderEndpoint endpoint, Duration connectTimeout) throws IOException {
        NettyChannelBuilder b;
        if (endpoint.isUnixSocket()) {
            b = NettyChannelBuilder.forAddress(UnixDomainSocketAddress.of(endpoint.socketPath()))
                    .channelType(NioDomainSocketChannel.class, UnixDomainSocketAddress.class)
                    // A unix socket has no host; buildkitd ignores the authority.
                    .overrideAuthority("localhost");
        } else {
            String host = endpoint.address().getHost();
            int port = endpoint.address().getPort();
            b = NettyChannelBuilder.forAddress(new InetSocketAddress(host, port));
            if (endpoint.usesTls()) {
                // buildkitd wraps its TCP listener in TLS without ALPN, which gRPC's own TLS requires: so TLS goes in
                // the channel's pipeline, under gRPC's HTTP/2, as buildctl and buildx do it.
                DaemonTls.Material m = DaemonTls.material(endpoint.tlsDir());
                SslContext tls = SslContextBuilder.forClient()
                        .keyManager(m.keys())
                        .trustManager(m.trust())
                        .build();
                b.channelFactory(() -> tlsChannel(tls, host, port), InetSocketAddress.class);
            } else {
                b.channelType(NioSocketChannel.class, InetSocketAddress.class);
            }
        }
        b.usePlaintext();
        return b.eventLoopGroup(group())
                .withOption(io.netty.channel.ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveTimeout(20, TimeUnit.SECONDS)
                .maxInboundMessageSize(64 * 1024 * 1024)
                // BuildKit puts a failed build's typed error, stack traces included, in the call's trailers.
                .maxInboundMetadataSize(4 * 1024 * 1024)
                .build();
    }

    /** A TCP channel whose first handler is the TLS client, checking that the builder's certificate names it. */
    private static NioSocketChannel tlsChannel(SslContext tls, String host, int port) {
        NioSocketChannel ch = new NioSocketChannel();
        SslHandler handler = tls.newHandler(ch.alloc(), host, port);
        SSLParameters params = handler.engine().getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        handler.engine().setSSLParameters(params);
        ch.pipeline().addFirst("tls", handler);
        return ch;
    }

    private static EventLoopGroup group() {
        EventLoopGroup g = group;
        if (g == null) {
            synchronized (ControlChannels.class) {
                g = group;
                if (g == null) {
                    g = new MultiThreadIoEventLoopGroup(
                            1, new DefaultThreadFactory(THREAD_PREFIX, true), NioIoHandler.newFactory());
                    group = g;
                }
            }
        }
        return g;
    }
}
