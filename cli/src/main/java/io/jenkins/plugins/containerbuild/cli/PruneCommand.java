package io.jenkins.plugins.containerbuild.cli;

import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.PruneOptions;
import io.jenkins.plugins.containerbuild.engine.api.PruneResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code container-build prune}: removes build cache records from the daemon. */
@Command(name = "prune", mixinStandardHelpOptions = true, description = "Remove build cache from the daemon.")
final class PruneCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engineOptions;

    @Option(names = "--all", description = "Also remove shared and internal records")
    boolean all;

    @Option(
            names = "--filter",
            description = "K=V: until=24h, id=, parent=, type=, description=, inuse=, shared=, private= (repeatable)")
    List<String> filters = new ArrayList<>();

    @Option(names = "--keep-storage", description = "Keep this much cache, e.g. 10GB or 512MiB")
    String keepStorage;

    @Override
    public Integer call() {
        PruneOptions options = PruneOptions.builder()
                .all(all)
                .filters(KeyValues.parse("--filter", filters, '='))
                .keepStorageBytes(keepStorage == null ? 0 : PruneOptions.parseSize("--keep-storage", keepStorage))
                .build();
        try (BuildEngine engine = engineOptions.engine()) {
            PruneResult r = engine.pruneBuildCache(options);
            System.out.printf(
                    java.util.Locale.ROOT,
                    "deleted %d cache records, reclaimed %.1f MB%n",
                    r.cachesDeleted().size(),
                    r.spaceReclaimed() / 1e6);
            return 0;
        }
    }
}
