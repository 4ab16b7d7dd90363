package io.jenkins.plugins.containerbuild.engine.session.filesend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.jenkins.plugins.containerbuild.engine.session.GrpcMethods;
import io.jenkins.plugins.containerbuild.engine.session.filesend.proto.BytesMessage;
import io.jenkins.plugins.containerbuild.engine.session.filesync.GoFileMode;
import io.jenkins.plugins.containerbuild.engine.session.filesync.proto.Packet;
import io.jenkins.plugins.containerbuild.engine.session.filesync.proto.PacketType;
import io.jenkins.plugins.containerbuild.engine.session.filesync.proto.Stat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiving side of FileSend against a hand-driven sender. A real builder only sends well-formed trees, so this
 * test double plays a builder that sends a path leaving the tree, a path through a symlink, or stops half-way: the
 * faults the real buildkitd cannot be made to produce. The well-formed cases are also proven on the real buildkitd
 * ({@code ControlApiLocalOutputBuildkitdTest}).
 */
class FileSendProviderTest {
    private static final MethodDescriptor<byte[], byte[]> DIFF_COPY =
            GrpcMethods.bidiBytes(FileSendProvider.SERVICE, "DiffCopy");
    private static final int DIR = GoFileMode.DIR | 0755;

    @TempDir
    Path out;

    private final List<Server> servers = new java.util.ArrayList<>();
    private final List<ManagedChannel> channels = new java.util.ArrayList<>();
    private ManagedChannel channel;

    private FileSendProvider serve(Map<Integer, OutputTarget> targets) throws IOException {
        FileSendProvider provider = new FileSendProvider(targets);
        String name = UUID.randomUUID().toString();
        servers.add(InProcessServerBuilder.forName(name)
                .addService(provider.service())
                .build()
                .start());
        channel = InProcessChannelBuilder.forName(name).build();
        channels.add(channel);
        return provider;
    }

    @AfterEach
    void stop() {
        channels.forEach(ManagedChannel::shutdownNow);
        servers.forEach(Server::shutdownNow);
    }

    private static Packet stat(String path, int mode, String linkname) {
        return Packet.newBuilder()
                .setType(PacketType.PACKET_STAT)
                .setStat(Stat.newBuilder()
                        .setPath(path)
                        .setMode(mode)
                        .setLinkname(linkname)
                        .setModTime(1_700_000_000_123_456_789L))
                .build();
    }

