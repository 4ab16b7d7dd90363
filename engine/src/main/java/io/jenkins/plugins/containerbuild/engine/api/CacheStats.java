package io.jenkins.plugins.containerbuild.engine.api;

import java.time.Duration;

/**
 * Statistics over the builds in the engine's history, plus the daemon's build cache size.
 *
 * @param totalBuilds     builds in the history
 * @param cacheHits       cached steps, summed
 * @param cacheMisses     steps that ran, summed
 * @param averageDuration mean build duration
 * @param p95Duration     95th percentile build duration
 * @param buildCacheBytes the daemon's build cache size from {@code GET /system/df}, -1 when unknown
 * @param buildCacheRecords number of build cache records, -1 when unknown
 */
public record CacheStats(
        int totalBuilds,
        long cacheHits,
        long cacheMisses,
        Duration averageDuration,
        Duration p95Duration,
        long buildCacheBytes,
        int buildCacheRecords) {

    /** Cache hits divided by all steps, 0 without steps. */
    public double hitRate() {
        long all = cacheHits + cacheMisses;
        return all == 0 ? 0 : (double) cacheHits / all;
    }
}
