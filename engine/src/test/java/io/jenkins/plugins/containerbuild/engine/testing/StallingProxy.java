package io.jenkins.plugins.containerbuild.engine.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy to a builder's unix socket that forwards bytes until {@link #stall()}, then keeps every connection
 * open and forwards nothing more: a builder whose link or host froze. A test double, because a real builder that
 * stops answering while keeping its connections open cannot be made to order.
 */
public final class StallingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final Path target;
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    private volatile boolean stalled;

    public StallingProxy(Path unixSocket) throws IOException {
        this.target = unixSocket;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "stalling-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    /** {@code tcp://127.0.0.1:PORT}. */
    public String address() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    /** From now on nothing is forwarded; connections stay open. */
    public void stall() {
        stalled = true;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                SocketChannel builder = SocketChannel.open(StandardProtocolFamily.UNIX);
                builder.connect(UnixDomainSocketAddress.of(target));
                open.add(client);
                open.add(builder);
                pump(Channels.newChannel(client.getInputStream()), builder);
                pump(builder, Channels.newChannel(client.getOutputStream()));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(java.nio.channels.ReadableByteChannel from, java.nio.channels.WritableByteChannel to) {
        Thread t = new Thread(
                () -> {
                    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                    try {
                        while (from.read(buf) >= 0) {
                            while (stalled) {
                                Thread.sleep(100); // hold the bytes: the other side hears nothing
                            }
                            buf.flip();
                            while (buf.hasRemaining()) {
                                to.write(buf);
                            }
                            buf.clear();
                        }
                    } catch (IOException | InterruptedException e) {
                        // the connection ended
                    }
                },
                "stalling-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        stalled = false;
        server.close();
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                // closing a test's sockets
            }
        }
    }

    /** The port, for messages. */
    public InetSocketAddress local() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }
}
