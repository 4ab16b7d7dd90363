package io.jenkins.plugins.containerbuild.engine.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Build contexts the fault tests share. */
final class FaultContexts {
    private FaultContexts() {}

    /** {@code dir/small}: one new file copied into {@code scratch}, a build of well under a second. */
    static Path small(Path dir) throws IOException {
        Path small = Files.createDirectory(dir.resolve("small"));
        Files.writeString(small.resolve("Dockerfile"), "FROM scratch\nCOPY marker.txt /\n");
        Files.writeString(small.resolve("marker.txt"), "small " + UUID.randomUUID());
        return small;
    }

    /**
     * {@code dir/name}: busybox in {@code scratch}, then a {@code RUN} with the secret {@code tok} mounted that prints
     * it ({@code got:…}, which the console must mask) and goes on with {@code script} in busybox's shell.
     */
    static Path runReadingSecret(Path dir, String name, String script) throws IOException {
        Path ctx = Files.createDirectory(dir.resolve(name));
        Files.copy(Path.of("/bin/busybox"), ctx.resolve("busybox"));
        Files.writeString(
                ctx.resolve("Dockerfile"),
                "FROM scratch\nCOPY busybox /bin/busybox\n"
                        + "RUN --mount=type=secret,id=tok [\"/bin/busybox\", \"sh\", \"-c\","
                        + " \"echo got:$(/bin/busybox cat /run/secrets/tok); " + script + "\"]\n");
        return ctx;
    }

    /** Makes {@code dir} a context of one layer of 3 MB of fresh random bytes: a blob no registry has seen. */
    static void oneRandomLayer(Path dir) throws IOException {
        byte[] blob = new byte[3 * 1024 * 1024];
        new java.util.Random().nextBytes(blob);
        Files.write(dir.resolve("blob.bin"), blob);
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\nCOPY blob.bin /blob.bin\n");
    }
}
