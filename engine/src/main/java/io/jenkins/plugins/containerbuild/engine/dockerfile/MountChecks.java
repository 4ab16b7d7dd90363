package io.jenkins.plugins.containerbuild.engine.dockerfile;

import io.jenkins.plugins.containerbuild.engine.api.DockerfileProblem.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Checks one {@code RUN --mount=...} value as the daemon's built-in frontend parses it. */
final class MountChecks {
    static final Set<String> TYPES = Set.of("bind", "cache", "tmpfs", "secret", "ssh");
    private static final Set<String> BOOLEAN_KEYS = Set.of("readonly", "ro", "readwrite", "rw", "required");
    private static final Set<String> KEYS = Set.of(
            "type",
            "from",
            "source",
            "src",
            "target",
            "dst",
            "destination",
            "readonly",
            "ro",
            "readwrite",
            "rw",
            "required",
            "id",
            "sharing",
            "mode",
            "uid",
            "gid");
    /** Keys of newer frontends: tmpfs {@code size}, secret {@code env}. */
    private static final Map<String, Frontend.Feature> NEWER_KEYS =
            Map.of("size", Frontend.Feature.MOUNT_SIZE, "env", Frontend.Feature.MOUNT_ENV);

    private static final Set<String> GO_BOOLEANS =
            Set.of("1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False");

    private MountChecks() {}

    /**
     * Splits a mount value into lower-case keys and values (a key with no {@code =} maps to
     * {@code null}); the value is CSV, so double quotes group commas.
     */
    static Map<String, String> fields(String value) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : csv(value)) {
            int eq = field.indexOf('=');
            String key = (eq < 0 ? field : field.substring(0, eq)).toLowerCase(Locale.ROOT);
            fields.putIfAbsent(key, eq < 0 ? null : field.substring(eq + 1));
        }
        return fields;
    }

    static void check(Flag flag, Problems problems, boolean reachable, Frontend frontend) {
        String value = flag.value();
        if (value == null || value.contains("$")) {
            return; // no value is reported with the other flags; variables are not checked
        }
        if (value.isBlank()) {
            problems.add(
                    Severity.ERROR,
                    flag,
                    "empty --mount: write --mount=type=<bind|cache|tmpfs|secret|ssh>,target=<path>");
            return;
        }
        String type = "bind";
        boolean required = false;
        Map<String, String> seen = new LinkedHashMap<>();
        for (String field : csv(value)) {
            int eq = field.indexOf('=');
            String key = (eq < 0 ? field : field.substring(0, eq)).toLowerCase(Locale.ROOT);
            String v = eq < 0 ? null : field.substring(eq + 1);
            Frontend.Feature newer = NEWER_KEYS.get(key);
            if (newer != null && !frontend.accepts(newer)) {
                problems.add(Severity.ERROR, flag, frontend.refusal(newer, "the --mount key '" + key + "'"));
                continue;
            }
            if (!KEYS.contains(key) && newer == null) {
                problems.add(
                        Severity.ERROR,
                        flag,
                        "unknown --mount key '" + key + "'"
                                + ": use type, target, source, from, id, sharing, mode, uid, gid, readonly, required");
                continue;
            }
            if (v == null) {
                if (!BOOLEAN_KEYS.contains(key)) {
                    problems.add(
                            Severity.ERROR,
                            flag,
                            "--mount field '" + field + "' needs a value: write " + key + "=<value>");
                }
                required |= key.equals("required");
                continue;
            }
            seen.put(key, v);
            switch (key) {
                case "type" -> {
                    type = v.toLowerCase(Locale.ROOT);
                    if (!TYPES.contains(type)) {
                        problems.add(
                                Severity.ERROR,
                                flag,
                                "unsupported --mount type '" + v + "': use bind, cache, tmpfs, secret or ssh");
                    }
                }
                case "sharing" -> {
                    if (!Set.of("shared", "private", "locked").contains(v)) {
                        problems.add(
                                Severity.ERROR,
                                flag,
                                "invalid --mount sharing '" + v + "': use shared, private or locked");
                    }
                }
                case "mode" -> checkUnsigned(flag, problems, key, v, 8, "an octal file mode such as 0644");
                case "uid", "gid" -> checkUnsigned(flag, problems, key, v, 10, "a numeric id such as 1000");
                case "readonly", "ro", "readwrite", "rw", "required" -> {
                    if (!GO_BOOLEANS.contains(v)) {
                        problems.add(
                                Severity.ERROR, flag, "invalid --mount value " + key + "=" + v + ": use true or false");
                    }
                    required |= key.equals("required") && GO_BOOLEANS.contains(v);
                }
                default -> {}
            }
        }
        if (required && !type.equals("secret") && !type.equals("ssh") && TYPES.contains(type)) {
            problems.add(
                    Severity.ERROR, flag, "'required' is only valid for --mount type=secret or type=ssh; remove it");
        }
        String source = seen.containsKey("source") ? seen.get("source") : seen.get("src");
        boolean target = seen.containsKey("target") || seen.containsKey("dst") || seen.containsKey("destination");
        if (type.equals("secret")) {
            if (seen.containsKey("id") && source != null) {
                problems.add(
                        Severity.ERROR,
                        flag,
                        "a secret --mount takes either id or source, not both; keep id=<secret id>");
            } else if (!seen.containsKey("id") && source == null && !target) {
                problems.add(Severity.ERROR, flag, "a secret --mount needs id=<secret id> (or a target path)");
            }
        }
        if ((type.equals("bind") || type.equals("cache") || type.equals("tmpfs")) && !target) {
            problems.dispatch(
                    reachable,
                    flag.line(),
                    flag.column(),
                    "--mount type=" + type + " needs a target: add target=<path in the container>");
        }
    }

    private static void checkUnsigned(Flag flag, Problems problems, String key, String v, int radix, String expected) {
        try {
            long n = Long.parseLong(v, radix);
            if (n >= 0 && n <= 0xFFFF_FFFFL && !v.startsWith("+")) {
                return;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(Severity.ERROR, flag, "invalid --mount value " + key + "=" + v + ": use " + expected);
    }

    /** Splits one CSV record (double quotes group commas and "" is a quote), as Go's encoding/csv does. */
    private static List<String> csv(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < value.length() && value.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0) {
                quoted = true;
            } else if (c == ',') {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        out.add(field.toString());
        return out;
    }
}
