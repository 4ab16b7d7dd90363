package io.jenkins.plugins.containerbuild.engine.controlapi;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.jenkins.plugins.containerbuild.engine.api.BuilderEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonTls;
import io.netty.channel.Channel;
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
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;

/**
 * Opens gRPC channels to BuildKit's API: a buildkitd's plain over a unix socket, or over TCP with mutual TLS when
 * configured; or a Docker daemon's, on the same kinds of connection after its {@code POST /grpc} upgrade.
 */
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
        DaemonTls.Material tls = endpoint.certificate() != null
                ? DaemonTls.material(endpoint.certificate())
                : endpoint.tlsDir() != null ? DaemonTls.material(endpoint.tlsDir()) : null;
        return open(
                endpoint.address(), tls, null, connectTimeout, endpoint.keepAliveTime(), endpoint.keepAliveTimeout());
    }

    /**
     * A channel to the BuildKit API of the Docker daemon at {@code endpoint}, each connection upgraded by
     * {@code POST /grpc}; nothing is sent until the first call.
     *
     * @throws IOException when the TLS material cannot be read
     */
    static ManagedChannel openThroughDocker(DaemonEndpoint endpoint, Duration connectTimeout) throws IOException {
        DaemonTls.Material tls = endpoint.tlsCertDir() != null ? DaemonTls.material(endpoint.tlsCertDir()) : null;
        return open(
                endpoint.host(),
                tls,
                endpoint.toString(),
                connectTimeout,
                BuilderEndpoint.DEFAULT_KEEPALIVE_TIME,
                BuilderEndpoint.DEFAULT_KEEPALIVE_TIMEOUT);
    }

    /**
     * @param material the mutual TLS material for TCP, or null
     * @param docker the Docker daemon's address when the connection must be upgraded first, else null
     */
    private static ManagedChannel open(
            URI address,
            DaemonTls.Material material,
            String docker,
            Duration connectTimeout,
            Duration keepAliveTime,
            Duration keepAliveTimeout)
            throws IOException {
        NettyChannelBuilder b;
        SslContext tls = null;
        if ("unix".equals(address.getScheme())) {
            b = NettyChannelBuilder.forAddress(UnixDomainSocketAddress.of(Path.of(address.getPath())))
                    // A unix socket has no host; buildkitd ignores the authority.
                    .overrideAuthority("localhost");
        } else {
            b = NettyChannelBuilder.forAddress(new InetSocketAddress(address.getHost(), address.getPort()));
            if (material != null) {
                // buildkitd wraps its TCP listener in TLS without ALPN, which gRPC's own TLS requires: so TLS goes in
                // the channel's pipeline, under gRPC's HTTP/2, as buildctl and buildx do it.
                tls = SslContextBuilder.forClient()
                        .keyManager(material.keys())
                        .trustManager(material.trust())
                        .build();
            }
        }
        boolean unix = "unix".equals(address.getScheme());
        SslContext channelTls = tls;
        b.channelFactory(
                () -> channel(unix, channelTls, address.getHost(), address.getPort(), docker),
                unix ? UnixDomainSocketAddress.class : InetSocketAddress.class);
        b.usePlaintext();
        if (unix) {
            // gRPC asks every channel for SO_KEEPALIVE, which a unix socket does not have: null drops the option
            // (Netty would log a warning for each connection). The HTTP/2 pings below keep watch instead.
            b.withOption(io.netty.channel.ChannelOption.SO_KEEPALIVE, null);
        }
        return b.eventLoopGroup(group())
                .withOption(io.netty.channel.ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                // A builder that stops answering (a stalled link, a frozen host) fails the call, and the build,
                // once a ping goes unanswered: within about keepAliveTime + keepAliveTimeout of silence.
                .keepAliveTime(keepAliveTime.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(keepAliveTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .maxInboundMessageSize(64 * 1024 * 1024)
                // BuildKit puts a failed build's typed error, stack traces included, in the call's trailers.
                .maxInboundMetadataSize(4 * 1024 * 1024)
                .build();
    }

    /**
     * A new connection: its first handler is the TLS client (checking that the builder's certificate names it) when
     * there is TLS, then the Docker daemon's upgrade when the API is reached through one.
     */
    private static Channel channel(boolean unix, SslContext tls, String host, int port, String docker) {
        Channel ch = unix ? new NioDomainSocketChannel() : new NioSocketChannel();
        if (tls != null) {
            SslHandler handler = tls.newHandler(ch.alloc(), host, port);
            SSLParameters params = handler.engine().getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            handler.engine().setSSLParameters(params);
            ch.pipeline().addLast("tls", handler);
        }
        if (docker != null) {
            ch.pipeline().addLast("docker-grpc-upgrade", new DockerGrpcUpgrade(docker));
        }
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
