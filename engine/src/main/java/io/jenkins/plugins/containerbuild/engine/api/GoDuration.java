package io.jenkins.plugins.containerbuild.engine.api;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Durations written the way Go's {@code time.ParseDuration} (and so Docker) reads them: an optional sign, then
 * {@code 0} or a sequence of decimal numbers with a unit each, e.g. {@code 90s}, {@code 30m}, {@code 1h30m},
 * {@code 1.5h}. Units: {@code ns us µs ms s m h}. The engine's one reader of that syntax: options such as
 * {@code timeout} and Dockerfile flags such as {@code HEALTHCHECK --interval} both use it.
 */
public final class GoDuration {
    private static final Map<String, Long> UNIT_NANOS = Map.of(
            "ns",
            1L,
            "us",
            1_000L,
            "\u00b5s",
            1_000L,
            "\u03bcs",
            1_000L,
            "ms",
            1_000_000L,
            "s",
            1_000_000_000L,
            "m",
            60_000_000_000L,
            "h",
            3_600_000_000_000L);

    private GoDuration() {}

    /** The signed length in nanoseconds, or empty when {@code text} is not a Go duration. */
    public static OptionalDouble nanos(String text) {
        return exactNanos(text).map(n -> OptionalDouble.of(n.doubleValue())).orElse(OptionalDouble.empty());
    }

    /**
     * Parses a positive duration (no sign).
     *
     * @param field the option's name for the error message
     * @throws InvalidBuildContextException when the text is not a positive Go duration
     */
    public static Duration parse(String field, String text) {
        String t = text == null ? "" : text.trim();
        Optional<BigDecimal> nanos = t.startsWith("-") || t.startsWith("+") ? Optional.empty() : exactNanos(t);
        if (nanos.isEmpty()) {
            throw new InvalidBuildContextException(
                    field,
                    "'" + text + "' is not a duration; write a number and a"
                            + " unit (h, m, s, ms), e.g. 90s, 30m, 1h30m");
        }
        if (nanos.get().signum() <= 0) {
            throw new InvalidBuildContextException(field, "'" + text + "' must be longer than zero");
        }
        if (nanos.get().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new InvalidBuildContextException(field, "'" + text + "' is too long");
        }
        return Duration.ofNanos(nanos.get().longValue());
    }

    private static Optional<BigDecimal> exactNanos(String text) {
        String s = text;
        int sign = 1;
        if (s.startsWith("-") || s.startsWith("+")) {
            sign = s.startsWith("-") ? -1 : 1;
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Optional.of(BigDecimal.ZERO);
        }
        if (s.isEmpty()) {
            return Optional.empty();
        }
        BigDecimal total = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(start, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                return Optional.empty();
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            Long unit = UNIT_NANOS.get(s.substring(unitStart, i));
            if (unit == null) {
                return Optional.empty();
            }
            total = total.add(
                    new BigDecimal(number.startsWith(".") ? "0" + number : number).multiply(BigDecimal.valueOf(unit)));
        }
        return Optional.of(sign < 0 ? total.negate() : total);
    }
}
