package io.jenkins.plugins.containerbuild.engine.report;

import static io.jenkins.plugins.containerbuild.engine.report.Html.escape;

import java.util.List;
import java.util.Locale;

/**
 * HTML fragments for a run's summary (one row per image plus the quality gates) and for one image's
 * detail (per-step timings and cache hits). Every value is escaped; no script, no inline style, so
 * the fragments are safe under a strict Content-Security-Policy. Classes start with {@code cb-}; the
 * table also carries Jenkins's {@code jenkins-table} class.
 */
public final class SummaryHtml {
    /** A small stylesheet for standalone pages (the CLI's report); Jenkins pages bring their own. */
    public static final String STYLE = """
            .cb-summary table, .cb-detail table { border-collapse: collapse; }
            .cb-summary th, .cb-summary td, .cb-detail th, .cb-detail td { padding: 4px 10px; text-align: left;
              border-bottom: 1px solid #ddd; }
            .cb-summary .cb-num, .cb-detail .cb-num { text-align: right; white-space: nowrap; }
            .cb-status-success { color: #1a7f37; } .cb-status-failed { color: #cf222e; }
            .cb-status-cancelled, .cb-status-running { color: #9a6700; }
            .cb-gates-fail { color: #cf222e; } .cb-gates-unstable { color: #9a6700; } .cb-gates-pass { color: #1a7f37; }
            .cb-error { white-space: pre-wrap; font-family: monospace; }
            """;

    private SummaryHtml() {}

    /**
     * The summary of a run's images.
     *
     * @param records    the images built (or failed) in the run, in display order
     * @param gatesOrNull the quality gates' report, or null when no gate was configured
     */
    public static String summary(List<BuildRecord> records, GateReport gatesOrNull) {
        StringBuilder h = new StringBuilder(1024);
        h.append("<div class=\"cb-summary\">\n");
        if (records == null || records.isEmpty()) {
            h.append("<p class=\"cb-empty\">No container images were built.</p>\n");
        } else {
            h.append("<table class=\"jenkins-table cb-images\">\n<thead><tr><th>Image</th><th>Digest</th>"
                    + "<th>Platforms</th><th class=\"cb-num\">Size</th><th class=\"cb-num\">Layers</th>"
                    + "<th class=\"cb-num\">Cache hit rate</th><th class=\"cb-num\">Duration</th><th>Status</th>"
                    + "</tr></thead>\n<tbody>\n");
            for (BuildRecord r : records) {
                row(h, r);
            }
            h.append("</tbody>\n</table>\n");
        }
        if (gatesOrNull != null) {
            gates(h, gatesOrNull);
        }
        h.append("</div>\n");
        return h.toString();
    }

    private static void row(StringBuilder h, BuildRecord r) {
        String status = r.getStatus().name().toLowerCase(Locale.ROOT);
        h.append("<tr class=\"cb-image cb-row-").append(status).append("\">");
        h.append("<td class=\"cb-tags\">");
        List<String> tags = r.getTags();
        if (tags.isEmpty()) {
            h.append(escape(r.getDisplayName()));
        } else {
            if (r.getName() != null) {
                h.append("<strong>").append(escape(r.getName())).append("</strong><br>");
            }
            for (int i = 0; i < tags.size(); i++) {
                h.append(i == 0 ? "" : "<br>")
                        .append("<code>")
                        .append(escape(tags.get(i)))
                        .append("</code>");
            }
        }
        h.append("</td><td class=\"cb-digest\">");
        if (r.getDigest() != null) {
            h.append("<code title=\"")
                    .append(escape(r.getDigest()))
                    .append("\">")
                    .append(escape(Units.shortId(r.getDigest())))
                    .append("</code>");
        } else if (r.getImageId() != null) {
            h.append("<code title=\"image id ")
                    .append(escape(r.getImageId()))
                    .append("\">")
                    .append(escape(Units.shortId(r.getImageId())))
                    .append("</code>");
        } else {
            h.append("—");
        }
        for (String a : r.getAttestationManifests()) {
            h.append("<div class=\"cb-provenance\">provenance <code title=\"")
                    .append(escape(a))
                    .append("\">")
                    .append(escape(Units.shortId(a)))
                    .append("</code></div>");
        }
        h.append("</td><td class=\"cb-platforms\">")
                .append(r.getPlatforms().isEmpty() ? "daemon default" : escape(String.join(", ", r.getPlatforms())));
        h.append("</td><td class=\"cb-num cb-size\">")
                .append(r.getImageSizeBytes() > 0 ? escape(Units.bytes(r.getImageSizeBytes())) : "—");
        h.append("</td><td class=\"cb-num cb-layers\">").append(r.getLayers() > 0 ? r.getLayers() : "—");
        h.append("</td><td class=\"cb-num cb-cache\">");
        if (r.getStepsTotal() > 0) {
            h.append(escape(Units.percent(r.getCacheHitRate())))
                    .append(" <span class=\"cb-steps\">(")
                    .append(r.getStepsCached())
                    .append(" of ")
                    .append(r.getStepsTotal())
                    .append(" steps)</span>");
        } else {
            h.append("—");
        }
        for (String from : r.getCacheImports()) {
            h.append("<div class=\"cb-cache-from\">from <code>")
                    .append(escape(from))
                    .append("</code></div>");
        }
        for (String to : r.getCacheExports()) {
            h.append("<div class=\"cb-cache-to\">to <code>").append(escape(to)).append("</code>");
            if (r.getCacheManifest() != null && !to.equals("type=inline")) {
                h.append(" <code title=\"cache manifest ")
                        .append(escape(r.getCacheManifest()))
                        .append("\">")
                        .append(escape(Units.shortId(r.getCacheManifest())))
                        .append("</code>");
            }
            h.append("</div>");
        }
        h.append("</td><td class=\"cb-num cb-duration\">").append(escape(Units.duration(r.getDurationMillis())));
        h.append("</td><td class=\"cb-status cb-status-")
                .append(status)
                .append("\">")
                .append(escape(r.getStatus()));
        if (r.getError() != null) {
            h.append("<div class=\"cb-error\">").append(escape(r.getError())).append("</div>");
        }
        h.append("</td></tr>\n");
    }

