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

    /**
     * The arguments as Jenkins's data binding takes them: each map-valued {@code key} as a list of
     * {@code [name:, value:]} entries (numbers and booleans written as text, as the engine reads them), and the
     * thresholds of each map in {@code decimalKeys} ({@code failIf}, {@code unstableIf}) as decimals.
     */
    public static Map<String, Object> forDataBinding(
            Map<String, ?> arguments, Set<String> keys, Set<String> decimalKeys) {
        Map<String, Object> out = asEntries(arguments, keys);
        for (String key : keys) {
            if (out.get(key) instanceof List<?> entries) {
                // Checked here, so that an entry's stray key is an error, not dropped by the data binding.
                toMap(key, entries);
                List<Object> texts = new ArrayList<>();
                for (Object e : entries) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    ((Map<?, ?>) e).forEach((k, v) -> entry.put(String.valueOf(k), k.equals("value") ? text(v) : v));
                    texts.add(entry);
                }
                out.put(key, texts);
            }
        }
        for (String key : decimalKeys) {
            if (out.get(key) instanceof Map<?, ?> m) {
                Map<String, Object> decimals = new LinkedHashMap<>();
                m.forEach((k, v) -> {
                    if (!GateArguments.CONDITIONS.contains(String.valueOf(k))) {
                        throw new InvalidBuildContextException(
                                key + "." + k, "is not a gate; use " + String.join(" or ", GateArguments.CONDITIONS));
                    }
                    decimals.put(String.valueOf(k), v instanceof Number n ? n.doubleValue() : v);
                });
                out.put(key, decimals);
            }
        }
        return out;
    }

    /** The arguments with each map-valued {@code key} as a list of {@code [name:, value:]} entries. */
    public static Map<String, Object> asEntries(Map<String, ?> arguments, Set<String> keys) {
        Map<String, Object> out = new LinkedHashMap<>(arguments);
        for (String key : keys) {
            if (out.get(key) instanceof Map<?, ?> m) {
                List<Map<String, Object>> entries = new ArrayList<>();
                m.forEach((k, v) -> {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("name", String.valueOf(k));
                    e.put("value", text(v));
                    entries.add(e);
                });
                out.put(key, entries);
            }
        }
        return out;
    }

    private static Object text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Number n) {
            return new java.math.BigDecimal(n.toString()).toPlainString();
        }
        return v instanceof Boolean ? v.toString() : v;
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
