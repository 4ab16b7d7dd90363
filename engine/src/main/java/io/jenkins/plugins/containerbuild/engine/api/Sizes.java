package io.jenkins.plugins.containerbuild.engine.api;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses human sizes: decimal units (KB, MB, GB, TB, or K, M, G, T) and binary ones (KiB, MiB, GiB, TiB). */
final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]i?b?|b)?", Pattern.CASE_INSENSITIVE);

    private Sizes() {
    }

    static long parse(String field, String text) {
        Matcher m = text == null ? null : SIZE.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new InvalidBuildContextException(field, "'" + text + "' is not a size; use e.g. 10GB, 512MiB or 1024");
        }
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        boolean binary = unit.contains("i");
        int power = switch (unit.charAt(0)) {
            case 'k' -> 1;
            case 'm' -> 2;
            case 'g' -> 3;
            case 't' -> 4;
            default -> 0;
        };
        BigDecimal base = BigDecimal.valueOf(binary ? 1024 : 1000).pow(power);
        return new BigDecimal(m.group(1)).multiply(base).longValue();
    }
}
