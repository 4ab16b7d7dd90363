package io.jenkins.plugins.containerbuild.engine.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code cacheTo} in buildx's {@code --cache-to} syntax: {@code type=inline}, {@code type=registry,ref=…[,mode=min|max]
 * [,oci-mediatypes=true|false]…} or {@code type=local,dest=DIR[,mode=…]}. Checked here for what any builder needs;
 * whether the chosen builder can export it is the builder's to say.
 */
public final class CacheExports {
    private static final List<String> TYPES = List.of("inline", "registry", "local");
    /** What both the registry and the local cache exporters read, besides where the cache goes. */
    private static final List<String> COMMON_ATTRIBUTES = List.of(
            "mode",
            "oci-mediatypes",
            "image-manifest",
            "compression",
            "compression-level",
            "force-compression",
            "ignore-error");

    private static final List<String> REGISTRY_ATTRIBUTES = with("ref");
    private static final List<String> LOCAL_ATTRIBUTES = with("dest", "tag");

    private CacheExports() {}

    /**
     * The exports in canonical form ({@code type=…} first), each checked.
     *
     * @throws InvalidBuildContextException naming {@code cacheTo}: an unknown type, a misspelt mode, a missing
     *                                      {@code ref}/{@code dest}, an attribute the type does not take
     */
    static List<String> check(List<String> given) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String field = given.size() == 1 ? BuildOption.CACHE_TO.key() : BuildOption.CACHE_TO.key() + "[" + i + "]";
            try {
                out.add(check(given.get(i)));
            } catch (InvalidBuildContextException e) {
                throw new InvalidBuildContextException(
                        field, e.getMessage().substring(e.field().length() + 2));
            }
        }
        long local = out.stream().filter(c -> c.startsWith("type=local")).count();
        long elsewhere = out.stream().filter(c -> !c.equals("type=inline")).count();
        if (local > 0 && elsewhere > 1) {
            // BuildKit answers a build with one cache manifest, which names the cache in the directory's index.json.
            throw new InvalidBuildContextException(
                    BuildOption.CACHE_TO.key(),
                    "a type=local cache export cannot be combined with another registry or local export (BuildKit"
                            + " reports one cache manifest per build); export to one place, or use type=registry for"
                            + " all of them");
        }
        return List.copyOf(out);
    }

    private static String check(String v) {
        Map<String, String> attrs = parse(v);
        return "type=" + attrs.remove("type") + (attrs.isEmpty() ? "" : "," + join(attrs));
    }

    /** A checked export with a relative {@code dest} of a {@code type=local} export resolved against {@code base}. */
    public static String resolvedAgainst(String checked, java.nio.file.Path base) {
        Map<String, String> attrs = parse(checked);
        String dest = attrs.get("dest");
        if (!"local".equals(attrs.get("type")) || java.nio.file.Path.of(dest).isAbsolute()) {
            return checked;
        }
        attrs.put("dest", base.resolve(dest).normalize().toString());
        attrs.remove("type");
        return "type=local," + join(attrs);
    }

    /** The attributes of a checked export, {@code type} first. */
    public static Map<String, String> attributes(String checked) {
        return parse(checked);
    }

    private static Map<String, String> parse(String v) {
        String field = BuildOption.CACHE_TO.key();
        String t = v.trim();
        // A bare type, as "inline", stands for type=inline.
        Map<String, String> attrs = TYPES.contains(t)
                ? new LinkedHashMap<>(Map.of("type", t))
                : KeyValueList.parse(field, t, "e.g. type=registry,ref=HOST/REPO:cache");
        String type = attrs.get("type");
        if (type == null) {
            throw new InvalidBuildContextException(
                    field, "'" + v + "' has no type; write type=inline, type=registry,ref=… or type=local,dest=…");
        }
        if (!TYPES.contains(type)) {
            throw new InvalidBuildContextException(
                    field,
                    "'" + v + "': cache type '" + type + "' is not available here; use type=registry,ref=…,"
                            + " type=local,dest=… or type=inline");
        }
        Map<String, String> rest = new LinkedHashMap<>(attrs);
        rest.remove("type");
        switch (type) {
            case "inline" -> {
                if (!rest.isEmpty()) {
                    throw new InvalidBuildContextException(
                            field, "'" + v + "': type=inline takes no options; write cacheTo: 'type=inline'");
                }
            }
            case "registry" -> {
                known(v, type, rest, REGISTRY_ATTRIBUTES);
                String ref = rest.get("ref");
                if (ref == null || ref.isEmpty()) {
                    throw new InvalidBuildContextException(
                            field, "'" + v + "': type=registry needs ref=HOST/REPO:TAG, where the cache is pushed");
                }
                ImageReference.check(field, ref);
            }
            default -> {
                known(v, type, rest, LOCAL_ATTRIBUTES);
                if (rest.get("dest") == null || rest.get("dest").isEmpty()) {
                    throw new InvalidBuildContextException(
                            field, "'" + v + "': type=local needs dest=DIR, the directory the cache is written to");
                }
            }
        }
        String mode = rest.get("mode");
        if (mode != null && !mode.equals("min") && !mode.equals("max")) {
            throw new InvalidBuildContextException(
                    field,
                    "'" + v + "': mode=" + mode + " is not a cache mode; use mode=min (the final image's layers) or"
                            + " mode=max (every stage's)");
        }
        return attrs;
    }

    private static void known(String v, String type, Map<String, String> given, List<String> known) {
        for (String key : given.keySet()) {
            if (!known.contains(key)) {
                throw new InvalidBuildContextException(
                        BuildOption.CACHE_TO.key(),
                        "'" + v + "': type=" + type + " has no attribute '" + key + "'; its attributes are "
                                + String.join(", ", known));
            }
        }
    }

    private static List<String> with(String... where) {
        List<String> out = new ArrayList<>(List.of(where));
        out.addAll(COMMON_ATTRIBUTES);
        return List.copyOf(out);
    }

    private static String join(Map<String, String> attrs) {
        StringBuilder b = new StringBuilder();
        attrs.forEach((k, val) ->
                b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(val));
        return b.toString();
    }
}
