package io.jenkins.plugins.containerbuild.engine.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * An HTTP/1.1 proxy on 127.0.0.1 (a port of its own) in front of a plain-HTTP registry that forwards every request
 * (keep-alive, {@code Content-Length} and chunked bodies, the client's {@code Host} so that the registry's upload
 * locations point back here) except the ones its {@link Fault} spoils. A test double: a real registry cannot be made to
 * refuse one manifest or drop one upload to order.
 */
public final class MisbehavingRegistry implements AutoCloseable {
    /** What the registry does wrong. */
    public enum Fault {
        /** {@code PUT /v2/<repo>/manifests/<ref>} answers 500 with a registry's JSON error. */
        MANIFEST_500,
        /**
         * {@code PUT /v2/<repo>/manifests/<ref>} answers 401 with a Basic challenge, every time: a client without
         * credentials gives up (containerd's pusher first asks for some, BuildKit through the build's session), one with
         * credentials is refused again.
         */
        MANIFEST_401,
        /**
         * A blob upload ({@code PATCH} or {@code PUT} of {@code /v2/<repo>/blobs/uploads/…} with a body): part of the
         * body is forwarded, then both connections are closed.
         */
        BLOB_CUT
    }

    private static final Pattern MANIFEST_PUT = Pattern.compile("PUT /v2/.+/manifests/[^/?]+(\\?.*)? HTTP/1\\.[01]");
    private static final Pattern BLOB_UPLOAD =
            Pattern.compile("(PATCH|PUT) /v2/.+/blobs/uploads/[^?]+(\\?.*)? HTTP/1\\.[01]");
    /** Of a chunked body (whose length is unknown) this much is forwarded before the cut. */
    private static final long CHUNKED_CUT_AT = 64 * 1024;

    private final ServerSocket server;
    private final int upstreamPort;
    private final Fault fault;
    private final AtomicInteger faults = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    public MisbehavingRegistry(int upstreamPort, Fault fault) throws IOException {
        this.upstreamPort = upstreamPort;
        this.fault = fault;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemonThread(this::accept, "misbehaving-registry");
    }

    /** {@code 127.0.0.1:PORT}, the registry host for image references. */
    public String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** How many requests were spoiled. */
    public int faults() {
        return faults.get();
    }

