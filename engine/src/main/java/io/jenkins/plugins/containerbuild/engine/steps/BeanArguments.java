package io.jenkins.plugins.containerbuild.engine.steps;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the options of a front end's bean (the Pipeline step, the freestyle builder: one JavaBeans property per
 * {@link io.jenkins.plugins.containerbuild.engine.api.BuildOption}, as Jenkins data binding wants) by the declared
 * keys, so that no front end lists the options a second time. A bean that lacks a property for a declared key is a
 * programming error, reported at once.
 */
public final class BeanArguments {
    /** A value that stands for an argument map, such as a secret reference made by a form. */
    public interface ArgumentSource {
        Map<String, Object> toArguments();
    }

    private BeanArguments() {}

    /**
     * The value of each key's property, as given: {@code null}s and blanks included (a form's mapping decides what
     * they mean); lists of {@link ArgumentSource}s become lists of maps.
     *
     * @throws IllegalStateException when the bean has no public getter for a key
     */
    public static Map<String, Object> values(Object bean, Collection<String> keys) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : keys) {
            out.put(key, plain(get(bean, key)));
        }
        return out;
    }

    /**
     * Only the keys whose property is set: not null, not blank, not {@code false}, not an empty list or map.
     * Strings are trimmed.
     */
    public static Map<String, Object> given(Object bean, Collection<String> keys) {
        Map<String, Object> out = new LinkedHashMap<>();
        values(bean, keys).forEach((k, v) -> {
            if (v instanceof String s && !s.isBlank()) {
                out.put(k, s.trim());
            } else if (v instanceof List<?> l && !l.isEmpty()
                    || v instanceof Map<?, ?> m && !m.isEmpty()
                    || Boolean.TRUE.equals(v)
                    || v != null
                            && !(v instanceof String
                                    || v instanceof List<?>
                                    || v instanceof Map<?, ?>
                                    || v instanceof Boolean)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static Object get(Object bean, String key) {
        String suffix = Character.toUpperCase(key.charAt(0)) + key.substring(1);
        for (String name : List.of("get" + suffix, "is" + suffix)) {
            try {
                Method m = bean.getClass().getMethod(name);
                return m.invoke(bean);
            } catch (NoSuchMethodException e) {
                // try the next form
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(
                        "cannot read option '" + key + "' of " + bean.getClass().getName(), e);
            }
        }
        throw new IllegalStateException(bean.getClass().getName() + " has no getter for the option '" + key + "'");
    }

    private static Object plain(Object v) {
        if (v instanceof ArgumentSource a) {
            return a.toArguments();
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(e -> out.add(e instanceof ArgumentSource a ? a.toArguments() : e));
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), x));
            return out;
        }
        return v;
    }
}
