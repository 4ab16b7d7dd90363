package io.jenkins.plugins.containerbuild.engine.report;

import java.util.Locale;

/** Numbers as people read them: {@code 12.3 MB}, {@code 4.2 s}, {@code 2 min 05 s}, {@code 75%}. */
public final class Units {
    private static final String[] BYTE_UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};

    private Units() {}

    /** Bytes in decimal units (1 MB = 1,000,000 bytes) with one decimal, e.g. {@code 12.3 MB}. */
    public static String bytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        double v = bytes;
        int unit = 0;
        while (v >= 999.95 && unit < BYTE_UNITS.length - 1) {
            v /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, BYTE_UNITS[unit]);
    }

    /** A duration: {@code 250 ms}, {@code 4.2 s}, {@code 2 min 05 s}, {@code 1 h 02 min}. */
    public static String duration(long millis) {
        if (millis < 1000) {
            return Math.max(0, millis) + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = Math.round(millis / 1000.0);
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        long minutes = Math.round(seconds / 60.0);
        return String.format(Locale.ROOT, "%d h %02d min", minutes / 60, minutes % 60);
    }

    /** A rate 0..1 as a percentage with at most one decimal: {@code 75%}, {@code 66.7%}. */
    public static String percent(double rate) {
        double p = Math.round(rate * 1000) / 10.0;
        return p == Math.rint(p)
                ? String.format(Locale.ROOT, "%d%%", (long) p)
                : String.format(Locale.ROOT, "%.1f%%", p);
    }

    /** {@code sha256:0123456789ab} from a full id or digest; other text unchanged. */
    public static String shortId(String id) {
        if (id == null) {
            return "";
        }
        int colon = id.indexOf(':');
        return colon >= 0 && id.length() > colon + 13 ? id.substring(0, colon + 13) : id;
    }
}
