package io.jenkins.plugins.containerbuild.engine.session.sshforward;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.jenkins.plugins.containerbuild.engine.session.sshforward.proto.BytesMessage;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Relays one ForwardAgent stream to an existing ssh-agent's unix socket: the daemon's chunks are written to
 * the socket, the agent's answers read on a thread of their own and sent back. The daemon half-closing ends
 * the socket's output; the agent closing ends the call with OK.
 */
final class AgentSocketRelay implements StreamObserver<BytesMessage>, AutoCloseable {
    private static final int CHUNK = 32 * 1024;
    private final SocketChannel socket;
    private final StreamObserver<BytesMessage> toDaemon;
    private final Runnable onEnd;
    private boolean finished;

    AgentSocketRelay(Path agentSocket, StreamObserver<BytesMessage> toDaemon, Runnable onEnd) throws IOException {
        this.socket = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            socket.connect(UnixDomainSocketAddress.of(agentSocket));
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        this.toDaemon = toDaemon;
        this.onEnd = onEnd;
    }

    void start(String threadName) {
        Thread t = new Thread(this::readLoop, threadName);
        t.setDaemon(true);
        t.start();
    }

    private void readLoop() {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        try {
            while (true) {
                buf.clear();
                int n = socket.read(buf);
                if (n < 0) {
                    finish(null);
                    return;
                }
                buf.flip();
                synchronized (this) {
                    if (finished) {
                        return;
                    }
                    toDaemon.onNext(BytesMessage.newBuilder()
                            .setData(ByteString.copyFrom(buf))
                            .build());
                }
            }
        } catch (IOException | RuntimeException e) {
            finish(Status.UNAVAILABLE.withDescription("ssh-agent socket: " + e.getMessage()));
        } finally {
            closeSocket();
            onEnd.run();
        }
    }

    private synchronized void finish(Status error) {
        if (finished) {
            return;
        }
        finished = true;
        try {
            if (error == null) {
                toDaemon.onCompleted();
            } else {
                toDaemon.onError(error.asRuntimeException());
            }
        } catch (RuntimeException ignored) {
            // the call was already cancelled
        }
    }

    @Override
    public void onNext(BytesMessage value) {
        ByteBuffer b = value.getData().asReadOnlyByteBuffer();
        try {
            while (b.hasRemaining()) {
                socket.write(b);
            }
        } catch (IOException e) {
            finish(Status.UNAVAILABLE.withDescription("ssh-agent socket: " + e.getMessage()));
            closeSocket();
        }
    }

    @Override
    public void onError(Throwable t) {
        synchronized (this) {
            finished = true;
        }
        closeSocket();
    }

    @Override
    public void onCompleted() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            closeSocket();
        }
    }

    @Override
    public void close() {
        finish(Status.CANCELLED.withDescription("session closed"));
        closeSocket();
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
