package io.jenkins.plugins.containerbuild.engine.steps;

import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Map options ({@code buildArgs}, {@code labels}, {@code extraHosts}, {@code filters}) in two shapes: a map, as
 * scripts write them ({@code buildArgs: [VERSION: '1']}), and a list of {@code [name:, value:]} entries, as Jenkins's
 * forms and its Pipeline syntax reference can describe them. Both mean the same.
 */
public final class NamedEntries {
    private NamedEntries() {}

    /** The arguments with each map-valued {@code key} as a list of {@code [name:, value:]} entries. */
    public static Map<String, Object> asEntries(Map<String, ?> arguments, Set<String> keys) {
        Map<String, Object> out = new LinkedHashMap<>(arguments);
        for (String key : keys) {
            if (out.get(key) instanceof Map<?, ?> m) {
                List<Map<String, Object>> entries = new ArrayList<>();
                m.forEach((k, v) -> {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("name", String.valueOf(k));
                    e.put("value", v);
                    entries.add(e);
                });
                out.put(key, entries);
            }
        }
        return out;
    }

    /**
     * The map a list of {@code [name:, value:]} entries stands for.
     *
     * @throws InvalidBuildContextException naming the entry, for one that is not such a map, has no name, or
     *                                      repeats a name
     */
    static Map<String, Object> toMap(String field, List<?> entries) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String f = field + "[" + i + "]";
            if (!(entries.get(i) instanceof Map<?, ?> e)
                    || !e.keySet().stream().allMatch(k -> "name".equals(k) || "value".equals(k))) {
                throw new InvalidBuildContextException(
                        f, "expected [name: 'NAME', value: 'value'], or write the option as a map: [NAME: 'value']");
            }
            Object name = e.get("name");
            if (!(name instanceof CharSequence) || name.toString().isBlank()) {
                throw new InvalidBuildContextException(f + ".name", "is required");
            }
            if (out.containsKey(name.toString())) {
                throw new InvalidBuildContextException(f + ".name", "'" + name + "' is given twice");
            }
            out.put(name.toString(), e.get("value"));
        }
        return out;
    }
}
