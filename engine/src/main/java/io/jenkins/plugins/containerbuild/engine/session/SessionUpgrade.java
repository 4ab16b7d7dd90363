package io.jenkins.plugins.containerbuild.engine.session;

import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The {@code POST /session} request upgraded to h2c, written on a connection of our own (docker-java's
 * hijack sends {@code Upgrade: tcp} and single-valued headers). The 101 answer is read byte by byte so
 * that nothing past its blank line is consumed: the daemon's HTTP/2 preface follows at once.
 */
final class SessionUpgrade {
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_ERROR_BODY = 4 * 1024;

    private SessionUpgrade() {}

    /** Opens a plain connection to the daemon (unix socket or TCP), in blocking mode. */
    static SocketChannel connect(DaemonEndpoint endpoint, Duration timeout) throws IOException {
        if (endpoint.isUnixSocket()) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(endpoint.socketPath()));
                return ch;
            } catch (IOException e) {
                ch.close();
                throw new IOException("cannot connect to the Docker daemon at " + endpoint + ": " + e.getMessage(), e);
            }
        }
        String host = endpoint.host().getHost();
        int port = port(endpoint);
        SocketChannel ch = SocketChannel.open();
        try {
            ch.socket().connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            ch.socket().setTcpNoDelay(true);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot connect to the Docker daemon at " + endpoint + ": " + e.getMessage(), e);
        }
    }

    /** The TCP port of a tcp endpoint: the given one, else Docker's 2376 with TLS and 2375 without. */
    static int port(DaemonEndpoint endpoint) {
        return endpoint.host().getPort() > 0 ? endpoint.host().getPort() : (endpoint.usesTls() ? 2376 : 2375);
    }

    /** The upgrade request's bytes. */
    static byte[] request(String hostHeader, String id, String name, String sharedKey, List<String> methods) {
        StringBuilder sb = new StringBuilder(256)
                .append("POST /session HTTP/1.1\r\n")
                .append("Host: ")
                .append(hostHeader)
                .append("\r\n")
                .append("User-Agent: container-build-engine\r\n")
                .append("Content-Length: 0\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Upgrade: h2c\r\n")
                .append("X-Docker-Expose-Session-Uuid: ")
                .append(id)
                .append("\r\n")
                .append("X-Docker-Expose-Session-Name: ")
                .append(name)
                .append("\r\n")
                .append("X-Docker-Expose-Session-Sharedkey: ")
                .append(sharedKey)
                .append("\r\n");
        for (String m : methods) {
            sb.append("X-Docker-Expose-Session-Grpc-Method: ").append(m).append("\r\n");
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Sends the upgrade on a connected channel and reads the answer up to and including its blank line.
     * Leaves the channel in non-blocking mode with the daemon's HTTP/2 bytes unread.
     */
    static void upgrade(SocketChannel ch, String endpoint, byte[] request, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ch.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE);
            ByteBuffer out = ByteBuffer.wrap(request);
            while (out.hasRemaining()) {
                if (ch.write(out) == 0) {
                    await(selector, key, SelectionKey.OP_WRITE, deadline, endpoint);
                }
            }
            ByteArrayOutputStream head = new ByteArrayOutputStream(256);
            ByteBuffer one = ByteBuffer.allocate(1);
            int matched = 0; // of \r\n\r\n
            while (matched < 4) {
                one.clear();
                int n = ch.read(one);
                if (n < 0) {
                    throw new IOException("the Docker daemon at " + endpoint + " closed the connection while answering"
                            + " the session upgrade" + (head.size() > 0 ? ": " + firstLine(head) : ""));
                }
                if (n == 0) {
                    await(selector, key, SelectionKey.OP_READ, deadline, endpoint);
                    continue;
                }
                byte b = one.get(0);
                head.write(b);
                if (head.size() > MAX_HEADER_BYTES) {
                    throw new IOException("the session upgrade answer from " + endpoint + " has over "
                            + MAX_HEADER_BYTES + " header bytes");
                }
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String headers = head.toString(StandardCharsets.ISO_8859_1);
            String status = headers.substring(0, headers.indexOf("\r\n"));
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException(
                        "the Docker daemon at " + endpoint + " answered the session upgrade with '" + status + "'");
            }
            if (!parts[1].equals("101")) {
                String body = readErrorBody(ch, selector, key, headers, deadline);
                throw new IOException("the Docker daemon at " + endpoint + " refused the session: " + status
                        + (body.isBlank() ? "" : " " + body.trim()));
            }
            key.cancel();
            selector.selectNow();
        }
    }

    private static String readErrorBody(
            SocketChannel ch, Selector selector, SelectionKey key, String headers, long deadline) {
        int length = MAX_ERROR_BODY;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                try {
                    length = Math.min(
                            MAX_ERROR_BODY, Integer.parseInt(line.substring(15).trim()));
                } catch (NumberFormatException ignored) {
                    // keep the cap
                }
            }
        }
        ByteBuffer buf = ByteBuffer.allocate(length);
        try {
            while (buf.hasRemaining()) {
                int n = ch.read(buf);
                if (n < 0) {
                    break;
                }
                if (n == 0) {
                    await(
                            selector,
                            key,
                            SelectionKey.OP_READ,
                            Math.min(deadline, System.nanoTime() + 1_000_000_000L),
                            "");
                }
            }
        } catch (IOException e) {
            // what was read so far is enough for the message
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }

    private static void await(Selector selector, SelectionKey key, int op, long deadline, String endpoint)
            throws IOException {
        key.interestOps(op);
        long left = deadline - System.nanoTime();
        if (left <= 0 || selector.select(Math.max(1, left / 1_000_000)) == 0 && System.nanoTime() >= deadline) {
            throw new SocketTimeoutException(
                    "the Docker daemon at " + endpoint + " did not answer the session upgrade in time");
        }
        selector.selectedKeys().clear();
    }

    private static String firstLine(ByteArrayOutputStream head) {
        String s = head.toString(StandardCharsets.ISO_8859_1);
        int i = s.indexOf('\r');
        return i < 0 ? s : s.substring(0, i);
    }
}
