package io.jenkins.plugins.containerbuild.engine.steps;

import io.jenkins.plugins.containerbuild.engine.api.BuildOption;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The freestyle "Build container image" form as {@code containerBuild} arguments, so that the freestyle step
 * and the Pipeline step share one mapping ({@link BuildSpecArguments#fromArguments}) after this.
 *
 * <p>A form holds text: lists are one item per line (commas also separate), build arguments and labels are
 * {@code KEY=VALUE} lines, extra hosts {@code HOST=IP} or {@code HOST:IP} lines, quality gates one number per
 * threshold. {@code ${VARIABLE}} references are expanded with the given function in every text field but the
 * credentials id and the backend, which name configuration, not build values.
 */
public final class FreestyleForm {
    /**
     * The form's fields and how each is read, from the {@link BuildOption} declarations: one per option (the
     * display {@code name} is the run's, not the form's), and for each gate option one number field per threshold
     * ({@code failIfCacheHitRateBelow}, ...). In the form a {@code TEXT} field is expanded, a {@code LITERAL} one
     * (ids, choices) taken as written, a {@code LIST} is one item per line or between commas, {@code LINES} one item per line, {@code PAIRS} are
     * {@code KEY=VALUE} lines, {@code HOSTS} {@code HOST=IP} or {@code HOST:IP} lines, a {@code FLAG} a checkbox,
     * {@code REFS} the argument maps of the form's nested objects, and a {@code GATES} field one threshold.
     */
    public static final Map<String, BuildOption.Kind> FIELDS;

    static {
        Map<String, BuildOption.Kind> m = new LinkedHashMap<>();
        for (BuildOption o : BuildOption.values()) {
            if (o.kind() == BuildOption.Kind.GATES) {
                GateArguments.CONDITIONS.forEach(c -> m.put(o.key() + capitalized(c), o.kind()));
            } else if (o != BuildOption.NAME) {
                m.put(o.key(), o.kind());
            }
        }
        FIELDS = Collections.unmodifiableMap(m);
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private FreestyleForm() {}

    /**
     * The arguments of the form's values. Blank fields, unchecked boxes and empty lists are left out, so the
     * step's defaults apply.
     *
     * @param form   field name to value: a {@code String} (or null) for text fields, a {@code Boolean} for
     *               checkboxes, a {@code List} of argument maps for the nested fields
     * @param expand expands {@code ${VARIABLE}} references (the build's environment); {@code s -> s} for none
     * @return arguments for {@link BuildSpecArguments#fromArguments}
     * @throws InvalidBuildContextException naming the field, for a malformed line or a threshold that is not a
     *         number
     * @throws IllegalArgumentException for a field the form does not have (a programming error)
     */
    public static Map<String, Object> toArguments(Map<String, ?> form, UnaryOperator<String> expand) {
        Objects.requireNonNull(expand, "expand");
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> failIf = new LinkedHashMap<>();
        Map<String, Object> unstableIf = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : form.entrySet()) {
            String field = e.getKey();
            BuildOption.Kind kind = FIELDS.get(field);
            if (kind == null) {
                throw new IllegalArgumentException("the freestyle form has no field '" + field + "'");
            }
            Object value = e.getValue();
            switch (kind) {
                case TEXT -> {
                    String t = text(value);
                    putIfPresent(out, field, t == null ? null : expand.apply(t));
                }
                case LITERAL -> putIfPresent(out, field, text(value));
                case LIST -> {
                    List<String> items = new ArrayList<>();
                    lines(text(value)).forEach(s -> items.add(expand.apply(s)));
                    putIfPresent(out, field, items.isEmpty() ? null : items);
                }
                case LINES -> {
                    List<String> items = new ArrayList<>();
                    wholeLines(text(value)).forEach(s -> items.add(expand.apply(s)));
                    putIfPresent(out, field, items.isEmpty() ? null : items);
                }
                case PAIRS -> putIfPresent(out, field, pairs(field, text(value), '=', expand));
                case HOSTS -> putIfPresent(out, field, pairs(field, text(value), ':', expand));
                case FLAG -> {
                    if (Boolean.TRUE.equals(value)) {
                        out.put(field, true);
                    }
                }
                case GATES -> gate(field, text(value), failIf, unstableIf);
                case REFS -> {
                    if (value instanceof List<?> list && !list.isEmpty()) {
                        out.put(field, List.copyOf(list));
                    }
                }
            }
        }
        putIfPresent(out, "failIf", failIf.isEmpty() ? null : failIf);
        putIfPresent(out, "unstableIf", unstableIf.isEmpty() ? null : unstableIf);
        return out;
    }

    /** The non-blank lines of a text, trimmed: items that hold commas. */
    public static List<String> wholeLines(String text) {
        List<String> out = new ArrayList<>();
        if (text != null) {
            for (String line : text.split("\\R")) {
                if (!line.isBlank()) {
                    out.add(line.trim());
                }
            }
        }
        return out;
    }

    /** The non-blank items of a text, one per line or between commas, trimmed. */
    public static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        if (text != null) {
            for (String part : text.split("[\\r\\n,]+")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    /**
     * {@code KEY=VALUE} lines (and, when {@code alternative} is not {@code '='}, {@code KEY<alternative>VALUE}
     * lines without any {@code =}): split at the first separator; blank lines skipped.
     */
    private static Map<String, String> pairs(
            String field, String text, char alternative, UnaryOperator<String> expand) {
        if (text == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        String[] rows = text.split("\\r?\\n|\\r");
        for (int i = 0; i < rows.length; i++) {
            String line = rows[i].trim();
            if (line.isEmpty()) {
                continue;
            }
            int at = line.indexOf('=');
            if (at < 0 && alternative != '=') {
                at = line.indexOf(alternative);
            }
            String example = alternative == '=' ? "KEY=VALUE" : "HOST=IP or HOST:IP";
            if (at <= 0) {
                throw new InvalidBuildContextException(
                        field,
                        "line " + (i + 1) + " '" + line + "' is not " + example + "; write one " + example
                                + " per line");
            }
            String key = line.substring(0, at).trim();
            if (out.containsKey(key)) {
                throw new InvalidBuildContextException(
                        field, "line " + (i + 1) + " sets '" + key + "' again; keep one line per name");
            }
            out.put(key, expand.apply(line.substring(at + 1).trim()));
        }
        return out.isEmpty() ? null : out;
    }

    /** {@code failIfCacheHitRateBelow} → {@code failIf.cacheHitRateBelow}, and so on. */
    private static void gate(String field, String text, Map<String, Object> failIf, Map<String, Object> unstableIf) {
        if (text == null) {
            return;
        }
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new InvalidBuildContextException(
                    field,
                    "'" + text + "' is not a number; write for example "
                            + (field.endsWith("Percent") ? "10 (percent)" : "0.5 (a rate from 0 to 1)")
                            + ", or leave it blank for no gate");
        }
        boolean fail = field.startsWith("failIf");
        String condition = field.substring(fail ? "failIf".length() : "unstableIf".length());
        condition = Character.toLowerCase(condition.charAt(0)) + condition.substring(1);
        (fail ? failIf : unstableIf).put(condition, v);
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        String s = value.toString().trim();
        return s.isEmpty() ? null : s;
    }

    private static void putIfPresent(Map<String, Object> out, String key, Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
