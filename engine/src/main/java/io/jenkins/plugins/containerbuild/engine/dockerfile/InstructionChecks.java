package io.jenkins.plugins.containerbuild.engine.dockerfile;

import io.jenkins.plugins.containerbuild.engine.api.DockerfileProblem.Severity;
import io.jenkins.plugins.containerbuild.engine.api.GoDuration;
import io.jenkins.plugins.containerbuild.engine.dockerfile.Frontend.Feature;
import io.jenkins.plugins.containerbuild.engine.json.JsonStringArray;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;

/** The checks of one instruction on its own: flags, number and form of arguments, values. */
final class InstructionChecks {
    private static final Map<String, Set<String>> FLAGS = Map.of(
            "FROM", Set.of("platform"),
            "RUN", Set.of("mount"),
            "COPY", Set.of("from", "chown", "chmod"),
            "ADD", Set.of("chown", "chmod"),
            "HEALTHCHECK", Set.of("interval", "timeout", "start-period", "retries"));
    /** Flags of newer Dockerfile frontends, each with the feature whose frontend first accepts it. */
    private static final Map<String, Map<String, Feature>> NEWER_FLAGS = Map.of(
            "RUN", Map.of("network", Feature.NETWORK, "security", Feature.SECURITY),
            "COPY", Map.of("link", Feature.LINK, "exclude", Feature.EXCLUDE, "parents", Feature.PARENTS),
            "ADD",
                    Map.of(
                            "link",
                            Feature.LINK,
                            "checksum",
                            Feature.CHECKSUM,
                            "keep-git-dir",
                            Feature.KEEP_GIT_DIR,
                            "exclude",
                            Feature.EXCLUDE),
            "HEALTHCHECK", Map.of("start-interval", Feature.START_INTERVAL));
    /** Flags that may stand without a value ({@code COPY --link}, {@code COPY --parents}). */
    private static final Set<String> BOOLEAN_FLAGS = Set.of("link", "parents", "keep-git-dir");

