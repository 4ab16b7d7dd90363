package io.jenkins.plugins.containerbuild.engine.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy on 127.0.0.1 in front of a registry that goes down for good (every connection closed,
 * the port no longer listening) the moment a client sends a request line starting with {@code trigger},
 * e.g. {@code "PUT /v2/"} followed later by {@code "/manifests/"}: the registry dies in the middle of a push.
 */
public final class CuttingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final byte[] trigger;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicBoolean down = new AtomicBoolean();

    public CuttingProxy(int targetPort, String trigger) throws IOException {
        this.targetPort = targetPort;
        this.trigger = trigger.getBytes(StandardCharsets.US_ASCII);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "cutting-proxy");
        t.setDaemon(true);
        t.start();
    }

    public String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    public boolean wentDown() {
        return down.get();
    }

    private void accept() {
        while (!down.get()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 3000);
                sockets.add(client);
                sockets.add(upstream);
                pump(client.getInputStream(), upstream.getOutputStream(), true);
                pump(upstream.getInputStream(), client.getOutputStream(), false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(InputStream in, OutputStream out, boolean watch) {
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[16384];
                    byte[] tail = new byte[0];
                    try {
                        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                            if (watch) {
                                String seen = new String(tail, StandardCharsets.ISO_8859_1)
                                        + new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                                int at = seen.indexOf(new String(trigger, StandardCharsets.ISO_8859_1));
                                if (at >= 0 && seen.indexOf("/manifests/", at) > at) {
                                    goDown();
                                    return;
                                }
                                tail = seen.substring(Math.max(0, seen.length() - 512))
                                        .getBytes(StandardCharsets.ISO_8859_1);
                            }
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // connection closed
                    }
                },
                "cutting-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void goDown() {
        down.set(true);
        close();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }
    }
}
