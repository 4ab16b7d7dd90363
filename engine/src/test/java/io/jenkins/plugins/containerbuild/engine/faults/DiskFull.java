package io.jenkins.plugins.containerbuild.engine.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildFailedException;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.PruneOptions;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import io.jenkins.plugins.containerbuild.engine.json.Json;
import io.jenkins.plugins.containerbuild.engine.report.BuildResultMaps;
import io.jenkins.plugins.containerbuild.engine.testing.SecretScan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The scenario of a builder whose disk fills up (its data root a small tmpfs), shared by the builders' tests: a
 * {@code RUN} that reads a secret then writes more than the disk holds fails with an error that says "no space
 * left" and names the builder; after its build cache is pruned, the next build on the same engine works; the secret
 * is nowhere.
 */
final class DiskFull {
    /** The size of the builder's tmpfs. */
    static final String TMPFS_SIZE = "256m";

    /** What the ballast leaves free: room for the builder's own records, not for the step's file. */
    private static final long LEFT_FREE = 48L << 20;

    private DiskFull() {}

    /**
     * Runs the scenario.
     *
     * @param dataRoot    the builder's data root, where a ballast file fills the disk as another tenant would
     * @param engines     makes an engine on the builder that writes its history to the given file
     * @param builderName how the error must name the builder, e.g. {@code the buildkitd at unix://}
     */
    static void fillThenRecover(Path dir, Path dataRoot, Function<Path, BuildEngine> engines, String builderName)
            throws Exception {
        Path fill =
                FaultContexts.runReadingSecret(dir, "fill", "/bin/busybox dd if=/dev/zero of=/fill bs=1M count=200");
        Path small = FaultContexts.small(dir);
        byte[] secret = SecretScan.randomSecret();
        Path history = dir.resolve("history.jsonl");
        List<BuildProgress> console = new CopyOnWriteArrayList<>();

        Path ballast = dataRoot.resolve("cb-ballast");
        long total = Files.getFileStore(dataRoot).getTotalSpace();
        fillAllBut(ballast, LEFT_FREE);

        try (BuildEngine engine = engines.apply(history)) {
            BuildContext full = BuildContext.builder()
                    .contextDir(fill)
                    .secret("tok", SecretSource.ofBytes(secret))
                    .build();
            Throwable[] failure = {null};
            assertThatThrownBy(() -> engine.build(full, console::add))
                    .isInstanceOfSatisfying(BuildFailedException.class, e -> {
                        failure[0] = e;
                        System.out.println("the build failed as expected: " + e.getMessage());
                    })
                    .hasMessageContaining(builderName)
                    .hasMessageContaining("has no space left on its disk")
                    .hasMessageContaining("prune its build cache");
            assertThat(console.stream().map(BuildProgress::message))
                    .as("the step read the secret, and the console masked it")
                    .contains("got:****");

            // The operator frees the disk, then prunes what the failed step left.
            Files.delete(ballast);
            engine.pruneBuildCache(PruneOptions.builder().all(true).build());
            assertThat(Files.getFileStore(dataRoot).getUsableSpace())
                    .as("free space after pruning, of " + total)
                    .isGreaterThan(total / 2);
            BuildResult again =
                    engine.build(BuildContext.builder().contextDir(small).build(), null);
            assertThat(again.imageId()).startsWith("sha256:");

            assertThat(SecretScan.eventsHolding(console, secret))
                    .as("console lines")
                    .isEmpty();
            assertThat(SecretScan.failureHolds(failure[0], secret))
                    .as("the failure")
                    .isFalse();
            // The metadata a caller writes of a failed build (the plugin's record, the CLI's --metadata-file).
            Files.writeString(
                    dir.resolve("metadata.json"),
                    Json.write(BuildResultMaps.metrics(((BuildFailedException) failure[0]).metrics())));
        }
        assertThat(Files.size(history)).as("history written").isPositive();
        assertThat(SecretScan.filesHolding(List.of(dir), secret))
                .as("files written")
                .isEmpty();
    }

    /** Writes zeros to {@code file} until only {@code left} bytes of its file system are free. */
    private static void fillAllBut(Path file, long left) throws java.io.IOException {
        byte[] chunk = new byte[1 << 20];
        try (var out = Files.newOutputStream(file)) {
            for (long free = Files.getFileStore(file.getParent()).getUsableSpace(); free > left; free -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, free - left));
            }
        }
    }
}
