package io.jenkins.plugins.containerbuild.engine.daemon;

import io.jenkins.plugins.containerbuild.engine.api.PruneOptions;
import io.jenkins.plugins.containerbuild.engine.api.PruneResult;
import io.jenkins.plugins.containerbuild.engine.json.Json;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The daemon's build cache: prune ({@code POST /build/prune}), usage ({@code GET /system/df}), cancel. */
public final class BuildCacheApi {
    private final DaemonClient daemon;

    public BuildCacheApi(DaemonClient daemon) {
        this.daemon = daemon;
    }

    public PruneResult prune(PruneOptions o) {
        Query q = new Query()
                .addIf(o.all(), "all", "1")
                .addIf(o.keepStorageBytes() > 0, "keep-storage", Long.toString(o.keepStorageBytes()));
        if (!o.filters().isEmpty()) {
            // The daemon's filter form: {"key": {"value": true}}.
            Map<String, Map<String, Boolean>> f = new LinkedHashMap<>();
            o.filters().forEach((k, v) -> f.put(k, Map.of(v, true)));
            q.add("filters", Json.write(f));
        }
        JsonValue n = daemon.postJson("/build/prune" + q, null, Map.of());
        List<String> deleted = new ArrayList<>();
        if (n != null) {
            n.path("CachesDeleted").forEach(c -> deleted.add(c.asText()));
        }
        return new PruneResult(deleted, n == null ? 0 : n.path("SpaceReclaimed").asLong(0));
    }

    /** Bytes and record count of the build cache, from {@code GET /system/df}. */
    public long[] usage() {
        JsonValue n = daemon.getJson("/system/df");
        long bytes = 0;
        int records = 0;
        if (n != null) {
            for (JsonValue c : n.path("BuildCache")) {
                bytes += c.path("Size").asLong(0);
                records++;
            }
        }
        return new long[] {bytes, records};
    }

    /** {@code POST /build/cancel?id=…}; an unknown id is silently ignored by the daemon. */
    public void cancel(String buildId) {
        daemon.postJson("/build/cancel" + new Query().add("id", buildId), null, Map.of());
    }
}
