package io.jenkins.plugins.containerbuild.engine.report;

import static io.jenkins.plugins.containerbuild.engine.report.Html.escape;

import java.util.List;
import java.util.Locale;

/**
 * A standalone SVG chart of build time (left axis) and cache hit rate (right axis, 0–100%) over runs.
 * Well-formed XML, text escaped, no script; zero points render an empty chart with a note, one point
 * renders as single markers.
 */
public final class TrendSvg {
    public static final int MIN_WIDTH = 200;
    public static final int MIN_HEIGHT = 120;
    static final String DURATION_COLOR = "#1f6feb";
    static final String CACHE_COLOR = "#1a7f37";
    private static final int LEFT = 64;
    private static final int RIGHT = 56;
    private static final int TOP = 32;
    private static final int BOTTOM = 40;
    private static final int TICKS = 4;

    private TrendSvg() {}

    /**
     * Renders the chart.
     *
     * @param points oldest first
     * @param width  at least {@value #MIN_WIDTH}
     * @param height at least {@value #MIN_HEIGHT}
     */
    public static String render(List<TrendPoint> points, int width, int height) {
        if (width < MIN_WIDTH || height < MIN_HEIGHT) {
            throw new IllegalArgumentException("the trend needs at least " + MIN_WIDTH + "x" + MIN_HEIGHT
                    + " pixels, got " + width + "x" + height);
        }
        List<TrendPoint> pts = points == null ? List.of() : points;
        double x0 = LEFT;
        double x1 = width - RIGHT;
        double y0 = TOP;
        double y1 = height - BOTTOM;
        long maxMillis =
                pts.stream().mapToLong(TrendPoint::durationMillis).max().orElse(0);
        double axisMax = niceCeiling(Math.max(maxMillis, 1000) / 1000.0);
        StringBuilder s = new StringBuilder(4096);
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cb-trend\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 ")
                .append(width)
                .append(' ')
                .append(height)
                .append("\" role=\"img\" font-family=\"sans-serif\" font-size=\"11\">\n");
        s.append("<title>Build time and cache hit rate over the last ")
                .append(pts.size())
                .append(pts.size() == 1 ? " build" : " builds")
                .append("</title>\n");
        axes(s, x0, x1, y0, y1, axisMax);
        legend(s, x0, y0);
        if (pts.isEmpty()) {
            s.append("<text class=\"cb-trend-empty\" x=\"")
                    .append(f((x0 + x1) / 2))
                    .append("\" y=\"")
                    .append(f((y0 + y1) / 2))
                    .append("\" text-anchor=\"middle\" fill=\"#666\">No builds to show yet</text>\n");
        } else {
            double[] xs = new double[pts.size()];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = xs.length == 1 ? (x0 + x1) / 2 : x0 + i * (x1 - x0) / (xs.length - 1);
            }
            xLabels(s, pts, xs, x1 - x0, y1);
            double[] yd = new double[pts.size()];
            double[] yc = new double[pts.size()];
            for (int i = 0; i < xs.length; i++) {
                yd[i] = y1 - (pts.get(i).durationMillis() / 1000.0) / axisMax * (y1 - y0);
                yc[i] = y1 - pts.get(i).cacheHitRate() * (y1 - y0);
            }
            series(s, "cb-trend-duration", DURATION_COLOR, null, xs, yd, pts, true);
            series(s, "cb-trend-cache", CACHE_COLOR, "5 3", xs, yc, pts, false);
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static void axes(StringBuilder s, double x0, double x1, double y0, double y1, double axisMax) {
        s.append("<g class=\"cb-trend-axes\" stroke=\"#999\" stroke-width=\"1\">\n");
        line(s, x0, y1, x1, y1);
        line(s, x0, y0, x0, y1);
        line(s, x1, y0, x1, y1);
        s.append("</g>\n<g class=\"cb-trend-grid\" stroke=\"#e5e5e5\" stroke-width=\"1\">\n");
        for (int i = 1; i <= TICKS; i++) {
            double y = y1 - i * (y1 - y0) / TICKS;
            line(s, x0, y, x1, y);
        }
        s.append("</g>\n<g class=\"cb-trend-ticks\" fill=\"#444\">\n");
        boolean minutes = axisMax > 120;
        for (int i = 0; i <= TICKS; i++) {
            double y = y1 - i * (y1 - y0) / TICKS;
            double seconds = axisMax * i / TICKS;
            String label = minutes ? trim(seconds / 60) + " min" : trim(seconds) + " s";
            text(s, x0 - 6, y + 4, "end", label, null);
            text(s, x1 + 6, y + 4, "start", (100 * i / TICKS) + "%", null);
        }
        s.append("</g>\n");
        text(s, 14, (y0 + y1) / 2, "middle", "Build time", "rotate(-90 14 " + f((y0 + y1) / 2) + ")");
        double xr = x1 + RIGHT - 8;
        text(s, xr, (y0 + y1) / 2, "middle", "Cache hit rate", "rotate(90 " + f(xr) + " " + f((y0 + y1) / 2) + ")");
    }

    private static void legend(StringBuilder s, double x0, double y0) {
        double y = y0 - 14;
        s.append("<g class=\"cb-trend-legend\">\n");
        s.append("<line x1=\"")
                .append(f(x0))
                .append("\" y1=\"")
                .append(f(y))
                .append("\" x2=\"")
                .append(f(x0 + 18))
                .append("\" y2=\"")
                .append(f(y))
                .append("\" stroke=\"")
                .append(DURATION_COLOR)
                .append("\" stroke-width=\"2\"/>\n");
        text(s, x0 + 22, y + 4, "start", "Build time", null);
        double x = x0 + 110;
        s.append("<line x1=\"")
                .append(f(x))
                .append("\" y1=\"")
                .append(f(y))
                .append("\" x2=\"")
                .append(f(x + 18))
                .append("\" y2=\"")
                .append(f(y))
                .append("\" stroke=\"")
                .append(CACHE_COLOR)
                .append("\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>\n");
        text(s, x + 22, y + 4, "start", "Cache hit rate", null);
        s.append("</g>\n");
    }

    /** Labels every k-th point, counted back from the newest, so the newest always has its label. */
    private static void xLabels(StringBuilder s, List<TrendPoint> pts, double[] xs, double plotWidth, double y1) {
        int room = Math.max(1, (int) (plotWidth / 48));
        int every = Math.max(1, (int) Math.ceil((double) pts.size() / room));
        s.append("<g class=\"cb-trend-labels\" fill=\"#444\">\n");
        for (int i = 0; i < pts.size(); i++) {
            if ((pts.size() - 1 - i) % every == 0) {
                text(s, xs[i], y1 + 16, "middle", pts.get(i).label(), null);
            }
        }
        s.append("</g>\n");
    }

    private static void series(
            StringBuilder s,
            String cls,
            String color,
            String dash,
            double[] xs,
            double[] ys,
            List<TrendPoint> pts,
            boolean duration) {
        s.append("<g class=\"").append(cls).append("\">\n");
        if (xs.length > 1) {
            s.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\"");
            if (dash != null) {
                s.append(" stroke-dasharray=\"").append(dash).append('"');
            }
            s.append(" points=\"");
            for (int i = 0; i < xs.length; i++) {
                s.append(i == 0 ? "" : " ").append(f(xs[i])).append(',').append(f(ys[i]));
            }
            s.append("\"/>\n");
        }
        for (int i = 0; i < xs.length; i++) {
            TrendPoint p = pts.get(i);
            String value = duration ? Units.duration(p.durationMillis()) : Units.percent(p.cacheHitRate());
            s.append("<circle cx=\"")
                    .append(f(xs[i]))
                    .append("\" cy=\"")
                    .append(f(ys[i]))
                    .append("\" r=\"3\" fill=\"")
                    .append(color)
                    .append("\"><title>")
                    .append(escape(p.label()))
                    .append(": ")
                    .append(duration ? "build time " : "cache hit rate ")
                    .append(escape(value))
                    .append("</title></circle>\n");
        }
        s.append("</g>\n");
    }

    private static void line(StringBuilder s, double xa, double ya, double xb, double yb) {
        s.append("<line x1=\"")
                .append(f(xa))
                .append("\" y1=\"")
                .append(f(ya))
                .append("\" x2=\"")
                .append(f(xb))
                .append("\" y2=\"")
                .append(f(yb))
                .append("\"/>\n");
    }

    private static void text(StringBuilder s, double x, double y, String anchor, String text, String transform) {
        s.append("<text x=\"")
                .append(f(x))
                .append("\" y=\"")
                .append(f(y))
                .append("\" text-anchor=\"")
                .append(anchor)
                .append('"');
        if (transform != null) {
            s.append(" transform=\"").append(transform).append('"');
        }
        s.append('>').append(escape(text)).append("</text>\n");
    }

    /** The smallest 1, 2 or 5 times a power of ten, times the tick count, that holds {@code v}. */
    static double niceCeiling(double v) {
        double step = v / TICKS;
        double magnitude = Math.pow(10, Math.floor(Math.log10(step)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= step - 1e-9) {
                return m * magnitude * TICKS;
            }
        }
        return 10 * magnitude * TICKS;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