    private static void gates(StringBuilder h, GateReport g) {
        String o = g.outcome().name().toLowerCase(Locale.ROOT);
        h.append("<div class=\"cb-gates cb-gates-")
                .append(o)
                .append("\"><p><strong>Quality gates: ")
                .append(escape(g.outcome()))
                .append("</strong></p>\n");
        if (!g.checks().isEmpty()) {
            h.append("<ul>\n");
            for (String c : g.checks()) {
                boolean violated = g.reasons().contains(c);
                h.append("<li class=\"")
                        .append(violated ? "cb-gate-violated" : "cb-gate-ok")
                        .append("\">")
                        .append(escape(c))
                        .append("</li>\n");
            }
            h.append("</ul>\n");
        }
        h.append("</div>\n");
    }

    /** One image's steps: how long each took and whether it came from cache. */
    public static String detail(BuildRecord r) {
        StringBuilder h = new StringBuilder(1024);
        h.append("<div class=\"cb-detail\">\n<h3>")
                .append(escape(r.getDisplayName()))
                .append("</h3>\n");
        h.append("<p class=\"cb-detail-summary\">")
                .append(escape(r.getStatus()))
                .append(" in ")
                .append(escape(Units.duration(r.getDurationMillis())))
                .append(" with ")
                .append(escape(r.getBackend()))
                .append("; ")
                .append(r.getStepsCached())
                .append(" of ")
                .append(r.getStepsTotal())
                .append(" steps from cache (")
                .append(escape(Units.percent(r.getCacheHitRate())))
                .append("); context ")
                .append(escape(Units.bytes(r.getContextBytes())));
        if (r.getImageSizeBytes() > 0) {
            h.append("; image ").append(escape(Units.bytes(r.getImageSizeBytes())));
        }
        if (r.getLayers() > 0) {
            h.append(", ").append(r.getLayers()).append(" layers");
        }
        h.append("</p>\n");
        if (r.getError() != null) {
            h.append("<p class=\"cb-error\">").append(escape(r.getError())).append("</p>\n");
        }
        if (r.getSteps().isEmpty()) {
            h.append("<p class=\"cb-empty\">No steps were reported.</p>\n");
        } else {
            h.append("<table class=\"jenkins-table cb-steps\">\n<thead><tr><th class=\"cb-num\">#</th><th>Step</th>"
                    + "<th class=\"cb-num\">Duration</th><th>Cache</th></tr></thead>\n<tbody>\n");
            int n = 1;
            for (StepRecord s : r.getSteps()) {
                h.append("<tr class=\"")
                        .append(s.isCached() ? "cb-step-cached" : "cb-step-built")
                        .append("\">")
                        .append("<td class=\"cb-num\">")
                        .append(n++)
                        .append("</td><td><code>")
                        .append(escape(s.getName()))
                        .append("</code></td><td class=\"cb-num\">")
                        .append(s.isCached() ? "—" : escape(Units.duration(s.getDurationMillis())))
                        .append("</td><td>")
                        .append(s.isCached() ? "cached" : "built")
                        .append("</td></tr>\n");
            }
            h.append("</tbody>\n</table>\n");
        }
        h.append("</div>\n");
        return h.toString();
    }

    /** A complete HTML page around the given fragments, with {@link #STYLE}; for the CLI's report. */
    public static String page(String title, String... fragments) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title))
                .append("</title>\n<style>\n")
                .append(STYLE)
                .append("</style>\n</head>\n<body>\n")
                .append("<h1>")
                .append(escape(title))
                .append("</h1>\n");
        for (String f : fragments) {
            h.append(f);
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }
}
