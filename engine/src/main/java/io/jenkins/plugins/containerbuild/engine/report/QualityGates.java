package io.jenkins.plugins.containerbuild.engine.report;

import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.api.GateConfig;
import io.jenkins.plugins.containerbuild.engine.steps.GateArguments;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Judges a build against its {@link GateConfig}: cache hit rate against thresholds, and image size
 * growth against the last successful build. A fail threshold beats an unstable one.
 */
public final class QualityGates {
    private QualityGates() {}

    /** Same as {@link GateConfig#fromArguments(Map)}. */
    public static GateConfig fromArguments(Map<String, ?> args) {
        return GateArguments.fromArguments(args);
    }

    /**
     * Evaluates the gates.
     *
     * @param c                    the thresholds; null means no gate
     * @param current              the build to judge
     * @param lastSuccessfulOrNull the last successful build of the same image, the size baseline
     */
    public static GateReport evaluate(GateConfig c, BuildRecord current, BuildRecord lastSuccessfulOrNull) {
        GateConfig config = c == null ? GateConfig.none() : c;
        String who = current.getDisplayName();
        List<String> reasons = new ArrayList<>();
        List<String> checks = new ArrayList<>();
        if (config.isEmpty()) {
            return new GateReport(GateReport.Outcome.PASS, reasons, checks);
        }
        if (current.getStatus() != BuildStatus.SUCCESS) {
            String r = who + ": the build did not succeed (" + current.getStatus() + "), so the quality gates fail";
            return new GateReport(GateReport.Outcome.FAIL, List.of(r), List.of(r));
        }
        GateReport.Outcome outcome = GateReport.Outcome.PASS;
        if (config.failIfCacheHitRateBelow() != null || config.unstableIfCacheHitRateBelow() != null) {
            outcome = worse(outcome, cacheRate(config, current, who, reasons, checks));
        }
        if (config.failIfSizeGrowthAbovePercent() != null || config.unstableIfSizeGrowthAbovePercent() != null) {
            outcome = worse(outcome, sizeGrowth(config, current, lastSuccessfulOrNull, who, reasons, checks));
        }
        return new GateReport(outcome, reasons, checks);
    }

    private static GateReport.Outcome cacheRate(
            GateConfig c, BuildRecord r, String who, List<String> reasons, List<String> checks) {
        if (r.getStepsTotal() == 0) {
            checks.add(who + ": cache hit rate not checked: the build reported no steps");
            return GateReport.Outcome.PASS;
        }
        double rate = r.getCacheHitRate();
        String measured = who + ": cache hit rate " + Units.percent(rate) + " (" + r.getStepsCached() + " of "
                + r.getStepsTotal() + " steps cached)";
        if (c.failIfCacheHitRateBelow() != null && rate < c.failIfCacheHitRateBelow()) {
            return violated(
                    GateReport.Outcome.FAIL,
                    measured + " is below the failure threshold of " + Units.percent(c.failIfCacheHitRateBelow()),
                    reasons,
                    checks);
        }
        if (c.unstableIfCacheHitRateBelow() != null && rate < c.unstableIfCacheHitRateBelow()) {
            return violated(
                    GateReport.Outcome.UNSTABLE,
                    measured + " is below the unstable threshold of " + Units.percent(c.unstableIfCacheHitRateBelow()),
                    reasons,
                    checks);
        }
        Double threshold =
                c.unstableIfCacheHitRateBelow() != null ? c.unstableIfCacheHitRateBelow() : c.failIfCacheHitRateBelow();
        checks.add(measured + " is at or above " + Units.percent(threshold));
        return GateReport.Outcome.PASS;
    }

    private static GateReport.Outcome sizeGrowth(
            GateConfig c, BuildRecord r, BuildRecord base, String who, List<String> reasons, List<String> checks) {
        if (base == null || base.getImageSizeBytes() <= 0) {
            checks.add(who + ": size growth not checked: there is no earlier successful build with a known size");
            return GateReport.Outcome.PASS;
        }
        if (r.getImageSizeBytes() <= 0) {
            checks.add(who + ": size growth not checked: the image's size is unknown");
            return GateReport.Outcome.PASS;
        }
        double growth = (r.getImageSizeBytes() - base.getImageSizeBytes()) * 100.0 / base.getImageSizeBytes();
        String measured = who + ": image size " + Units.bytes(r.getImageSizeBytes()) + " is " + signed(growth)
                + " against " + Units.bytes(base.getImageSizeBytes()) + " of the last successful build";
        if (c.failIfSizeGrowthAbovePercent() != null && growth > c.failIfSizeGrowthAbovePercent()) {
            return violated(
                    GateReport.Outcome.FAIL,
                    measured + ", above the failure threshold of " + number(c.failIfSizeGrowthAbovePercent()) + "%",
                    reasons,
                    checks);
        }
        if (c.unstableIfSizeGrowthAbovePercent() != null && growth > c.unstableIfSizeGrowthAbovePercent()) {
            return violated(
                    GateReport.Outcome.UNSTABLE,
                    measured + ", above the unstable threshold of " + number(c.unstableIfSizeGrowthAbovePercent())
                            + "%",
                    reasons,
                    checks);
        }
        Double threshold = c.unstableIfSizeGrowthAbovePercent() != null
                ? c.unstableIfSizeGrowthAbovePercent()
                : c.failIfSizeGrowthAbovePercent();
        checks.add(measured + ", within " + number(threshold) + "%");
        return GateReport.Outcome.PASS;
    }

    private static GateReport.Outcome violated(
            GateReport.Outcome o, String sentence, List<String> reasons, List<String> checks) {
        reasons.add(sentence);
        checks.add(sentence);
        return o;
    }

    private static GateReport.Outcome worse(GateReport.Outcome a, GateReport.Outcome b) {
        return b.compareTo(a) > 0 ? b : a;
    }

    private static String signed(double percent) {
        return (percent >= 0 ? "+" : "") + number(percent) + "%";
    }

    private static String number(double v) {
        double r = Math.round(v * 10) / 10.0;
        return r == Math.rint(r) ? String.format(Locale.ROOT, "%d", (long) r) : String.format(Locale.ROOT, "%.1f", r);
    }
}
