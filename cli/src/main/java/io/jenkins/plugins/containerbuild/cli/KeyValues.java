package io.jenkins.plugins.containerbuild.cli;

import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses repeated {@code K=V} (or {@code K:V}) options into ordered maps. */
final class KeyValues {
    private KeyValues() {}

    static Map<String, String> parse(String option, List<String> values, char separator) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kv : values) {
            int i = kv.indexOf(separator);
            if (i <= 0) {
                throw new InvalidBuildContextException(option, "'" + kv + "' must look like KEY" + separator + "VALUE");
            }
            out.put(kv.substring(0, i), kv.substring(i + 1));
        }
        return out;
    }
}