    /** The requests seen, in order, as method and path without the query (for assertion messages). */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                daemonThread(() -> serve(client), "misbehaving-registry-conn");
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        Socket upstream = null;
        InputStream upIn = null;
        OutputStream upOut = null;
        try (client) {
            client.setSoTimeout(120_000);
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = new BufferedOutputStream(client.getOutputStream());
            in.mark(1);
            int first = in.read();
            // Not a request line: a TLS handshake (clients try https first). Answered as a plain-HTTP server
            // answers it, which is what makes a client fall back to http.
            if (first < 'A' || first > 'Z') {
                out.write("HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return;
            }
            in.reset();
            while (true) {
                List<String> req = readHead(in);
                if (req == null) {
                    return;
                }
                String line = req.get(0);
                requests.add(line.replaceFirst("[? ].*? HTTP/1\\.[01]$", ""));
                boolean chunked = chunked(req);
                long length = contentLength(req);
                if (fault != Fault.BLOB_CUT && MANIFEST_PUT.matcher(line).matches()) {
                    faults.incrementAndGet();
                    boolean expect = header(req, "Expect") != null;
                    if (!expect) {
                        copyBody(in, OutputStream.nullOutputStream(), chunked, length, Long.MAX_VALUE);
                    }
                    out.write(answer(fault == Fault.MANIFEST_500));
                    out.flush();
                    if (expect) {
                        return;
                    }
                    continue;
                }
                if (upstream == null) {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                    sockets.add(upstream);
                    upIn = new BufferedInputStream(upstream.getInputStream());
                    upOut = new BufferedOutputStream(upstream.getOutputStream());
                }
                writeHead(upOut, req);
                boolean hasBody = chunked || length > 0;
                if (fault == Fault.BLOB_CUT
                        && hasBody
                        && BLOB_UPLOAD.matcher(line).matches()) {
                    faults.incrementAndGet();
                    long cutAt = chunked ? CHUNKED_CUT_AT : length / 2;
                    copyBody(in, upOut, chunked, length, cutAt);
                    upOut.flush();
                    return; // both connections closed with part of the blob sent
                }
                copyBody(in, upOut, chunked, length, Long.MAX_VALUE);
                upOut.flush();
                List<String> resp;
                do {
                    resp = readHead(upIn);
                    if (resp == null) {
                        return;
                    }
                    writeHead(out, resp);
                } while (resp.get(0).matches("HTTP/1\\.[01] 1\\d\\d.*"));
                int status = Integer.parseInt(resp.get(0).split(" ")[1]);
                boolean noBody = line.startsWith("HEAD ") || status == 204 || status == 304;
                boolean respChunked = chunked(resp);
                long respLength = contentLength(resp);
                if (!noBody && !respChunked && respLength < 0) {
                    upIn.transferTo(out); // the body ends with the connection
                    out.flush();
                    return;
                }
                if (!noBody) {
                    copyBody(upIn, out, respChunked, respLength, Long.MAX_VALUE);
                }
                out.flush();
                if (closes(req) || closes(resp)) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // a connection ended (or was cut): nothing more to forward on it
        } finally {
            if (upstream != null) {
                try {
                    upstream.close();
                } catch (IOException e) {
                    // closing
                }
            }
        }
    }

    private static byte[] answer(boolean serverError) {
        String body = serverError
                ? "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"unknown error\",\"detail\":\"storage backend failed\"}]}"
                : "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\",\"detail\":null}]}";
        String head = (serverError ? "HTTP/1.1 500 Internal Server Error\r\n" : "HTTP/1.1 401 Unauthorized\r\n")
                + (serverError ? "" : "WWW-Authenticate: Basic realm=\"misbehaving-registry\"\r\n")
                + "Docker-Distribution-Api-Version: registry/2.0\r\n"
                + "Content-Type: application/json; charset=utf-8\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n";
        return (head + body).getBytes(StandardCharsets.US_ASCII);
    }

    /** The start line and header lines up to the empty line; null at the end of the stream before any byte. */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String l = readLine(in); ; l = readLine(in)) {
            if (l == null) {
                if (lines.isEmpty()) {
                    return null;
                }
                throw new EOFException("connection closed in a message head");
            }
            if (l.isEmpty()) {
                return lines;
            }
            lines.add(l);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static void writeHead(OutputStream out, List<String> head) throws IOException {
        out.write((String.join("\r\n", head) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String header(List<String> head, String name) {
        for (String h : head.subList(1, head.size())) {
            int colon = h.indexOf(':');
            if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return h.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static boolean chunked(List<String> head) {
        String te = header(head, "Transfer-Encoding");
        return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
    }

    /** The declared length, -1 when none is declared. */
    private static long contentLength(List<String> head) {
        String cl = header(head, "Content-Length");
        return cl == null ? -1 : Long.parseLong(cl);
    }

    private static boolean closes(List<String> head) {
        String c = header(head, "Connection");
        return c != null && c.equalsIgnoreCase("close");
    }

    /**
     * Copies one body; a chunked one chunk by chunk with its trailer. Stops, leaving the body unfinished, once
     * {@code limit} bytes of content were copied (a chunked body shorter than that loses its last chunk).
     */
    private static void copyBody(InputStream in, OutputStream out, boolean chunked, long length, long limit)
            throws IOException {
        if (!chunked) {
            copy(in, out, Math.min(Math.max(length, 0), limit));
            return;
        }
        long copied = 0;
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new EOFException("connection closed in a chunked body");
            }
            int semi = sizeLine.indexOf(';');
            long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0 && limit != Long.MAX_VALUE) {
                return; // cut before the last chunk
            }
            out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (size == 0) {
                for (String t = readLine(in); t != null && !t.isEmpty(); t = readLine(in)) {
                    out.write((t + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                }
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            long n = Math.min(size, limit - copied);
            copy(in, out, n);
            copied += n;
            if (n < size) {
                return; // cut in the middle of a chunk
            }
            readLine(in);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private static void copy(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buf = new byte[16384];
        for (long left = n; left > 0; ) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new EOFException("connection closed in a body");
            }
            out.write(buf, 0, r);
            left -= r;
        }
    }

    private static void daemonThread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing a test's sockets
            }
        }
    }
}
