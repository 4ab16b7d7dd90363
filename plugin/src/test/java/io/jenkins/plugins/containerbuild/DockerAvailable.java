package io.jenkins.plugins.containerbuild;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Skips a test unless the local Docker daemon answers {@code GET /_ping} on its socket. */
final class DockerAvailable {
    /** The base image the project's set-up scripts create locally (no image can be pulled in CI). */
    static final String BASE_IMAGE = "local/busybox:latest";

    private static final Path SOCKET = Path.of("/var/run/docker.sock");
    private static Boolean answered;

    private DockerAvailable() {}

    static synchronized void assume() {
        if (answered == null) {
            answered = ping();
        }
        assumeTrue(answered, "no Docker daemon answers on " + SOCKET);
    }

    private static boolean ping() {
        if (!Files.exists(SOCKET)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(SOCKET));
            ch.write(
                    ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buf = ByteBuffer.allocate(256);
            ch.read(buf);
            return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).contains(" 200 ");
        } catch (IOException e) {
            return false;
        }
    }
}
