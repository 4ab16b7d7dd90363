package io.jenkins.plugins.containerbuild.engine.dockerfile;

import java.util.Map;
import java.util.OptionalDouble;

/** Parses durations in the Go syntax the daemon uses ({@code 30s}, {@code 1m30s}, {@code 1.5h}, {@code 0}). */
final class GoDuration {
    private static final Map<String, Double> UNITS = Map.of("ns", 1d, "us", 1e3, "\u00b5s", 1e3, "\u03bcs", 1e3,
            "ms", 1e6, "s", 1e9, "m", 60e9, "h", 3600e9);

    private GoDuration() {
    }

    /** @return the duration in nanoseconds, or empty when {@code text} is not a Go duration */
    static OptionalDouble nanos(String text) {
        String s = text;
        double sign = 1;
        if (s.startsWith("-") || s.startsWith("+")) {
            sign = s.startsWith("-") ? -1 : 1;
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return OptionalDouble.of(0);
        }
        if (s.isEmpty()) {
            return OptionalDouble.empty();
        }
        double total = 0;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(start, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                return OptionalDouble.empty();
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            Double unit = UNITS.get(s.substring(unitStart, i));
            if (unit == null) {
                return OptionalDouble.empty();
            }
            total += Double.parseDouble(number.startsWith(".") ? "0" + number : number) * unit;
        }
        return OptionalDouble.of(sign * total);
    }
}
