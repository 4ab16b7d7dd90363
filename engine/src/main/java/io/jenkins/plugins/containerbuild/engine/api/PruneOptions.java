package io.jenkins.plugins.containerbuild.engine.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** What {@link BuildEngine#pruneBuildCache} removes. Validated before any request. */
public final class PruneOptions {
    private static final Set<String> FILTER_KEYS =
            Set.of("until", "id", "parent", "type", "description", "inuse", "shared", "private");

    private final boolean all;
    private final Map<String, String> filters;
    private final long keepStorageBytes;

    private PruneOptions(Builder b) {
        b.filters.forEach((k, v) -> {
            if (!FILTER_KEYS.contains(k)) {
                throw new InvalidBuildContextException(
                        "filters",
                        "unknown filter '" + k + "'; use one of "
                                + String.join(", ", new java.util.TreeSet<>(FILTER_KEYS)));
            }
            if (k.equals("until")) {
                GoDuration.parse("filters.until", v);
            }
        });
        if (b.keepStorageBytes < 0) {
            throw new InvalidBuildContextException("keepStorage", "must not be negative");
        }
        this.all = b.all;
        this.filters = Collections.unmodifiableMap(new LinkedHashMap<>(b.filters));
        this.keepStorageBytes = b.keepStorageBytes;
    }

    /** Also remove cache records that are shared or internal (like {@code docker builder prune --all}). */
    public boolean all() {
        return all;
    }

    public Map<String, String> filters() {
        return filters;
    }

    /** Keep this much cache; 0 means no limit to what is removed. */
    public long keepStorageBytes() {
        return keepStorageBytes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Parses sizes such as {@code 10GB}, {@code 512MiB}, {@code 1.5G} or {@code 1024} into bytes. */
    public static long parseSize(String field, String text) {
        return ByteSize.parse(field, text);
    }

    @Override
    public String toString() {
        return "PruneOptions{all=" + all + ", filters=" + filters + ", keepStorageBytes=" + keepStorageBytes + "}";
    }

    /** Builder for {@link PruneOptions}. */
    public static final class Builder {
        private boolean all;
        private final Map<String, String> filters = new LinkedHashMap<>();
        private long keepStorageBytes;

        private Builder() {}

        public Builder all(boolean v) {
            all = v;
            return this;
        }

        public Builder filter(String key, String value) {
            filters.put(key, value);
            return this;
        }

        public Builder filters(Map<String, String> v) {
            filters.clear();
            filters.putAll(v);
            return this;
        }

        public Builder keepStorageBytes(long v) {
            keepStorageBytes = v;
            return this;
        }

        public PruneOptions build() {
            return new PruneOptions(this);
        }
    }
}
