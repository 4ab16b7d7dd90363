package io.jenkins.plugins.containerbuild.engine.steps;

import io.jenkins.plugins.containerbuild.engine.api.BuilderEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.ByteSize;
import io.jenkins.plugins.containerbuild.engine.api.GoDuration;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of {@code pruneBuildCache(all: false, filters: [until: '24h'], keepStorage: '10GB')},
 * which map to the daemon's {@code POST /build/prune}.
 */
public final class PruneRequest implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The accepted argument names. */
    public static final Set<String> ARGUMENTS = Collections.unmodifiableSet(
            new LinkedHashSet<>(List.of("all", "filters", "keepStorage", "builder", "builderCredentialsId")));
    /** The filter keys the daemon's build cache prune understands. */
    public static final Set<String> FILTERS = Collections.unmodifiableSet(
            new LinkedHashSet<>(List.of("until", "id", "parent", "type", "description", "inuse", "shared", "private")));

    private final boolean all;
    private final LinkedHashMap<String, String> filters;
    private final long keepStorageBytes;
    private final String builder;
    private final String builderCredentialsId;

    private PruneRequest(
            boolean all,
            Map<String, String> filters,
            long keepStorageBytes,
            String builder,
            String builderCredentialsId) {
        this.all = all;
        this.filters = new LinkedHashMap<>(filters);
        this.keepStorageBytes = keepStorageBytes;
        this.builder = builder;
        this.builderCredentialsId = builderCredentialsId;
    }

    /** The standalone buildkitd whose cache to prune, or null for the Docker daemon's. */
    public String builder() {
        return builder;
    }

    /** The client certificate credential for a {@code tcp://} builder, or null. */
    public String builderCredentialsId() {
        return builderCredentialsId;
    }

    /**
     * Reads the prune step's arguments.
     *
     * @throws InvalidBuildContextException for an unknown filter, an {@code until} that is not a duration
     *                                      such as {@code 24h}, or a {@code keepStorage} that is not a size
     */
    public static PruneRequest fromArguments(Map<String, ?> args) {
        Arguments a = Arguments.of("", args, ARGUMENTS);
        boolean all = a.bool("all", false);
        Map<String, String> filters = a.stringMap("filters", true);
        for (Map.Entry<String, String> f : filters.entrySet()) {
            if (!FILTERS.contains(f.getKey())) {
                String near = NearestName.find(f.getKey(), FILTERS);
                throw new InvalidBuildContextException(
                        "filters." + f.getKey(),
                        "unknown filter"
                                + (near == null
                                        ? "; known filters: "
                                        : "; did you mean '" + near + "'? Known filters: ")
                                + String.join(", ", FILTERS));
            }
        }
        if (filters.containsKey("until")) {
            GoDuration.parse("filters.until", filters.get("until"));
        }
        long keep = 0;
        Object raw = a.raw("keepStorage");
        if (raw instanceof Number n) {
            keep = ByteSize.parse(
                    "keepStorage", n instanceof java.math.BigDecimal d ? d.toPlainString() : n.toString());
        } else if (raw != null) {
            keep = ByteSize.parse("keepStorage", a.string("keepStorage", null));
        }
        String builder = a.string("builder", null);
        String credentialsId = a.string("builderCredentialsId", null);
        BuilderEndpoint.checkOptions(builder, credentialsId);
        return new PruneRequest(all, filters, keep, builder, credentialsId);
    }

    /** True to remove all unused build cache, not only dangling records. */
    public boolean all() {
        return all;
    }

    /** The daemon's prune filters, e.g. {@code until=24h}. */
    public Map<String, String> filters() {
        return Collections.unmodifiableMap(filters);
    }

    /** The amount of cache to keep, in bytes; 0 when not given. */
    public long keepStorageBytes() {
        return keepStorageBytes;
    }

    /** The arguments that give this request again. */
    public Map<String, Object> toArguments() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("all", all);
        if (!filters.isEmpty()) {
            m.put("filters", new LinkedHashMap<>(filters));
        }
        if (keepStorageBytes > 0) {
            m.put("keepStorage", Long.toString(keepStorageBytes));
        }
        return m;
    }

    @Override
    public String toString() {
        return "PruneRequest" + toArguments();
    }
}
