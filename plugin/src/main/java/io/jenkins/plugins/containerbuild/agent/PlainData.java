package io.jenkins.plugins.containerbuild.agent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep copies of step results into the plainest JDK types (LinkedHashMap, ArrayList, String, boxed
 * numbers and booleans), so they cross the remoting channel, live in the Pipeline program and are
 * read by a sandboxed script without any approval.
 */
public final class PlainData {
    private PlainData() {}

    /** A plain copy of {@code map}; nested maps and lists are copied too. */
    public static Map<String, Object> map(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (map != null) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(String.valueOf(e.getKey()), value(e.getValue()));
            }
        }
        return out;
    }

    /** A plain copy of {@code list}. */
    public static List<Object> list(Collection<?> list) {
        List<Object> out = new ArrayList<>();
        if (list != null) {
            for (Object o : list) {
                out.add(value(o));
            }
        }
        return out;
    }

    /** A plain copy of one value; anything that is not a map, collection, number or boolean becomes its string. */
    public static Object value(Object o) {
        if (o == null
                || o instanceof String
                || o instanceof Boolean
                || o instanceof Integer
                || o instanceof Long
                || o instanceof Double) {
            return o;
        }
        if (o instanceof Map<?, ?> m) {
            return map(m);
        }
        if (o instanceof Collection<?> c) {
            return list(c);
        }
        if (o instanceof Number n) {
            return n instanceof Float ? (Object) n.doubleValue() : (Object) n.longValue();
        }
        return String.valueOf(o);
    }
}
