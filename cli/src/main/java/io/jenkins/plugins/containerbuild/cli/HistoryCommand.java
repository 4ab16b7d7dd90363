package io.jenkins.plugins.containerbuild.cli;

import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuilderBuild;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code container-build history}: the builds the builder itself remembers (BuildKit's build history). */
@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        description = "List the builds the builder remembers, whichever client ran them (BuildKit's build history:"
                + " a buildkitd, or Docker 23 and later).")
final class HistoryCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Mixin
    EngineOptions engineOptions;

    @Option(names = "--limit", description = "Show the last N builds (default: ${DEFAULT-VALUE})", defaultValue = "20")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new IllegalArgumentException("--limit: must be at least 1, got " + limit);
        }
        try (BuildEngine engine = engineOptions.engine()) {
            List<BuilderBuild> all = engine.builderHistory();
            List<BuilderBuild> shown = all.subList(Math.max(0, all.size() - limit), all.size());
            System.out.printf(
                    Locale.ROOT, "%-26s %-19s %9s %8s  %s%n", "REF", "STARTED (UTC)", "DURATION", "CACHED", "STATE");
            for (BuilderBuild b : shown) {
                Duration d = b.duration();
                System.out.printf(
                        Locale.ROOT,
                        "%-26s %-19s %9s %8s  %s%n",
                        b.ref().length() > 26 ? b.ref().substring(0, 26) : b.ref(),
                        TIME.format(b.createdAt()),
                        d == null ? "-" : String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0),
                        b.cachedSteps() + "/" + b.totalSteps(),
                        b.state() + (b.error() == null ? "" : ": " + firstLine(b.error())));
            }
            System.out.printf(Locale.ROOT, "%d of %d builds%n", shown.size(), all.size());
            return 0;
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
