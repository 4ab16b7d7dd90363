package io.jenkins.plugins.containerbuild.engine.api;

/** The {@code cacheTo} option: which cache exports a build can ask for. */
final class CacheExports {
    private CacheExports() {}

    /**
     * {@code type=inline} for an inline export (also written {@code inline}), null for none.
     *
     * @throws InvalidBuildContextException naming {@code cacheTo}, for any other export
     */
    static String check(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        String field = BuildOption.CACHE_TO.key();
        String[] parts = v.split(",");
        String type = null;
        boolean options = false;
        for (String part : parts) {
            String p = part.trim();
            if (p.startsWith("type=")) {
                type = p.substring(5).trim();
            } else if (parts.length == 1 && !p.contains("=")) {
                type = p;
            } else {
                options = true;
            }
        }
        if (type == null) {
            throw new InvalidBuildContextException(field, "'" + v + "' has no type; write cacheTo: 'type=inline'");
        }
        if (type.equals("registry") || type.equals("local")) {
            throw new InvalidBuildContextException(
                    field,
                    "'" + v + "': cache export type=" + type
                            + " is not available: the daemon's built-in BuildKit cannot export them; use cacheTo: 'type=inline'"
                            + " with push: true and cacheFrom: ['<the pushed image>']");
        }
        if (!type.equals("inline")) {
            throw new InvalidBuildContextException(
                    field, "'" + v + "' is not supported; the only cache export is" + " 'type=inline'");
        }
        if (options) {
            throw new InvalidBuildContextException(
                    field, "'" + v + "': type=inline takes no options;" + " write cacheTo: 'type=inline'");
        }
        return "type=inline";
    }
}
