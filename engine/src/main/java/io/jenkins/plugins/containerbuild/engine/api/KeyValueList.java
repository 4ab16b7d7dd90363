package io.jenkins.plugins.containerbuild.engine.api;

import java.util.LinkedHashMap;
import java.util.Map;

/** buildx's {@code KEY=VALUE,KEY=VALUE} form, as {@code --output}, {@code --cache-to} and {@code --attest} take it. */
final class KeyValueList {
    private KeyValueList() {}

    /**
     * The pairs of {@code text} in order, keys and values trimmed.
     *
     * @param example what to write instead, for the error, e.g. {@code e.g. type=oci,dest=image.tar}
     * @throws InvalidBuildContextException naming {@code field}, for a part that is not {@code KEY=VALUE}
     */
    static Map<String, String> parse(String field, String text, String example) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new InvalidBuildContextException(
                        field, "'" + text + "': '" + part.trim() + "' is not KEY=VALUE; write " + example);
            }
            pairs.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return pairs;
    }
}
