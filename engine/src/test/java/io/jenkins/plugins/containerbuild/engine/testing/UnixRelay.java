package io.jenkins.plugins.containerbuild.engine.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain TCP listener on 127.0.0.1 whose connections are relayed byte for byte to a unix socket: makes the
 * main daemon reachable as {@code tcp://127.0.0.1:<port>} without reconfiguring it. After {@link #stall()} it keeps
 * every connection open and forwards nothing more: a test double for a builder whose link or host froze, which a
 * real builder cannot be made to do to order.
 */
public final class UnixRelay implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Path socket;
    private final List<java.nio.channels.Channel> open = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile int connections;
    private volatile boolean stalled;

    public UnixRelay(Path socket) throws IOException {
        this.socket = socket;
        this.server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        start("unix-relay-accept", this::accept);
    }

    public String host() {
        return "tcp://127.0.0.1:" + server.socket().getLocalPort();
    }

    /** From now on nothing is forwarded; connections stay open. */
    public void stall() {
        stalled = true;
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections;
    }

    private void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel in = server.accept();
                SocketChannel out = SocketChannel.open(StandardProtocolFamily.UNIX);
                out.connect(UnixDomainSocketAddress.of(socket));
                open.add(in);
                open.add(out);
                connections++;
                start("unix-relay-up", () -> pump(in, out));
                start("unix-relay-down", () -> pump(out, in));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(SocketChannel from, SocketChannel to) {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        try {
            while (from.read(buf) >= 0) {
                while (stalled && from.isOpen()) {
                    Thread.sleep(100); // hold the bytes: the other side hears nothing
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    to.write(buf);
                }
                buf.clear();
            }
            to.shutdownOutput();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            try {
                to.close();
                from.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() throws IOException {
        stalled = false;
        server.close();
        for (java.nio.channels.Channel c : open) {
            c.close();
        }
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
