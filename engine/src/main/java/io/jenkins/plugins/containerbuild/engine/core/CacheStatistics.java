package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.CacheStats;
import io.jenkins.plugins.containerbuild.engine.api.HistoryEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Statistics over a build history and the daemon's build cache usage. */
final class CacheStatistics {
    private CacheStatistics() {}

    /**
     * @param usage the daemon's build cache: {@code [bytes, records]}
     */
    static CacheStats of(List<HistoryEntry> history, long[] usage) {
        long hits = 0;
        long misses = 0;
        List<Long> durations = new ArrayList<>();
        for (HistoryEntry e : history) {
            hits += e.stepsCached();
            misses += e.stepsTotal() - e.stepsCached();
            durations.add(e.durationMillis());
        }
        durations.sort(Long::compare);
        long avg = Math.round(
                durations.stream().mapToLong(Long::longValue).average().orElse(0));
        long p95 = durations.isEmpty() ? 0 : durations.get((int) Math.ceil(0.95 * durations.size()) - 1);
        return new CacheStats(
                history.size(), hits, misses, Duration.ofMillis(avg), Duration.ofMillis(p95), usage[0], (int) usage[1]);
    }
}
