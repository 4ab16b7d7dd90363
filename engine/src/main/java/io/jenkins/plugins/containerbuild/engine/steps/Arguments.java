package io.jenkins.plugins.containerbuild.engine.steps;

import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one map of step arguments as Pipeline passes them: strings may be any {@link CharSequence}
 * (Groovy GStrings), numbers any {@link Number} (Integer, Long, BigDecimal), booleans
 * {@link Boolean}. A {@code null} value counts as absent. Every wrong type, unknown key or bad
 * element ends in an {@link InvalidBuildContextException} whose field is the full path of the value
 * (e.g. {@code builds[1].secrets[0].id}) and whose text says what was expected.
 */
public final class Arguments {
    private static final int SHOWN_CHARS = 40;
    private final String prefix;
    private final Map<String, ?> args;

    private Arguments(String prefix, Map<String, ?> args) {
        this.prefix = prefix;
        this.args = args;
    }

    /**
     * Checks that {@code args} is a map of string keys that all appear in {@code known}.
     *
     * @param prefix prepended to every field name in errors, e.g. {@code "builds[2]."}; empty for none
     * @param args   the arguments; null means none
     * @param known  the accepted keys, in the order error messages list them
     */
    public static Arguments of(String prefix, Map<String, ?> args, Set<String> known) {
        Map<String, Object> copy = new LinkedHashMap<>();
        if (args != null) {
            for (Map.Entry<String, ?> e : args.entrySet()) {
                Object key = e.getKey();
                if (!(key instanceof CharSequence)) {
                    throw new InvalidBuildContextException(
                            prefix + key, "argument names must be strings, got " + describe(key));
                }
                String k = key.toString();
                if (!known.contains(k)) {
                    String near = NearestName.find(k, known);
                    throw new InvalidBuildContextException(
                            prefix + k,
                            "unknown argument"
                                    + (near == null
                                            ? "; known arguments: "
                                            : "; did you mean '" + near + "'? Known arguments: ")
                                    + String.join(", ", known));
                }
                copy.put(k, e.getValue());
            }
        }
        return new Arguments(prefix, copy);
    }

    /** The problem part of an exception's message (without the leading field name). */
    public static String problem(InvalidBuildContextException e) {
        String m = e.getMessage();
        String head = e.field() + ": ";
        return m.startsWith(head) ? m.substring(head.length()) : m;
    }

    /** True when the key is present with a non-null value. */
    public boolean has(String key) {
        return args.get(key) != null;
    }

    /** A string value; blank strings are refused. */
    public String string(String key, String defaultValue) {
        Object v = args.get(key);
        if (v == null) {
            return defaultValue;
        }
        return nonBlank(field(key), v);
    }

    /** A boolean value: only {@code true} or {@code false}. */
    public boolean bool(String key, boolean defaultValue) {
        Object v = args.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (!(v instanceof Boolean b)) {
            throw new InvalidBuildContextException(field(key), "expected true or false, got " + describe(v));
        }
        return b;
    }

    /** A whole number within {@code min..max}. */
    public int integer(String key, int defaultValue, int min, int max) {
        Object v = args.get(key);
        if (v == null) {
            return defaultValue;
        }
        BigDecimal d = decimal(key, v);
        BigDecimal whole;
        try {
            whole = new BigDecimal(d.toBigIntegerExact());
        } catch (ArithmeticException e) {
            throw new InvalidBuildContextException(
                    field(key), "expected a whole number from " + min + " to " + max + ", got " + describe(v));
        }
        if (whole.compareTo(BigDecimal.valueOf(min)) < 0 || whole.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new InvalidBuildContextException(
                    field(key), "must be from " + min + " to " + max + ", got " + whole.toPlainString());
        }
        return whole.intValue();
    }

    /** A number, or null when absent. */
    public Double number(String key) {
        Object v = args.get(key);
        return v == null ? null : decimal(key, v).doubleValue();
    }

    /** The raw value, for fields that take more than one type; null when absent. */
    public Object raw(String key) {
        return args.get(key);
    }

