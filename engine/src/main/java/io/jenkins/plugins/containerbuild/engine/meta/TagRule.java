package io.jenkins.plugins.containerbuild.engine.meta;

import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One tag rule in docker/metadata-action's syntax, e.g. {@code type=semver,pattern={{major}}.{{minor}}},
 * {@code type=ref,event=branch}, {@code type=sha,format=long}; a rule without a type is {@code type=raw}, and a field
 * without {@code =} is its {@code value}.
 *
 * @param type     what the tag comes from
 * @param attrs    the rule's attributes, keys lower-cased ({@code event}, {@code pattern}, {@code value}, {@code group},
 *                 {@code branch}, {@code format}, {@code prefix}, {@code suffix}, {@code enable}, {@code priority})
 * @param priority the rule's place in the order (higher first): given, or the type's default
 */
public record TagRule(Type type, Map<String, String> attrs, int priority) {
    /** The rule types, with metadata-action's default priorities. */
    public enum Type {
        SEMVER(900),
        MATCH(800),
        EDGE(700),
        REF(600),
        RAW(200),
        SHA(100);

        private final int priority;

        Type(int priority) {
            this.priority = priority;
        }

        /** The priority a rule of this type has unless it gives one. */
        public int defaultPriority() {
            return priority;
        }
    }

    private static final Map<Type, List<String>> ATTRIBUTES = Map.of(
            Type.SEMVER, List.of("pattern", "value", "match"),
            Type.MATCH, List.of("pattern", "group", "value"),
            Type.EDGE, List.of("branch"),
            Type.REF, List.of("event"),
            Type.RAW, List.of("value"),
            Type.SHA, List.of("format"));
    private static final List<String> COMMON = List.of("type", "prefix", "suffix", "enable", "priority");

    public TagRule {
        attrs = Map.copyOf(attrs);
    }

    /**
     * Reads a rule.
     *
     * @param field the option to name in errors, e.g. {@code tagRules[2]}
     * @throws InvalidBuildContextException for an unknown type or attribute, a missing pattern, event or value, a
     *                                      bad group, format, priority or regular expression
     */
    public static TagRule parse(String field, String text) {
        Map<String, String> attrs = new LinkedHashMap<>();
        for (String f : CsvFields.split(text == null ? "" : text.trim())) {
            if (f.isEmpty()) {
                continue;
            }
            int eq = f.indexOf('=');
            if (eq < 0) {
                attrs.put("value", f);
            } else {
                attrs.put(
                        f.substring(0, eq).trim().toLowerCase(Locale.ROOT),
                        f.substring(eq + 1).trim());
            }
        }
        String typeName = attrs.getOrDefault("type", "raw");
        Type type;
        try {
            type = Type.valueOf(typeName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidBuildContextException(
                    field,
                    "'" + text + "': unknown rule type '" + typeName + "'; use type=ref, semver, match, edge, raw or"
                            + " sha");
        }
        for (String key : attrs.keySet()) {
            if (!COMMON.contains(key) && !ATTRIBUTES.get(type).contains(key)) {
                throw new InvalidBuildContextException(
                        field,
                        "'" + text + "': type=" + typeName + " has no attribute '" + key + "'; it takes "
                                + String.join(", ", ATTRIBUTES.get(type)) + ", and prefix, suffix, enable, priority");
            }
        }
        check(field, text, type, attrs);
        int priority = type.defaultPriority();
        if (attrs.containsKey("priority")) {
            try {
                priority = Integer.parseInt(attrs.get("priority"));
            } catch (NumberFormatException e) {
                throw new InvalidBuildContextException(
                        field, "'" + text + "': priority=" + attrs.get("priority") + " is not a whole number");
            }
        }
        return new TagRule(type, attrs, priority);
    }

    private static void check(String field, String text, Type type, Map<String, String> attrs) {
        switch (type) {
            case SEMVER, MATCH -> {
                if (attrs.getOrDefault("pattern", "").isEmpty()) {
                    throw new InvalidBuildContextException(
                            field,
                            "'" + text + "': type=" + type.name().toLowerCase(Locale.ROOT) + " needs pattern=…"
                                    + (type == Type.SEMVER
                                            ? ", e.g. pattern={{major}}.{{minor}}"
                                            : ", a regular expression"));
                }
                if (type == Type.MATCH) {
                    regex(field, text, attrs.get("pattern"));
                    String group = attrs.getOrDefault("group", "0");
                    if (!group.matches("\\d+")) {
                        throw new InvalidBuildContextException(
                                field, "'" + text + "': group=" + group + " is not a group number");
                    }
                }
                if (type == Type.SEMVER && attrs.containsKey("match")) {
                    regex(field, text, attrs.get("match"));
                }
            }
            case REF -> {
                String event = attrs.getOrDefault("event", "");
                if (!List.of("branch", "tag", "pr").contains(event)) {
                    throw new InvalidBuildContextException(
                            field, "'" + text + "': type=ref needs event=branch, event=tag or event=pr");
                }
            }
            case RAW -> {
                if (attrs.getOrDefault("value", "").isEmpty()) {
                    throw new InvalidBuildContextException(
                            field, "'" + text + "': type=raw needs a value, e.g. type=raw,value=stable");
                }
            }
            case SHA -> {
                String format = attrs.getOrDefault("format", "short");
                if (!format.equals("short") && !format.equals("long")) {
                    throw new InvalidBuildContextException(
                            field, "'" + text + "': format=" + format + " is not short or long");
                }
            }
            default -> {}
        }
    }

    /** The pattern as a regular expression; {@code /re/flags} takes flags {@code i}, {@code m}, {@code s}. */
    static Pattern regex(String field, String text, String pattern) {
        String p = pattern;
        int flags = 0;
        if (p.length() > 1 && p.startsWith("/") && p.lastIndexOf('/') > 0) {
            String f = p.substring(p.lastIndexOf('/') + 1);
            if (f.matches("[gimsuy]*")) {
                flags |= f.contains("i") ? Pattern.CASE_INSENSITIVE : 0;
                flags |= f.contains("m") ? Pattern.MULTILINE : 0;
                flags |= f.contains("s") ? Pattern.DOTALL : 0;
                p = p.substring(1, p.lastIndexOf('/'));
            }
        }
        try {
            return Pattern.compile(p, flags);
        } catch (PatternSyntaxException e) {
            throw new InvalidBuildContextException(
                    field,
                    "'" + text + "': pattern " + pattern + " is not a regular expression: " + e.getDescription());
        }
    }

    /** An attribute, or {@code fallback}. */
    String attr(String key, String fallback) {
        return attrs.getOrDefault(key, fallback);
    }
}
