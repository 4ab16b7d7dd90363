package io.jenkins.plugins.containerbuild.engine.api;

import java.util.List;

/**
 * What a prune removed.
 *
 * @param cachesDeleted  ids of the removed cache records
 * @param spaceReclaimed bytes freed
 */
public record PruneResult(List<String> cachesDeleted, long spaceReclaimed) {
    public PruneResult {
        cachesDeleted = List.copyOf(cachesDeleted);
    }
}
