package io.jenkins.plugins.containerbuild.engine.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code cacheFrom} entries in buildx's {@code --cache-from} syntax: a bare image reference, or
 * {@code type=registry,ref=…}; both name an image whose cache the build may use.
 */
final class CacheImports {
    private CacheImports() {}

    /** The image reference an entry names. */
    static String reference(String entry) {
        String field = BuildOption.CACHE_FROM.key();
        String e = entry == null ? "" : entry.trim();
        if (!e.startsWith("type=")) {
            return e;
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        for (String part : e.split(",")) {
            int eq = part.indexOf('=');
            attrs.put(
                    eq < 0 ? part.trim() : part.substring(0, eq).trim(),
                    eq < 0 ? "" : part.substring(eq + 1).trim());
        }
        String type = attrs.remove("type");
        String ref = attrs.remove("ref");
        if ("local".equals(type)) {
            throw new InvalidBuildContextException(
                    field, "'" + entry + "': type=local cache imports are not supported yet; use type=registry,ref=…");
        }
        if (!"registry".equals(type)) {
            throw new InvalidBuildContextException(
                    field, "'" + entry + "': cache type '" + type + "' is not available here; use type=registry,ref=…");
        }
        if (!attrs.isEmpty()) {
            throw new InvalidBuildContextException(
                    field,
                    "'" + entry + "': '" + attrs.keySet().iterator().next() + "' is not an attribute of a registry"
                            + " cache import; write type=registry,ref=HOST/REPO:TAG");
        }
        if (ref == null || ref.isEmpty()) {
            throw new InvalidBuildContextException(field, "'" + entry + "': type=registry needs ref=HOST/REPO:TAG");
        }
        return ref;
    }
}
