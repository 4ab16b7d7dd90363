package io.jenkins.plugins.containerbuild.engine.session;

import io.netty.channel.AbstractServerChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.EventLoop;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * A server channel that binds nothing and "accepts" exactly one child: the already connected (and
 * upgraded) daemon connection. It lets grpc-java's Netty server serve that one connection.
 */
final class OneChildServerChannel extends AbstractServerChannel {
    private final ChannelConfig config = new DefaultChannelConfig(this);
    private final Channel child;
    private final LocalAddress address;
    private volatile boolean open = true;
    private volatile boolean active;
    private boolean delivered;

    OneChildServerChannel(SocketChannel connected, boolean unixSocket, String name) {
        this(connected, unixSocket, name, p -> {});
    }

    /**
     * @param first adds the handlers that come before the gRPC server's in the connection's pipeline (TLS and
     *              the session upgrade); they see the connection's events first once the server starts
     */
    OneChildServerChannel(SocketChannel connected, boolean unixSocket, String name, Consumer<ChannelPipeline> first) {
        this.address = new LocalAddress(name);
        this.child = unixSocket ? new NioDomainSocketChannel(this, connected) : new NioSocketChannel(this, connected);
        first.accept(child.pipeline());
    }

    /** The connection handed to the gRPC server. */
    Channel child() {
        return child;
    }

    @Override
    public ChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open && active;
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return true;
    }

    @Override
    protected SocketAddress localAddress0() {
        return address;
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        active = true;
    }

    @Override
    protected void doClose() {
        open = false;
        active = false;
    }

    @Override
    protected void doBeginRead() {
        if (!delivered && open) {
            delivered = true;
            pipeline().fireChannelRead(child);
            pipeline().fireChannelReadComplete();
        }
    }
}
