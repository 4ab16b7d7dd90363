package io.jenkins.plugins.containerbuild.engine.session.filesend;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.jenkins.plugins.containerbuild.engine.session.filesync.GoFileMode;
import io.jenkins.plugins.containerbuild.engine.session.filesync.proto.Packet;
import io.jenkins.plugins.containerbuild.engine.session.filesync.proto.PacketType;
import io.jenkins.plugins.containerbuild.engine.session.filesync.proto.Stat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@code local} output's call: the builder sends the tree as a file sync stream (one STAT per entry, then the
 * contents of each regular file we ask for by REQ, a FIN handshake). The tree is written under the staged directory:
 * directories, regular files, symlinks (their targets as given, never followed) and hard links; devices, pipes and
 * sockets are skipped. Permissions and modification times are kept; ownership is the agent's user, so a workspace
 * cleanup can remove what was written. A path that leaves the tree, or passes through anything but a directory
 * written here, ends the call with an error.
 */
final class DirectoryOutputCall extends ServerCall.Listener<byte[]> {
    /** Files whose contents are asked for at once: enough to keep the stream busy, few enough open files. */
    private static final int WINDOW = 16;

    private final ServerCall<byte[], byte[]> call;
    private final OutputTarget target;
    private final Path root;
    private final OutputStaging staging;
    private final AtomicLong bytesReceived;

    private int nextId;
    private boolean statsDone;
    private boolean finSent;
    private boolean ended;
    private final Set<String> dirs = new HashSet<>();
    private final Map<String, Stat> regular = new HashMap<>();
    private final List<Stat> dirStats = new ArrayList<>();
    private final ArrayDeque<Integer> toRequest = new ArrayDeque<>();
    private final Map<Integer, Stat> requested = new HashMap<>();
    private final Map<Integer, Stat> byId = new HashMap<>();
    private final Map<Integer, OutputStream> open = new HashMap<>();

    DirectoryOutputCall(
            ServerCall<byte[], byte[]> call,
            OutputTarget target,
            Path root,
            OutputStaging staging,
            AtomicLong bytesReceived) {
        this.call = call;
        this.target = target;
        this.root = root;
        this.staging = staging;
        this.bytesReceived = bytesReceived;
        dirs.add("");
    }

    @Override
    public void onMessage(byte[] frame) {
        if (ended) {
            return;
        }
        try {
            Packet p = Packet.parseFrom(frame);
            switch (p.getType()) {
                case PACKET_STAT -> onStat(p);
                case PACKET_DATA -> onData(p);
                case PACKET_FIN -> {
                    if (!finSent) {
                        throw new OutputException("the builder ended the output before sending all of it");
                    }
                }
                case PACKET_ERR ->
                    throw new OutputException(
                            "the builder failed: " + p.getData().toString(StandardCharsets.UTF_8));
                default -> throw new OutputException("unexpected packet " + p.getType());
            }
            call.request(1);
        } catch (InvalidProtocolBufferException e) {
            fail(Status.INVALID_ARGUMENT.withDescription("not a file sync packet: " + e.getMessage()));
        } catch (OutputException e) {
            fail(Status.INVALID_ARGUMENT.withDescription(target + ": " + e.getMessage()));
        } catch (IOException e) {
            fail(Status.INTERNAL.withDescription("cannot write " + target + ": " + e.getMessage()));
        }
    }

