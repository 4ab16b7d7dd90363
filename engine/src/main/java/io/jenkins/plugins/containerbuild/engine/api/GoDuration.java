package io.jenkins.plugins.containerbuild.engine.api;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written the way Go's {@code time.ParseDuration} (and so Docker) reads them: a sequence
 * of decimal numbers with a unit each, e.g. {@code 90s}, {@code 30m}, {@code 1h30m}, {@code 1.5h}.
 * Units: {@code ns us µs ms s m h}.
 */
public final class GoDuration {
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:ns|us|µs|ms|s|m|h)"
            + "(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:ns|us|µs|ms|s|m|h))*");
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    private GoDuration() {
    }

    /**
     * Parses a positive duration.
     *
     * @param field the option's name for the error message
     * @throws InvalidBuildContextException when the text is not a positive Go duration
     */
    public static Duration parse(String field, String text) {
        String t = text == null ? "" : text.trim();
        if (!WHOLE.matcher(t).matches()) {
            throw new InvalidBuildContextException(field, "'" + text + "' is not a duration; write a number and a"
                    + " unit (h, m, s, ms), e.g. 90s, 30m, 1h30m");
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher m = PART.matcher(t);
        while (m.find()) {
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
        }
        if (nanos.signum() <= 0) {
            throw new InvalidBuildContextException(field, "'" + text + "' must be longer than zero");
        }
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new InvalidBuildContextException(field, "'" + text + "' is too long");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
    }
}
