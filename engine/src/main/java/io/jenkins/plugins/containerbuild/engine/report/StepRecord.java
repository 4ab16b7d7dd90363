package io.jenkins.plugins.containerbuild.engine.report;

import io.jenkins.plugins.containerbuild.engine.api.StepTiming;
import java.io.Serializable;

/** One step of a recorded build: its name, how long it took and whether it came from cache. */
public final class StepRecord implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final long durationMillis;
    private final boolean cached;

    public StepRecord(String name, long durationMillis, boolean cached) {
        this.name = name == null ? "" : name;
        this.durationMillis = Math.max(0, durationMillis);
        this.cached = cached;
    }

    /** The step as the engine measured it. */
    public static StepRecord of(StepTiming t) {
        return new StepRecord(t.name(), t.duration().toMillis(), t.cached());
    }

    public String getName() {
        return name;
    }

    public long getDurationMillis() {
        return durationMillis;
    }

    public boolean isCached() {
        return cached;
    }

    @Override
    public String toString() {
        return name + " " + durationMillis + "ms" + (cached ? " cached" : "");
    }
}