    private static final Pattern SECRET_NAME =
            Pattern.compile("TOKEN|PASSWORD|PASSWD|SECRET|KEY", Pattern.CASE_INSENSITIVE);
    static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9\\-_.]*");
    private static final double MILLISECOND = 1e6;

    private InstructionChecks() {}

    /**
     * Checks one instruction with a known keyword.
     *
     * @param reachable whether the build reaches the stage holding it (values that the daemon only
     *                  checks while converting a stage are errors only then)
     * @param frontend  the frontend that will read it (decides which newer flags exist)
     */
    static void check(Instruction in, Problems p, boolean reachable, Frontend frontend) {
        checkFlags(in, p, frontend);
        String keyword = in.keyword();
        String args = in.arguments();
        switch (keyword) {
            case "FROM" -> checkFrom(in, p);
            case "RUN" -> {
                in.flags().stream()
                        .filter(f -> f.name().equals("mount"))
                        .forEach(f -> MountChecks.check(f, p, reachable, frontend));
                checkExecForm(in, p, args, true);
            }
            case "CMD", "ENTRYPOINT" -> checkExecForm(in, p, args, true);
            case "SHELL" -> {
                JsonStringArray.Result json = JsonStringArray.parse(args);
                if (json.kind() == JsonStringArray.Kind.NOT_STRINGS) {
                    p.error(in, "SHELL must be a JSON array of strings, e.g. SHELL [\"/bin/sh\", \"-c\"]");
                } else if (json.kind() != JsonStringArray.Kind.STRINGS
                        || json.values().isEmpty()) {
                    p.error(
                            in,
                            "SHELL requires the JSON form with at least one string, e.g. SHELL [\"/bin/sh\", \"-c\"]");
                }
            }
            case "COPY", "ADD" -> checkCopy(in, p, args, frontend);
            case "VOLUME" -> {
                if (args.isBlank()) {
                    p.error(in, "VOLUME needs at least one path, e.g. VOLUME /data");
                } else {
                    checkExecForm(in, p, args, false);
                }
            }
            case "EXPOSE" -> checkExpose(in, p, reachable);
            case "ENV", "LABEL" -> checkNameValues(in, p);
            case "ARG" -> checkArg(in, p);
            case "WORKDIR", "USER", "MAINTAINER", "STOPSIGNAL" -> {
                if (args.isBlank()) {
                    p.error(in, keyword + " needs exactly one argument, e.g. " + keyword + " " + example(keyword));
                }
            }
            case "ONBUILD" -> checkOnbuild(in, p);
            case "HEALTHCHECK" -> checkHealthcheck(in, p);
            default -> {}
        }
    }

    private static String example(String keyword) {
        return switch (keyword) {
            case "WORKDIR" -> "/app";
            case "USER" -> "1000:1000";
            case "STOPSIGNAL" -> "SIGTERM";
            default -> "\"Name <mail@example.com>\"";
        };
    }

    private static void checkFlags(Instruction in, Problems p, Frontend frontend) {
        String keyword = in.keyword();
        Map<String, Feature> newer = NEWER_FLAGS.getOrDefault(keyword, Map.of());
        Set<String> known = new HashSet<>(FLAGS.getOrDefault(keyword, Set.of()));
        newer.forEach((name, feature) -> {
            if (frontend.accepts(feature)) {
                known.add(name);
            }
        });
        Set<String> seen = new HashSet<>();
        for (Flag flag : in.flags()) {
            String name = flag.name();
            if (keyword.equals("ARG") || keyword.equals("STOPSIGNAL")) {
                p.add(Severity.WARNING, flag, keyword + " ignores the flag --" + name + "; remove it");
            } else if (!known.contains(name)) {
                String supported = known.isEmpty()
                        ? keyword + " takes no flags"
                        : "flags of " + keyword + " are --"
                                + String.join(", --", known.stream().sorted().toList());
                if (newer.containsKey(name)) {
                    p.add(Severity.ERROR, flag, frontend.refusal(newer.get(name), keyword + " --" + name));
                } else {
                    p.add(
                            Severity.ERROR,
                            flag,
                            "unknown flag --" + name + " for " + keyword + ": " + supported
                                    + " (flag names are case-sensitive)");
                }
            } else if (flag.value() == null && !BOOLEAN_FLAGS.contains(name)) {
                p.add(Severity.ERROR, flag, "flag --" + name + " needs a value: write --" + name + "=<value>");
            } else if (!name.equals("mount") && !seen.add(name)) {
                p.add(Severity.ERROR, flag, "flag --" + name + " is given more than once; keep one");
            }
        }
    }

    private static void checkFrom(Instruction in, Problems p) {
        List<Word> words = in.plainWords();
        if (words.isEmpty()) {
            p.error(in, "FROM needs a base image: FROM <image> [AS <name>]");
            return;
        }
        if (words.size() != 1 && !(words.size() == 3 && words.get(1).text().equalsIgnoreCase("AS"))) {
            p.error(in, "FROM takes one image and an optional stage name: FROM <image> [AS <name>]");
            return;
        }
        if (words.size() == 3) {
            Word name = words.get(2);
            if (!STAGE_NAME.matcher(name.text().toLowerCase(Locale.ROOT)).matches()) {
                p.add(
                        Severity.ERROR,
                        in,
                        name,
                        "invalid stage name '" + name.text()
                                + "': start with a letter and use only letters, digits, '-', '_' and '.'");
            }
        }
    }

    /** Exec-form checks: a JSON array must hold only strings; text starting with [ that is not JSON is shell form. */
    private static void checkExecForm(Instruction in, Problems p, String args, boolean warnShellForm) {
        JsonStringArray.Result json = JsonStringArray.parse(args);
        if (json.kind() == JsonStringArray.Kind.NOT_STRINGS) {
            p.error(
                    in,
                    "the JSON (exec) form of " + in.keyword() + " must hold only strings: quote every element, "
                            + "e.g. [\"sleep\", \"10\"]");
        } else if (warnShellForm && json.kind() == JsonStringArray.Kind.NOT_JSON && args.startsWith("[")) {
            p.warning(
                    in,
                    in.keyword() + " starts with '[' but is not a valid JSON array, so it runs as a shell "
                            + "command (/bin/sh -c); use double quotes and commas, e.g. " + in.keyword()
                            + " [\"echo\", \"hello\"]");
        }
    }

    private static void checkCopy(Instruction in, Problems p, String args, Frontend frontend) {
        JsonStringArray.Result json = JsonStringArray.parse(args);
        if (json.kind() == JsonStringArray.Kind.NOT_STRINGS) {
            checkExecForm(in, p, args, false);
            return;
        }
        List<String> items = json.kind() == JsonStringArray.Kind.STRINGS
                ? json.values()
                : in.plainWords().stream().map(Word::text).toList();
        if (items.size() < 2) {
            p.error(
                    in,
                    in.keyword() + " needs at least a source and a destination: " + in.keyword()
                            + " <src>... <dest>, e.g. " + in.keyword() + " app.jar /app/");
            return;
        }
        if (in.keyword().equals("ADD")) {
            boolean checksum = frontend.accepts(Feature.CHECKSUM)
                    && in.flags().stream().anyMatch(f -> f.name().equals("checksum"));
            for (String source : items.subList(0, items.size() - 1)) {
                String lower = source.toLowerCase(Locale.ROOT);
                boolean url = lower.startsWith("http://") || lower.startsWith("https://");
                if (checksum && !url && !source.contains("$")) {
                    p.error(
                            in,
                            "ADD --checksum verifies downloads only: " + source + " is not an http(s) URL; remove "
                                    + "--checksum, or ADD the file from its URL");
                } else if (url && !checksum) {
                    p.warning(
                            in,
                            "ADD of the URL " + source + " downloads it on every uncached build and does not "
                                    + "verify it; download it in a RUN step and check its sha256, or COPY a file from the context");
                }
            }
        }
    }

    private static void checkExpose(Instruction in, Problems p, boolean reachable) {
        List<Word> words = in.plainWords();
        if (words.isEmpty()) {
            p.error(in, "EXPOSE needs at least one port, e.g. EXPOSE 8080 or EXPOSE 53/udp");
            return;
        }
        for (Word word : words) {
            String text = word.text();
            if (text.contains("$") || text.contains(":")) {
                continue; // variables are expanded by the daemon; host:port forms are left to it
            }
            String[] parts = text.split("/", -1);
            String port = parts[0];
            if (port.isEmpty()) {
                continue;
            }
            int line = in.lineAt(word.offset());
            int column = in.columnAt(word.offset());
            if (!validPortRange(port)) {
                p.dispatch(
                        reachable,
                        line,
                        column,
                        "invalid port '" + port + "' in EXPOSE: use a number from 0 to "
                                + "65535 or a range such as 8000-8010, optionally followed by /tcp, /udp or /sctp");
            } else if (parts.length > 1
                    && !parts[1].isEmpty()
                    && !Set.of("tcp", "udp", "sctp").contains(parts[1].toLowerCase(Locale.ROOT))) {
                p.dispatch(
                        reachable,
                        line,
                        column,
                        "invalid protocol '" + parts[1] + "' in EXPOSE " + text + ": use tcp, udp or sctp");
            }
        }
    }

    private static boolean validPortRange(String spec) {
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return port(spec) >= 0;
        }
        int start = port(spec.substring(0, dash));
        int end = port(spec.substring(dash + 1));
        return start >= 0 && end >= start;
    }

    private static int port(String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int n = Integer.parseInt(s);
        return n <= 65535 ? n : -1;
    }

    private static void checkNameValues(Instruction in, Problems p) {
        String keyword = in.keyword();
        List<Word> words = in.shellWords();
        if (words.isEmpty()) {
            p.error(in, keyword + " needs at least one name=value pair, e.g. " + keyword + " NAME=value");
            return;
        }
        if (!words.get(0).text().contains("=")) {
            if (in.arguments().strip().split("\\s+", 2).length < 2) {
                p.error(
                        in,
                        keyword + " " + words.get(0).text() + " has no value: write " + keyword + " "
                                + words.get(0).text() + "=<value>");
            } else {
                warnSecret(in, p, words.get(0));
            }
            return;
        }
        for (Word word : words) {
            if (!word.text().contains("=")) {
                p.add(
                        Severity.ERROR,
                        in,
                        word,
                        keyword + ": '" + word.text() + "' is not a name=value pair; "
                                + "write name=value and quote values that hold spaces, e.g. NAME=\"a b\"");
            } else {
                warnSecret(in, p, new Word(word.text().substring(0, word.text().indexOf('=')), word.offset()));
            }
        }
    }

    private static void checkArg(Instruction in, Problems p) {
        List<Word> words = in.shellWords();
        if (words.isEmpty()) {
            p.error(in, "ARG needs a name, e.g. ARG VERSION=1.0");
            return;
        }
        for (Word word : words) {
            int eq = word.text().indexOf('=');
            warnSecret(in, p, new Word(eq < 0 ? word.text() : word.text().substring(0, eq), word.offset()));
        }
    }

    private static void warnSecret(Instruction in, Problems p, Word name) {
        if ((in.keyword().equals("ARG") || in.keyword().equals("ENV"))
                && SECRET_NAME.matcher(name.text()).find()) {
            p.add(
                    Severity.WARNING,
                    in,
                    name,
                    in.keyword() + " " + name.text() + " looks like a secret: "
                            + (in.keyword().equals("ARG") ? "build arguments" : "ENV values")
                            + " are stored in the image "
                            + "metadata and history; pass it as a build secret and read it with RUN --mount=type=secret,id="
                            + name.text().toLowerCase(Locale.ROOT) + " instead");
        }
    }

    private static void checkOnbuild(Instruction in, Problems p) {
        List<Word> words = in.plainWords();
        if (words.isEmpty()) {
            p.error(in, "ONBUILD needs an instruction to run in images built FROM this one, e.g. ONBUILD COPY . /app");
            return;
        }
        Word trigger = words.get(0);
        String keyword = trigger.text().toUpperCase(Locale.ROOT);
        if (keyword.equals("ONBUILD")) {
            p.add(
                    Severity.ERROR,
                    in,
                    trigger,
                    "ONBUILD ONBUILD is not allowed; write the instruction once after ONBUILD");
        } else if (keyword.equals("FROM") || keyword.equals("MAINTAINER")) {
            p.add(Severity.ERROR, in, trigger, keyword + " is not allowed after ONBUILD; remove this ONBUILD line");
        } else if (!Instruction.KEYWORDS.contains(keyword)) {
            p.add(
                    Severity.WARNING,
                    in,
                    trigger,
                    "unknown instruction " + trigger.text() + " after ONBUILD: builds "
                            + "FROM this image will fail; check the spelling");
        }
    }

    private static void checkHealthcheck(Instruction in, Problems p) {
        List<Word> words = in.plainWords();
        if (words.isEmpty()) {
            p.error(
                    in,
                    "HEALTHCHECK needs CMD or NONE: HEALTHCHECK [--interval=30s ...] CMD <command>, or HEALTHCHECK NONE");
            return;
        }
        String type = words.get(0).text().toUpperCase(Locale.ROOT);
        if (type.equals("NONE")) {
            if (words.size() > 1) {
                p.error(in, "HEALTHCHECK NONE takes no arguments; remove what follows NONE");
            }
            return;
        }
        if (!type.equals("CMD")) {
            p.add(
                    Severity.ERROR,
                    in,
                    words.get(0),
                    "unknown HEALTHCHECK type '" + words.get(0).text()
                            + "': write HEALTHCHECK [options] CMD <command>, or HEALTHCHECK NONE");
            return;
        }
        Word cmd = words.get(0);
        String command = in.text().substring(cmd.offset() + cmd.text().length()).strip();
        if (command.isEmpty()) {
            p.error(in, "HEALTHCHECK CMD needs a command, e.g. HEALTHCHECK CMD wget -q -O /dev/null http://localhost/");
            return;
        }
        checkExecForm(in, p, command, false);
        for (Flag flag : in.flags()) {
            String v = flag.value();
            if (v == null || v.isEmpty()) {
                continue;
            }
            if (flag.name().equals("retries")) {
                try {
                    if (Long.parseLong(v) < 1) {
                        p.add(Severity.ERROR, flag, "--retries must be at least 1, got " + v);
                    }
                } catch (NumberFormatException e) {
                    p.add(Severity.ERROR, flag, "--retries=" + v + " is not a number: use e.g. --retries=3");
                }
            } else if (Set.of("interval", "timeout", "start-period", "start-interval")
                    .contains(flag.name())) {
                OptionalDouble nanos = GoDuration.nanos(v);
                if (nanos.isEmpty()) {
                    p.add(
                            Severity.ERROR,
                            flag,
                            "--" + flag.name() + "=" + v + " is not a duration: use a number with " + "a unit, e.g. --"
                                    + flag.name() + "=30s, 1m30s or 500ms");
                } else if (nanos.getAsDouble() < MILLISECOND) {
                    p.add(
                            Severity.ERROR,
                            flag,
                            "--" + flag.name() + "=" + v + " is too short: it must be at least 1ms, " + "e.g. --"
                                    + flag.name() + "=30s");
                }
            }
        }
    }
}