    /**
     * A list of non-blank strings. With {@code singleAllowed}, a lone string is taken as a list of one.
     */
    public List<String> strings(String key, boolean singleAllowed) {
        Object v = args.get(key);
        if (v == null) {
            return List.of();
        }
        if (singleAllowed && v instanceof CharSequence) {
            return List.of(nonBlank(field(key), v));
        }
        List<?> list = list(key, "strings");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object e = list.get(i);
            if (e == null) {
                throw new InvalidBuildContextException(field(key) + "[" + i + "]", "expected a string, got null");
            }
            out.add(nonBlank(field(key) + "[" + i + "]", e));
        }
        return out;
    }

    /**
     * A map of string keys to strings. With {@code scalarValues}, numbers and booleans are accepted as
     * values and turned into their text ({@code 1.50} stays {@code 1.50}); null values become empty strings.
     */
    public Map<String, String> stringMap(String key, boolean scalarValues) {
        Object v = args.get(key);
        if (v == null) {
            return Map.of();
        }
        if (v instanceof List<?> entries) {
            v = NamedEntries.toMap(field(key), entries);
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new InvalidBuildContextException(
                    field(key), "expected a map of strings, e.g. [NAME: 'value'], got " + describe(v));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof CharSequence)) {
                throw new InvalidBuildContextException(field(key), "keys must be strings, got " + describe(e.getKey()));
            }
            String k = e.getKey().toString();
            Object val = e.getValue();
            String f = field(key) + "." + k;
            if (val == null) {
                out.put(k, "");
            } else if (val instanceof CharSequence) {
                out.put(k, val.toString());
            } else if (scalarValues && val instanceof Boolean) {
                out.put(k, val.toString());
            } else if (scalarValues && val instanceof Number n) {
                out.put(k, decimal(f, n).toPlainString());
            } else {
                throw new InvalidBuildContextException(
                        f, "expected a string" + (scalarValues ? " or number" : "") + ", got " + describe(val));
            }
        }
        return out;
    }

    /** A map (e.g. {@code failIf: [...]}), or null when absent. */
    public Map<String, ?> map(String key) {
        Object v = args.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new InvalidBuildContextException(field(key), "expected a map, e.g. [key: value], got " + describe(v));
        }
        return stringKeyed(field(key), m);
    }

    /** A list of maps (e.g. {@code secrets: [[id: 'a', credentialsId: 'b']]}). */
    public List<Map<String, ?>> maps(String key, String example) {
        Object v = args.get(key);
        if (v == null) {
            return List.of();
        }
        List<?> list = list(key, "maps, e.g. " + example);
        List<Map<String, ?>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object e = list.get(i);
            if (!(e instanceof Map<?, ?> m)) {
                throw new InvalidBuildContextException(
                        field(key) + "[" + i + "]", "expected a map, e.g. " + example + ", got " + describe(e));
            }
            out.add(stringKeyed(field(key) + "[" + i + "]", m));
        }
        return out;
    }

    /** The full field name of {@code key}, with this reader's prefix. */
    public String field(String key) {
        return prefix + key;
    }

    private List<?> list(String key, String what) {
        Object v = args.get(key);
        if (!(v instanceof List<?> list)) {
            throw new InvalidBuildContextException(field(key), "expected a list of " + what + ", got " + describe(v));
        }
        return list;
    }

    private static Map<String, ?> stringKeyed(String field, Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof CharSequence)) {
                throw new InvalidBuildContextException(field, "keys must be strings, got " + describe(e.getKey()));
            }
            out.put(e.getKey().toString(), e.getValue());
        }
        return out;
    }

    private BigDecimal decimal(String key, Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Integer
                || v instanceof Long
                || v instanceof Short
                || v instanceof Byte
                || v instanceof java.math.BigInteger) {
            return new BigDecimal(v.toString());
        }
        if ((v instanceof Double || v instanceof Float) && Double.isFinite(((Number) v).doubleValue())) {
            return BigDecimal.valueOf(((Number) v).doubleValue());
        }
        throw new InvalidBuildContextException(field(key), "expected a number, got " + describe(v));
    }

    private static String nonBlank(String field, Object v) {
        if (!(v instanceof CharSequence)) {
            throw new InvalidBuildContextException(field, "expected a string, got " + describe(v));
        }
        String s = v.toString();
        if (s.isBlank()) {
            throw new InvalidBuildContextException(field, "must not be empty");
        }
        return s.trim();
    }

    /** Names a value's type for an error message, showing short scalar values. */
    static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof CharSequence s) {
            String t = s.toString();
            return "the string '" + (t.length() > SHOWN_CHARS ? t.substring(0, SHOWN_CHARS) + "…" : t) + "'";
        }
        if (v instanceof Boolean) {
            return "the boolean " + v;
        }
        if (v instanceof Number) {
            return "the number " + v;
        }
        if (v instanceof Map) {
            return "a map";
        }
        if (v instanceof List) {
            return "a list";
        }
        return "a value of type " + v.getClass().getSimpleName();
    }
}