    /**
     * Plays the sending builder: the stats, then each requested file's {@code contents} in 3-byte chunks, FIN when
     * asked. Returns how the call ended.
     */
    private Status sendTree(int exporter, List<Packet> stats, Map<Integer, String> contents) throws Exception {
        CompletableFuture<Status> end = new CompletableFuture<>();
        Metadata headers = new Metadata();
        headers.put(
                Metadata.Key.of("buildkit-attachable-exporter-id", Metadata.ASCII_STRING_MARSHALLER),
                String.valueOf(exporter));
        java.util.concurrent.atomic.AtomicReference<StreamObserver<byte[]>> self =
                new java.util.concurrent.atomic.AtomicReference<>();
        self.set(ClientCalls.asyncBidiStreamingCall(
                io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers))
                        .newCall(DIFF_COPY, CallOptions.DEFAULT),
                new StreamObserver<>() {
                    @Override
                    public void onNext(byte[] frame) {
                        try {
                            Packet p = Packet.parseFrom(frame);
                            if (p.getType() == PacketType.PACKET_REQ) {
                                byte[] data = contents.get(p.getID()).getBytes(StandardCharsets.UTF_8);
                                for (int i = 0; i < data.length; i += 3) {
                                    self.get()
                                            .onNext(Packet.newBuilder()
                                                    .setType(PacketType.PACKET_DATA)
                                                    .setID(p.getID())
                                                    .setData(ByteString.copyFrom(data, i, Math.min(3, data.length - i)))
                                                    .build()
                                                    .toByteArray());
                                }
                                self.get()
                                        .onNext(Packet.newBuilder()
                                                .setType(PacketType.PACKET_DATA)
                                                .setID(p.getID())
                                                .build()
                                                .toByteArray());
                            } else if (p.getType() == PacketType.PACKET_FIN) {
                                self.get()
                                        .onNext(Packet.newBuilder()
                                                .setType(PacketType.PACKET_FIN)
                                                .build()
                                                .toByteArray());
                                self.get().onCompleted();
                            }
                        } catch (IOException e) {
                            end.completeExceptionally(e);
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        end.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        end.complete(Status.OK);
                    }
                }));
        for (Packet p : stats) {
            self.get().onNext(p.toByteArray());
        }
        self.get()
                .onNext(Packet.newBuilder()
                        .setType(PacketType.PACKET_STAT)
                        .build()
                        .toByteArray());
        return end.get(10, TimeUnit.SECONDS);
    }

    private List<String> leftIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void aTreeIsStagedAndMovedIntoPlaceOnlyByCommit() throws Exception {
        Path dest = out.resolve("tree");
        FileSendProvider provider = serve(Map.of(1, new OutputTarget(dest, true)));
        Status s = sendTree(
                1,
                List.of(
                        stat("a", DIR, ""),
                        stat("a/f.txt", 0640, ""),
                        stat("a/link", GoFileMode.SYMLINK | 0777, "f.txt"),
                        stat("empty", 0600, "")),
                Map.of(1, "hello world", 3, ""));
        assertThat(s.getCode()).isEqualTo(Status.Code.OK);
        assertThat(dest).doesNotExist();
        provider.commit();
        assertThat(dest.resolve("a/f.txt")).hasContent("hello world");
        assertThat(Files.readSymbolicLink(dest.resolve("a/link"))).isEqualTo(Path.of("f.txt"));
        assertThat(dest.resolve("empty")).isEmptyFile();
        assertThat(Files.getLastModifiedTime(dest.resolve("a/f.txt")).toMillis())
                .isEqualTo(1_700_000_000_123L);
        assertThat(leftIn(out)).containsExactly("tree");
    }

    @Test
    void aPathLeavingTheTreeEndsTheCallAndNothingIsWritten() throws Exception {
        for (String evil : List.of("../escape", "/abs", "a/../../x", "./a", "a//b")) {
            FileSendProvider provider = serve(Map.of(0, new OutputTarget(out.resolve("t"), true)));
            Status s = sendTree(0, List.of(stat("a", DIR, ""), stat(evil, 0644, "")), Map.of(1, "x"));
            assertThat(s.getCode()).as(evil).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(s.getDescription()).as(evil).contains("refused the path");
            assertThatThrownBy(provider::commit).hasMessageContaining("did not send the output");
            provider.discard();
            assertThat(leftIn(out)).as(evil).isEmpty();
            assertThat(out.getParent().resolve("escape")).doesNotExist();
        }
    }

    @Test
    void aPathThroughASymlinkIsRefused() throws Exception {
        Path outside = Files.createDirectories(out.resolve("outside"));
        FileSendProvider provider = serve(Map.of(0, new OutputTarget(out.resolve("t"), true)));
        Status s = sendTree(
                0,
                List.of(stat("a", GoFileMode.SYMLINK | 0777, outside.toString()), stat("a/planted", 0644, "")),
                Map.of(1, "x"));
        assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(s.getDescription()).contains("not inside a directory sent before it");
        provider.discard();
        assertThat(leftIn(outside)).isEmpty();
        assertThat(leftIn(out)).containsExactly("outside");
    }

    @Test
    void aFileOutputIsTheChunksInOrderAndADroppedCallLeavesNothing() throws Exception {
        Path dest = out.resolve("image.tar");
        FileSendProvider provider = serve(Map.of(2, new OutputTarget(dest, false)));
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("buildkit-attachable-exporter-id", Metadata.ASCII_STRING_MARSHALLER), "2");
        var withHeaders =
                io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
        CompletableFuture<Status> end = new CompletableFuture<>();
        StreamObserver<byte[]> up =
                ClientCalls.asyncBidiStreamingCall(withHeaders.newCall(DIFF_COPY, CallOptions.DEFAULT), observer(end));
        for (String chunk : List.of("abc", "def", "g")) {
            up.onNext(BytesMessage.newBuilder()
                    .setData(ByteString.copyFromUtf8(chunk))
                    .build()
                    .toByteArray());
        }
        up.onCompleted();
        assertThat(end.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
        provider.commit();
        assertThat(dest).hasContent("abcdefg");

        FileSendProvider second = serve(Map.of(2, new OutputTarget(out.resolve("other.tar"), false)));
        withHeaders = io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
        CompletableFuture<Status> dropped = new CompletableFuture<>();
        StreamObserver<byte[]> half = ClientCalls.asyncBidiStreamingCall(
                withHeaders.newCall(DIFF_COPY, CallOptions.DEFAULT), observer(dropped));
        half.onNext(BytesMessage.newBuilder()
                .setData(ByteString.copyFromUtf8("partial"))
                .build()
                .toByteArray());
        waitFor(() -> second.bytesReceived() == 7);
        half.onError(Status.CANCELLED.asRuntimeException());
        assertThatThrownBy(second::commit)
                .hasMessageContaining("did not send the output for " + out.resolve("other.tar"));
        second.discard();
        // The cancelled call removes its own part too; it ends on the server's thread.
        waitFor(() -> leftIn(out).equals(List.of("image.tar")));
        assertThat(leftIn(out)).containsExactly("image.tar");
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void waitFor(Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!check.holds() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static StreamObserver<byte[]> observer(CompletableFuture<Status> end) {
        return new StreamObserver<>() {
            @Override
            public void onNext(byte[] value) {}

            @Override
            public void onError(Throwable t) {
                end.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                end.complete(Status.OK);
            }
        };
    }
}
