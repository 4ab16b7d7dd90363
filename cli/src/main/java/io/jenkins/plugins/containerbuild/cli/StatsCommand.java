package io.jenkins.plugins.containerbuild.cli;

import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.CacheStats;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code container-build stats}: build statistics from a history file and the daemon's cache usage. */
@Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        description = "Show build statistics (from a history file) and the daemon's build cache usage.")
final class StatsCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engineOptions;

    @Option(names = "--history", description = "History file (JSON lines) written by builds with --history")
    Path history;

    @Override
    public Integer call() {
        if (history != null && !history.toFile().isFile()) {
            throw new IllegalArgumentException("--history: " + history + " is not a file");
        }
        try (BuildEngine engine = engineOptions.engine(history)) {
            CacheStats s = engine.cacheStats();
            System.out.printf(Locale.ROOT, "builds:            %d%n", s.totalBuilds());
            System.out.printf(Locale.ROOT, "cache hits:        %d%n", s.cacheHits());
            System.out.printf(Locale.ROOT, "cache misses:      %d%n", s.cacheMisses());
            System.out.printf(Locale.ROOT, "hit rate:          %.1f%%%n", s.hitRate() * 100);
            System.out.printf(
                    Locale.ROOT,
                    "average duration:  %.2fs%n",
                    s.averageDuration().toMillis() / 1000.0);
            System.out.printf(
                    Locale.ROOT, "p95 duration:      %.2fs%n", s.p95Duration().toMillis() / 1000.0);
            System.out.printf(
                    Locale.ROOT,
                    "build cache:       %.1f MB in %d records%n",
                    s.buildCacheBytes() / 1e6,
                    s.buildCacheRecords());
            return 0;
        }
    }
}
