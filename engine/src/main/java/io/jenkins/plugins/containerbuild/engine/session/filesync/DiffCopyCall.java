package io.jenkins.plugins.containerbuild.engine.session.filesync;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.jenkins.plugins.containerbuild.engine.context.ContextArchive;
import io.jenkins.plugins.containerbuild.engine.context.ContextTree;
import io.jenkins.plugins.containerbuild.engine.context.DockerIgnore;
import io.jenkins.plugins.containerbuild.engine.session.filesync.proto.Packet;
import io.jenkins.plugins.containerbuild.engine.session.filesync.proto.PacketType;
import io.jenkins.plugins.containerbuild.engine.session.filesync.proto.Stat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One DiffCopy call, we being the sender. The listener side (gRPC's call executor) only queues what the daemon
 * sends; one thread of its own walks the directory, sends the stats, then answers each REQ with the file's
 * DATA chunks, until the daemon's FIN. Only that thread touches the call after it started, and it waits for
 * the transport to drain before each send, so at most about {@link #SEND_BUFFER} bytes are in flight.
 */
final class DiffCopyCall extends ServerCall.Listener<Packet> implements Runnable {
    /** The largest DATA chunk. */
    static final int CHUNK = 32 * 1024;
    /** Bytes queued in the transport before a send waits. */
    static final int SEND_BUFFER = 512 * 1024;

    private static final int FIN = -1;
    private static final int PEER_ERROR = -2;
    private static final int HALF_CLOSED = -3;
    private static final int CANCELLED = -4;

    private final ServerCall<Packet, Packet> call;
    private final ContextTree tree;
    private final List<DockerIgnore> filters;
    private final AtomicLong bytesSent;
    private final Consumer<DiffCopyCall> onEnd;
    private final LinkedBlockingQueue<Integer> events = new LinkedBlockingQueue<>();
    private final Object readyLock = new Object();
    private final List<Path> files = new ArrayList<>(); // by stat id; null for what is not a regular file
    private final BitSet served = new BitSet();
    private volatile boolean cancelled;
    private volatile String peerError;
    private volatile Thread thread;

    DiffCopyCall(
            ServerCall<Packet, Packet> call,
            ContextTree tree,
            List<DockerIgnore> filters,
            AtomicLong bytesSent,
            Consumer<DiffCopyCall> onEnd) {
        this.call = call;
        this.tree = tree;
        this.filters = List.copyOf(filters);
        this.bytesSent = bytesSent;
        this.onEnd = onEnd;
    }

    void start(Thread t) {
        thread = t;
        t.start();
    }

    // ---- listener side: queue only ----

    @Override
    public void onMessage(Packet p) {
        switch (p.getType()) {
            case PACKET_REQ -> events.add(p.getID());
            case PACKET_FIN -> events.add(FIN);
            case PACKET_ERR -> {
                peerError = p.getData().toStringUtf8();
                events.add(PEER_ERROR);
            }
            default -> {
                peerError = "unexpected " + p.getType() + " packet from the receiver";
                events.add(PEER_ERROR);
            }
        }
    }

    @Override
    public void onHalfClose() {
        events.add(HALF_CLOSED);
    }

    @Override
    public void onCancel() {
        abort();
    }

    @Override
    public void onReady() {
        synchronized (readyLock) {
            readyLock.notifyAll();
        }
    }

    void abort() {
        cancelled = true;
        events.add(CANCELLED);
        synchronized (readyLock) {
            readyLock.notifyAll();
        }
    }

    // ---- sender side ----

    @Override
    public void run() {
        try {
            call.setOnReadyThreshold(SEND_BUFFER);
            call.sendHeaders(new Metadata());
            tree.walk(filters, node -> {
                sendStat(node);
                Integer ev;
                while ((ev = events.poll()) != null) {
                    if (handle(ev)) {
                        throw new Done();
                    }
                }
            });
            send(Packet.newBuilder().setType(PacketType.PACKET_STAT).build()); // end of stats: no Stat at all
            while (!handle(events.take())) {
                // serve until FIN
            }
        } catch (Done | Cancelled e) {
            // finished or nobody to answer
        } catch (InterruptedException e) {
            closeQuietly(Status.CANCELLED.withDescription("interrupted"));
        } catch (IOException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            try {
                send(Packet.newBuilder()
                        .setType(PacketType.PACKET_ERR)
                        .setData(ByteString.copyFromUtf8(msg))
                        .build());
            } catch (RuntimeException ignored) {
                // the call is gone
            }
            closeQuietly(Status.UNKNOWN.withDescription("file sync of " + tree.root() + ": " + msg));
        } finally {
            onEnd.accept(this);
        }
    }

    /** Acts on one event from the receiver; true when the call is over. */
    private boolean handle(int ev) throws IOException {
        switch (ev) {
            case FIN -> {
                send(Packet.newBuilder().setType(PacketType.PACKET_FIN).build());
                closeQuietly(Status.OK);
                return true;
            }
            case PEER_ERROR -> {
                closeQuietly(Status.CANCELLED.withDescription("the daemon stopped the file sync: " + peerError));
                return true;
            }
            case HALF_CLOSED -> {
                closeQuietly(Status.OK);
                return true;
            }
            case CANCELLED -> {
                return true;
            }
            default -> {
                serve(ev);
                return false;
            }
        }
    }

    private void sendStat(ContextTree.Node n) {
        Stat.Builder s = Stat.newBuilder()
                .setPath(n.path())
                .setMode(goMode(n.type(), n.mode()))
                .setSize(n.size())
                .setModTime(n.mtimeNanos());
        if (n.linkTarget() != null) {
            s.setLinkname(n.linkTarget());
        }
        files.add(n.type() == ContextArchive.Entry.Type.FILE ? n.source() : null);
        send(Packet.newBuilder().setType(PacketType.PACKET_STAT).setStat(s).build());
    }

    private void serve(int id) throws IOException {
        Path file = id >= 0 && id < files.size() ? files.get(id) : null;
        if (file == null) {
            throw new IOException("the daemon asked for entry " + id + ", which is not a regular file sent");
        }
        if (served.get(id)) {
            throw new IOException("the daemon asked twice for " + file);
        }
        served.set(id);
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            while (true) {
                byte[] buf = new byte[CHUNK]; // a fresh array each time: the message may outlive sendMessage
                int n = in.readNBytes(buf, 0, CHUNK);
                if (n <= 0) {
                    break;
                }
                send(Packet.newBuilder()
                        .setType(PacketType.PACKET_DATA)
                        .setID(id)
                        .setData(UnsafeByteOperations.unsafeWrap(buf, 0, n))
                        .build());
                bytesSent.addAndGet(n);
                if (n < CHUNK) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        send(Packet.newBuilder().setType(PacketType.PACKET_DATA).setID(id).build());
    }

    private void send(Packet p) {
        synchronized (readyLock) {
            while (!call.isReady()) {
                if (cancelled) {
                    throw new Cancelled();
                }
                try {
                    readyLock.wait(TimeUnit.SECONDS.toMillis(1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Cancelled();
                }
            }
        }
        if (cancelled) {
            throw new Cancelled();
        }
        call.sendMessage(p);
    }

    private void closeQuietly(Status status) {
        try {
            call.close(status, new Metadata());
        } catch (RuntimeException e) {
            // already closed or cancelled
        }
    }

    /** Go's os.FileMode for an entry: permission bits, type bits and the setuid/setgid/sticky bits. */
    static int goMode(ContextArchive.Entry.Type type, int unixMode) {
        int m = unixMode & 0777;
        if ((unixMode & 04000) != 0) {
            m |= GoFileMode.SETUID;
        }
        if ((unixMode & 02000) != 0) {
            m |= GoFileMode.SETGID;
        }
        if ((unixMode & 01000) != 0) {
            m |= GoFileMode.STICKY;
        }
        return switch (type) {
            case DIRECTORY -> m | GoFileMode.DIR;
            case SYMLINK -> m | GoFileMode.SYMLINK;
            case FILE -> m;
        };
    }

    private static final class Done extends RuntimeException {
        Done() {
            super(null, null, false, false);
        }
    }

    private static final class Cancelled extends RuntimeException {
        Cancelled() {
            super(null, null, false, false);
        }
    }
}
