package io.jenkins.plugins.containerbuild.results;

import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.containerbuild.engine.report.TrendPoint;
import io.jenkins.plugins.containerbuild.engine.report.TrendSvg;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The job's trend of image build time and cache hit rate over its last runs, drawn by the
 * engine's {@link TrendSvg} ({@code floatingBox.jelly} on the job page, {@code index.jelly} at
 * {@code <job>/container-build-trend/}). One point per run: the sum of its images' build times and
 * the cache hit rate over all their steps ({@link TrendPoint#of}).
 */
public final class ContainerBuildProjectAction implements Action {
    /** How many runs the trend looks back over. */
    static final int MAX_RUNS = 30;

    static final int WIDTH = 600;
    static final int HEIGHT = 220;

    private final Job<?, ?> job;

    public ContainerBuildProjectAction(Job<?, ?> job) {
        this.job = job;
    }

    /** The job. */
    public Job<?, ?> getJob() {
        return job;
    }

    /** One point per run that built images, among the last {@link #MAX_RUNS} runs, oldest first. */
    public List<TrendPoint> getPoints() {
        List<TrendPoint> points = new ArrayList<>();
        int seen = 0;
        for (Run<?, ?> r : job.getBuilds()) {
            if (seen++ >= MAX_RUNS) {
                break;
            }
            ContainerBuildAction a = r.getAction(ContainerBuildAction.class);
            if (a != null && !a.getRecords().isEmpty()) {
                points.add(TrendPoint.of("#" + r.getNumber(), a.getRecords()));
            }
        }
        Collections.reverse(points);
        return points;
    }

    /** The trend chart, an SVG document (escaped by the engine). */
    public String getTrendSvg() {
        return TrendSvg.render(getPoints(), WIDTH, HEIGHT);
    }

    /** True when there is anything to draw. */
    public boolean isHasData() {
        return !getPoints().isEmpty();
    }

    @Override
    public String getIconFileName() {
        return ContainerBuildAction.ICON;
    }

    @Override
    public String getDisplayName() {
        return "Container build trend";
    }

    @Override
    public String getUrlName() {
        return "container-build-trend";
    }
}
