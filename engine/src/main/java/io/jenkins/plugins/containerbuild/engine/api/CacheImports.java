package io.jenkins.plugins.containerbuild.engine.api;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code cacheFrom} entries in buildx's {@code --cache-from} syntax: a bare image reference or
 * {@code type=registry,ref=…}, both naming an image whose cache the build may use, or {@code type=local,src=DIR
 * [,tag=…|,digest=…]}, a cache an earlier build exported to a directory on this machine.
 */
public final class CacheImports {
    private static final List<String> LOCAL_ATTRIBUTES = List.of("src", "tag", "digest");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    private CacheImports() {}

    /** Whether {@code entry} imports a cache from a directory ({@code type=local}). */
    public static boolean isLocal(String entry) {
        String e = entry == null ? "" : entry.trim();
        return e.startsWith("type=") && "local".equals(parse(e).get("type"));
    }

    /**
     * The image reference a registry entry names.
     *
     * @throws InvalidBuildContextException naming {@code cacheFrom}: an unknown type, a missing {@code ref}, an
     *                                      attribute a registry import does not take
     */
    static String reference(String entry) {
        String field = BuildOption.CACHE_FROM.key();
        String e = entry == null ? "" : entry.trim();
        if (!e.startsWith("type=")) {
            return e;
        }
        Map<String, String> attrs = parse(e);
        String type = attrs.remove("type");
        String ref = attrs.remove("ref");
        if (!"registry".equals(type)) {
            throw new InvalidBuildContextException(
                    field,
                    "'" + entry + "': cache type '" + type + "' is not available here; use type=registry,ref=… or"
                            + " type=local,src=DIR");
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

    /**
     * A {@code type=local} entry checked, in canonical form ({@code type=local,src=DIR[,tag=…][,digest=…]}).
     *
     * @throws InvalidBuildContextException naming {@code cacheFrom}: no {@code src}, an unknown attribute, a
     *                                      malformed digest, both {@code tag} and {@code digest}
     */
    static String checkLocal(String entry) {
        String field = BuildOption.CACHE_FROM.key();
        Map<String, String> attrs = parse(entry.trim());
        attrs.remove("type");
        for (String key : attrs.keySet()) {
            if (!LOCAL_ATTRIBUTES.contains(key)) {
                throw new InvalidBuildContextException(
                        field,
                        "'" + entry + "': type=local has no attribute '" + key + "'; its attributes are "
                                + String.join(", ", LOCAL_ATTRIBUTES));
            }
        }
        String src = attrs.get("src");
        if (src == null || src.isEmpty()) {
            throw new InvalidBuildContextException(
                    field, "'" + entry + "': type=local needs src=DIR, the directory a cacheTo type=local wrote");
        }
        String digest = attrs.get("digest");
        if (digest != null && !DIGEST.matcher(digest).matches()) {
            throw new InvalidBuildContextException(
                    field, "'" + entry + "': digest=" + digest + " is not a sha256:… digest of 64 hex digits");
        }
        if (digest != null && attrs.containsKey("tag")) {
            throw new InvalidBuildContextException(
                    field, "'" + entry + "': give tag or digest, not both (the digest names the cache itself)");
        }
        StringBuilder b = new StringBuilder("type=local");
        attrs.forEach((k, v) -> b.append(',').append(k).append('=').append(v));
        return b.toString();
    }

    /** The attributes of a checked {@code type=local} entry, {@code type} first. */
    public static Map<String, String> attributes(String checkedLocal) {
        return parse(checkedLocal);
    }

    /** {@code entry} with a relative {@code src} of a {@code type=local} import resolved against {@code base}. */
    public static String resolvedAgainst(String entry, Path base) {
        if (!isLocal(entry)) {
            return entry;
        }
        Map<String, String> attrs = parse(entry.trim());
        String src = attrs.get("src");
        if (src == null || src.isEmpty() || Path.of(src).isAbsolute()) {
            return entry;
        }
        attrs.put("src", base.resolve(src).normalize().toString());
        StringBuilder b = new StringBuilder();
        attrs.forEach((k, v) ->
                b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return b.toString();
    }

    private static Map<String, String> parse(String e) {
        return new LinkedHashMap<>(
                KeyValueList.parse(BuildOption.CACHE_FROM.key(), e, "e.g. type=registry,ref=HOST/REPO:cache"));
    }
}
