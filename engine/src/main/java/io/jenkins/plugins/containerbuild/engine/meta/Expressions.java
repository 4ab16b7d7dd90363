package io.jenkins.plugins.containerbuild.engine.meta;

import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code {{…}}} expressions of metadata-action's values: named values ({@code {{branch}}}, {@code {{tag}}},
 * {@code {{sha}}}, {@code {{base_ref}}}, {@code {{is_default_branch}}}, …; an unknown name is empty) and
 * {@code {{date 'YYYYMMDD' tz='Asia/Tokyo'}}}, whose format is moment.js's.
 */
final class Expressions {
    private static final Pattern EXPRESSION = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)([^}]*)}}");
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'|\"([^\"]*)\"");
    private static final Pattern TZ = Pattern.compile("tz\\s*=\\s*(?:'([^']*)'|\"([^\"]*)\")");
    /** moment.js tokens, longest first, and their java.time equivalents. */
    private static final List<String[]> TOKENS = List.of(
            new String[] {"YYYY", "uuuu"},
            new String[] {"YY", "uu"},
            new String[] {"MM", "MM"},
            new String[] {"M", "M"},
            new String[] {"DD", "dd"},
            new String[] {"D", "d"},
            new String[] {"HH", "HH"},
            new String[] {"H", "H"},
            new String[] {"hh", "hh"},
            new String[] {"h", "h"},
            new String[] {"mm", "mm"},
            new String[] {"m", "m"},
            new String[] {"ss", "ss"},
            new String[] {"s", "s"},
            new String[] {"SSS", "SSS"},
            new String[] {"A", "a"},
            new String[] {"ZZ", "xx"},
            new String[] {"Z", "xxx"});

    private final Map<String, String> values;
    private final Instant now;
    private final String field;

    /**
     * @param values the named values
     * @param now    the time {@code date} formats
     * @param field  the option to name in errors
     */
    Expressions(Map<String, String> values, Instant now, String field) {
        this.values = Map.copyOf(values);
        this.now = now;
        this.field = field;
    }

    /** {@code text} with every expression replaced. */
    String render(String text) {
        Matcher m = EXPRESSION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement = name.equals("date") ? date(m.group(2).trim(), text) : values.getOrDefault(name, "");
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String date(String args, String text) {
        Matcher q = QUOTED.matcher(args);
        String format = q.find() ? (q.group(1) != null ? q.group(1) : q.group(2)) : "YYYY-MM-DDTHH:mm:ss.SSSZ";
        Matcher tz = TZ.matcher(args);
        ZoneId zone;
        try {
            zone = tz.find() ? ZoneId.of(tz.group(1) != null ? tz.group(1) : tz.group(2)) : ZoneId.of("UTC");
        } catch (DateTimeException e) {
            throw new InvalidBuildContextException(field, "'" + text + "': unknown time zone in " + args);
        }
        return DateTimeFormatter.ofPattern(javaPattern(format)).withZone(zone).format(now);
    }

    /** A moment.js format as a java.time pattern; anything but a token is literal. */
    static String javaPattern(String moment) {
        StringBuilder out = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < moment.length()) {
            String[] token = null;
            for (String[] t : TOKENS) {
                if (moment.startsWith(t[0], i)) {
                    token = t;
                    break;
                }
            }
            if (token == null) {
                literal.append(moment.charAt(i));
                i++;
                continue;
            }
            flush(out, literal);
            out.append(token[1]);
            i += token[0].length();
        }
        flush(out, literal);
        return out.toString();
    }

    private static void flush(StringBuilder out, StringBuilder literal) {
        if (literal.length() > 0) {
            out.append('\'').append(literal.toString().replace("'", "''")).append('\'');
            literal.setLength(0);
        }
    }
}
