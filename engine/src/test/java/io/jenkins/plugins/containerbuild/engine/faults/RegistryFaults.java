package io.jenkins.plugins.containerbuild.engine.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.testing.MisbehavingRegistry;
import io.jenkins.plugins.containerbuild.engine.testing.Registries;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** A push through a {@link MisbehavingRegistry}, and what every such fault has in common, for the builders' tests. */
final class RegistryFaults {
    private RegistryFaults() {}

    /**
     * Builds a one-layer image of 3 MB of fresh random bytes (a blob the registry has never seen) tagged
     * {@code tag} and pushes it; checks that the push failed with no result, that the fault happened, that nothing was
     * reported pushed, that the real registry has no manifest under {@code repo} and that it ended within
     * {@code bound}; returns the failure.
     */
    static Throwable pushFails(
            Path dir,
            MisbehavingRegistry registry,
            String repo,
            String tag,
            Supplier<BuildEngine> engines,
            String label,
            Duration bound)
            throws IOException {
        FaultContexts.oneRandomLayer(dir);
        BuildContext ctx =
                BuildContext.builder().contextDir(dir).tag(tag).push(true).build();
        List<BuildProgress> events = new CopyOnWriteArrayList<>();
        AtomicReference<BuildResult> result = new AtomicReference<>();
        long start = System.nanoTime();
        Throwable thrown;
        try (BuildEngine engine = engines.get()) {
            thrown = catchThrowable(() -> result.set(engine.build(ctx, events::add)));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.println(label + ": failed after " + took.toMillis() + " ms with " + thrown + "\n  requests: "
                + registry.requests());
        assertThat(result.get()).as("no result").isNull();
        assertThat(registry.faults())
                .as("the fault happened: " + registry.requests())
                .isPositive();
        assertThat(events)
                .as("nothing reported pushed")
                .noneMatch(p -> p.message() != null && p.message().startsWith("pushed "));
        assertThat(Registries.getManifest(Registries.OPEN, repo, "1", null).status())
                .as("no manifest in the registry")
                .isEqualTo(404);
        assertThat(took).as("the push ends on its own").isLessThan(bound);
        return thrown;
    }
}
