package io.jenkins.plugins.containerbuild.engine.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Queue;
import javax.net.ssl.SSLException;

/**
 * The session upgrade done inside a Netty pipeline, after a handler that secures the connection (an
 * {@code SslHandler}) and before the gRPC server's handlers: on {@code channelActive} it sends the
 * {@code POST /session} request, holds back the gRPC server's writes (its HTTP/2 SETTINGS) and the
 * {@code channelActive} event until the daemon answers {@code 101}, then lets them through, hands the
 * bytes read past the answer's blank line (the daemon's HTTP/2 preface) to the gRPC server and removes
 * itself. {@link #result()} tells the opener how it ended.
 */
final class UpgradeHandler extends ChannelDuplexHandler {
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_ERROR_BODY = 4 * 1024;

    private final byte[] request;
    private final String endpoint;
    private final Promise<Void> result = ImmediateEventExecutor.INSTANCE.newPromise();
    private final Queue<Object[]> held = new ArrayDeque<>();
    private ByteBuf head;
    private String refusal; // status line of a non-101 answer, while its body is read
    private int bodyLength;
    private boolean upgraded;

    UpgradeHandler(byte[] request, String endpoint) {
        this.request = request.clone();
        this.endpoint = endpoint;
    }

    /** Completes when the daemon answered 101 (success) or the upgrade failed (with an IOException). */
    Promise<Void> result() {
        return result;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        head = ctx.alloc().buffer(256);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // held back until the upgrade is done; the request waits in the SslHandler for the handshake
        ctx.writeAndFlush(Unpooled.wrappedBuffer(request)).addListener(f -> {
            if (!f.isSuccess()) {
                fail(ctx, f.cause());
            }
        });
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (upgraded) {
            ctx.write(msg, promise);
        } else {
            held.add(new Object[] {msg, promise});
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (upgraded) {
            ctx.flush();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (upgraded) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        try {
            if (result.isDone()) {
                return; // failed: the channel is closing
            }
            if (refusal != null) {
                head.writeBytes(in, Math.min(in.readableBytes(), Math.max(0, bodyLength - head.readableBytes())));
                if (head.readableBytes() >= bodyLength) {
                    refused(ctx);
                }
                return;
            }
            while (in.isReadable()) {
                head.writeByte(in.readByte());
                if (endsWithBlankLine()) {
                    answered(ctx, in);
                    return;
                }
                if (head.readableBytes() > MAX_HEADER_BYTES) {
                    fail(
                            ctx,
                            new IOException("the session upgrade answer from " + endpoint + " has over "
                                    + MAX_HEADER_BYTES + " header bytes"));
                    return;
                }
            }
        } finally {
            in.release();
        }
    }

    private boolean endsWithBlankLine() {
        int n = head.writerIndex();
        return n >= 4
                && head.getByte(n - 4) == '\r'
                && head.getByte(n - 3) == '\n'
                && head.getByte(n - 2) == '\r'
                && head.getByte(n - 1) == '\n';
    }

    private void answered(ChannelHandlerContext ctx, ByteBuf rest) {
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        String status = headers.substring(0, headers.indexOf("\r\n"));
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            fail(
                    ctx,
                    new IOException("the Docker daemon at " + endpoint + " answered the session upgrade with '" + status
                            + "'"));
            return;
        }
        if (!parts[1].equals("101")) {
            refusal = status;
            bodyLength = MAX_ERROR_BODY;
            for (String line : headers.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    try {
                        bodyLength = Math.min(
                                MAX_ERROR_BODY,
                                Integer.parseInt(line.substring(15).trim()));
                    } catch (NumberFormatException ignored) {
                        // keep the cap
                    }
                }
            }
            head.clear();
            head.writeBytes(rest, Math.min(rest.readableBytes(), bodyLength));
            if (head.readableBytes() >= bodyLength) {
                refused(ctx);
            }
            return;
        }
        upgraded = true;
        head.release();
        head = null;
        ByteBuf leftover = rest.isReadable() ? rest.retainedSlice() : null;
        Object[] w;
        while ((w = held.poll()) != null) {
            ctx.write(w[0], (ChannelPromise) w[1]);
        }
        ctx.flush();
        ctx.fireChannelActive();
        if (leftover != null) {
            ctx.fireChannelRead(leftover);
            ctx.fireChannelReadComplete();
        }
        ctx.pipeline().remove(this);
        result.trySuccess(null);
    }

    private void refused(ChannelHandlerContext ctx) {
        String body = head.toString(StandardCharsets.UTF_8).trim();
        fail(
                ctx,
                new IOException("the Docker daemon at " + endpoint + " refused the session: " + refusal
                        + (body.isEmpty() ? "" : " " + body)));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!upgraded) {
            String detail =
                    refusal != null ? ": " + refusal : head != null && head.isReadable() ? ": " + firstLine() : "";
            fail(
                    ctx,
                    new IOException("the Docker daemon at " + endpoint + " closed the connection while answering"
                            + " the session upgrade" + detail));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (upgraded) {
            ctx.fireExceptionCaught(cause);
        } else {
            fail(ctx, cause);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseAll(new IOException("the session upgrade with " + endpoint + " did not complete"));
    }

    private String firstLine() {
        String s = head.toString(StandardCharsets.ISO_8859_1);
        int i = s.indexOf('\r');
        return i < 0 ? s : s.substring(0, i);
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (result.isDone()) {
            return;
        }
        IOException e;
        Throwable root = cause;
        while (root.getCause() != null && !(root instanceof SSLException)) {
            root = root.getCause();
        }
        if (root instanceof SSLException) {
            e = new IOException(
                    "TLS with the Docker daemon at " + endpoint + " failed: " + root.getMessage()
                            + " (check ca.pem, cert.pem and key.pem of the TLS certificate directory)",
                    cause);
        } else if (cause instanceof IOException io) {
            e = io;
        } else {
            e = new IOException(
                    "the session upgrade with the Docker daemon at " + endpoint + " failed: " + cause, cause);
        }
        result.tryFailure(e);
        releaseAll(e);
        ctx.close();
    }

    private void releaseAll(Throwable cause) {
        Object[] w;
        while ((w = held.poll()) != null) {
            ReferenceCountUtil.release(w[0]);
            ((ChannelPromise) w[1]).tryFailure(cause);
        }
        if (head != null) {
            head.release();
            head = null;
        }
    }
}
