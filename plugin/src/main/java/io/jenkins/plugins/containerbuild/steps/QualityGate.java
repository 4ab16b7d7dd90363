package io.jenkins.plugins.containerbuild.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import io.jenkins.plugins.containerbuild.engine.steps.BeanArguments;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The thresholds of {@code failIf} / {@code unstableIf}: {@code [cacheHitRateBelow: 0.5, sizeGrowthAbovePercent:
 * 10]}, each optional, compared with the same image in the job's last successful run (checked by the engine).
 */
public final class QualityGate extends AbstractDescribableImpl<QualityGate> implements BeanArguments.ArgumentSource {
    private Double cacheHitRateBelow;
    private Double sizeGrowthAbovePercent;

    @DataBoundConstructor
    public QualityGate() {}

    public Double getCacheHitRateBelow() {
        return cacheHitRateBelow;
    }

    /** A cache hit rate from 0 to 1. */
    @DataBoundSetter
    public void setCacheHitRateBelow(Double cacheHitRateBelow) {
        this.cacheHitRateBelow = cacheHitRateBelow;
    }

    public Double getSizeGrowthAbovePercent() {
        return sizeGrowthAbovePercent;
    }

    /** A growth of the image's size, in percent. */
    @DataBoundSetter
    public void setSizeGrowthAbovePercent(Double sizeGrowthAbovePercent) {
        this.sizeGrowthAbovePercent = sizeGrowthAbovePercent;
    }

    /** The thresholds that are set. */
    @Override
    public Map<String, Object> toArguments() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (cacheHitRateBelow != null) {
            m.put("cacheHitRateBelow", cacheHitRateBelow);
        }
        if (sizeGrowthAbovePercent != null) {
            m.put("sizeGrowthAbovePercent", sizeGrowthAbovePercent);
        }
        return m;
    }

    /** Describes a gate. */
    @Extension
    public static final class DescriptorImpl extends Descriptor<QualityGate> {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Quality gate";
        }
    }
}
