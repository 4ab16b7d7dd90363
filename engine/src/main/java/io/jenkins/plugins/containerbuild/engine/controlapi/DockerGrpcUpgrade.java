package io.jenkins.plugins.containerbuild.engine.controlapi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The first handler of a channel to a Docker daemon's BuildKit API: once connected it asks for {@code POST /grpc}
 * with {@code Upgrade: h2c}, and only when the daemon answers {@code 101 Switching Protocols} does it tell the rest of
 * the pipeline that the channel is active, so gRPC's HTTP/2 (with prior knowledge: we are the client and send the
 * preface) starts on the upgraded connection. Bytes the daemon sent after its answer are passed on; then the handler
 * leaves the pipeline. Any other answer fails the connection with the daemon's status line.
 */
final class DockerGrpcUpgrade extends ChannelInboundHandlerAdapter {
    /** The daemon's answer is a status line and a few headers; more than this is not an upgrade. */
    private static final int MAX_ANSWER = 16 * 1024;

    private static final byte[] REQUEST = ("POST /grpc HTTP/1.1\r\n"
                    + "Host: docker\r\n"
                    + "Content-Length: 0\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Upgrade: h2c\r\n"
                    + "\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final String daemon;
    private ByteBuf answer;

    /**
     * @param daemon the daemon's address, for messages
     */
    DockerGrpcUpgrade(String daemon) {
        this.daemon = daemon;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Not passed on yet: gRPC must not send its preface before the daemon switched protocols.
        answer = ctx.alloc().buffer(512);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(REQUEST));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws IOException {
        ByteBuf in = (ByteBuf) msg;
        try {
            answer.writeBytes(in);
        } finally {
            in.release();
        }
        int end = headerEnd(answer);
        if (end < 0) {
            if (answer.readableBytes() > MAX_ANSWER) {
                throw refused("an answer that is not HTTP");
            }
            return;
        }
        String head = answer.toString(answer.readerIndex(), end, StandardCharsets.ISO_8859_1);
        String statusLine = head.lines().findFirst().orElse("");
        if (!statusLine.startsWith("HTTP/1.1 101") && !statusLine.startsWith("HTTP/1.0 101")) {
            throw refused("'" + statusLine.strip() + "'");
        }
        answer.skipBytes(end + 4);
        ByteBuf rest = answer;
        answer = null;
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
        if (rest.isReadable()) {
            ctx.fireChannelRead(rest);
        } else {
            rest.release();
        }
    }

    private IOException refused(String what) {
        return new IOException("the Docker daemon at " + daemon + " answered BuildKit's API (POST /grpc) with " + what);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (answer != null) {
            answer.release();
            answer = null;
        }
    }

    /** Offset of the blank line ending the headers, or -1. */
    private static int headerEnd(ByteBuf b) {
        int from = b.readerIndex();
        int to = b.writerIndex() - 3;
        for (int i = from; i < to; i++) {
            if (b.getByte(i) == '\r'
                    && b.getByte(i + 1) == '\n'
                    && b.getByte(i + 2) == '\r'
                    && b.getByte(i + 3) == '\n') {
                return i - from;
            }
        }
        return -1;
    }
}