    private void onStat(Packet p) throws IOException {
        if (statsDone) {
            throw new OutputException("a file's details came after the end of the list");
        }
        if (!p.hasStat()) {
            statsDone = true;
            requestMore();
            finishIfDone();
            return;
        }
        int id = nextId++;
        Stat st = p.getStat();
        String rel = checkedPath(st.getPath());
        Path path = root.resolve(rel);
        int mode = st.getMode();
        if (GoFileMode.isDirectory(mode)) {
            if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(path);
            }
            dirs.add(rel);
            dirStats.add(st);
        } else if (GoFileMode.isSymlink(mode)) {
            Files.createSymbolicLink(path, Path.of(st.getLinkname()));
        } else if (GoFileMode.isRegular(mode) && !st.getLinkname().isEmpty()) {
            String first = checkedPath(st.getLinkname());
            if (!regular.containsKey(first)) {
                throw new OutputException("'" + rel + "' links to '" + first + "', which is not a file sent before it");
            }
            Files.createLink(path, root.resolve(first));
        } else if (GoFileMode.isRegular(mode)) {
            Files.createFile(path);
            regular.put(rel, st);
            byId.put(id, st);
            toRequest.add(id);
            requestMore();
        }
        // Devices, pipes and sockets are not written: an output directory holds files.
    }

    private void onData(Packet p) throws IOException {
        int id = p.getID();
        Stat st = requested.get(id);
        if (st == null) {
            throw new OutputException("contents of file " + id + " were not asked for");
        }
        Path path = root.resolve(st.getPath());
        if (p.getData().isEmpty()) {
            OutputStream out = open.remove(id);
            if (out != null) {
                out.close();
            }
            requested.remove(id);
            applyMetadata(path, st);
            requestMore();
            finishIfDone();
            return;
        }
        OutputStream out = open.get(id);
        if (out == null) {
            out = Files.newOutputStream(path);
            open.put(id, out);
        }
        p.getData().writeTo(out);
        bytesReceived.addAndGet(p.getData().size());
    }

    private void requestMore() {
        while (requested.size() < WINDOW && !toRequest.isEmpty()) {
            int id = toRequest.poll();
            requested.put(id, byId.remove(id));
            call.sendMessage(Packet.newBuilder()
                    .setType(PacketType.PACKET_REQ)
                    .setID(id)
                    .build()
                    .toByteArray());
        }
    }

    /** Once every entry is listed and every file written: directory modes (deepest first), then our FIN. */
    private void finishIfDone() throws IOException {
        if (!statsDone || !requested.isEmpty() || !toRequest.isEmpty() || finSent) {
            return;
        }
        for (int i = dirStats.size() - 1; i >= 0; i--) {
            applyMetadata(root.resolve(dirStats.get(i).getPath()), dirStats.get(i));
        }
        staging.completed(target, root);
        finSent = true;
        call.sendMessage(
                Packet.newBuilder().setType(PacketType.PACKET_FIN).build().toByteArray());
    }

    private static void applyMetadata(Path path, Stat st) throws IOException {
        Files.setLastModifiedTime(path, FileTime.from(st.getModTime(), TimeUnit.NANOSECONDS));
        Files.setPosixFilePermissions(path, GoFileMode.permissions(st.getMode()));
    }

    /** {@code given} as a clean relative path inside the tree whose parent is a directory written here. */
    private String checkedPath(String given) throws OutputException {
        if (given.isEmpty() || given.startsWith("/") || given.contains("\0") || given.contains("\\")) {
            throw new OutputException("refused the path '" + given + "'");
        }
        for (String part : given.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new OutputException("refused the path '" + given + "'");
            }
        }
        int slash = given.lastIndexOf('/');
        String parent = slash < 0 ? "" : given.substring(0, slash);
        if (!dirs.contains(parent)) {
            throw new OutputException("'" + given + "' is not inside a directory sent before it");
        }
        return given;
    }

    @Override
    public void onHalfClose() {
        if (ended) {
            return;
        }
        if (!finSent) {
            fail(Status.INVALID_ARGUMENT.withDescription(
                    target + ": the builder ended the output before sending all of it"));
            return;
        }
        ended = true;
        call.close(Status.OK, new Metadata());
    }

    @Override
    public void onCancel() {
        // The builder may drop the call once it has our FIN; by then the tree is complete.
        if (!ended && !finSent) {
            ended = true;
            closeOpenFiles();
            staging.discard(root);
        }
    }

    private void fail(Status status) {
        ended = true;
        closeOpenFiles();
        staging.discard(root);
        call.close(status, new Metadata());
    }

    private void closeOpenFiles() {
        for (OutputStream out : open.values()) {
            try {
                out.close();
            } catch (IOException e) {
                // the staged tree is removed anyway
            }
        }
        open.clear();
    }

    /** The stream broke the file sync's rules. */
    private static final class OutputException extends IOException {
        OutputException(String message) {
            super(message);
        }
    }
}
