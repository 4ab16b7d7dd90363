package io.jenkins.plugins.containerbuild.results;

import hudson.model.Action;
import hudson.model.Run;
import io.jenkins.plugins.containerbuild.engine.report.BuildRecord;
import io.jenkins.plugins.containerbuild.engine.report.GateReport;
import io.jenkins.plugins.containerbuild.engine.report.SummaryHtml;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import jenkins.model.RunAction2;
import jenkins.tasks.SimpleBuildStep;

/**
 * The container images a run built: one {@link BuildRecord} per image (tags, digest, size,
 * layers, cache hit rate, duration, per-step timings, status) and the last quality-gate report.
 * Shown as a table on the run's page ({@code summary.jelly}) and in detail at
 * {@code <run>/container-build/} ({@code index.jelly}). The HTML comes from the engine's
 * {@link SummaryHtml}, which escapes everything it prints.
 *
 * <p>As a {@link SimpleBuildStep.LastBuildAction} it gives the job a
 * {@link ContainerBuildProjectAction} (the trend) while it is on the last successful run.
 */
public final class ContainerBuildAction implements RunAction2, SimpleBuildStep.LastBuildAction {
    /** URL of this action under the run. */
    public static final String URL_NAME = "container-build";

    static final String ICON = "/plugin/container-build/images/container-build.svg";

    private final List<BuildRecord> records = new ArrayList<>();
    private GateReport gateReport;
    private transient Run<?, ?> run;

    /** The run's action, added to the run if it has none yet. */
    public static ContainerBuildAction attach(Run<?, ?> run) {
        synchronized (run) {
            ContainerBuildAction a = run.getAction(ContainerBuildAction.class);
            if (a == null) {
                a = new ContainerBuildAction();
                run.addAction(a);
            }
            return a;
        }
    }

    /** Adds the records of builds that just ended and saves the run. */
    public void add(Collection<BuildRecord> newRecords) throws IOException {
        synchronized (this) {
            records.addAll(newRecords);
        }
        save();
    }

    /** Merges a quality-gate report into the run's (the worst outcome wins, all reasons kept) and saves the run. */
    public void mergeGateReport(GateReport report) throws IOException {
        synchronized (this) {
            gateReport = gateReport == null ? report : gateReport.merge(report);
        }
        save();
    }

    private void save() throws IOException {
        if (run != null) {
            run.save();
        }
    }

    /** The records, in the order the builds ended. */
    public synchronized List<BuildRecord> getRecords() {
        return List.copyOf(records);
    }

    /** The run's quality-gate report (merged over its builds), or null when no gate was configured. */
    public synchronized GateReport getGateReport() {
        return gateReport;
    }

    /** The run this action belongs to. */
    public Run<?, ?> getRun() {
        return run;
    }

    /** The summary table, escaped HTML. */
    public String getSummaryHtml() {
        return SummaryHtml.summary(getRecords(), getGateReport());
    }

    /** One detail section (per-step timings) per image, escaped HTML. */
    public List<String> getDetailHtml() {
        List<String> out = new ArrayList<>();
        for (BuildRecord r : getRecords()) {
            out.add(SummaryHtml.detail(r));
        }
        return out;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        run = r;
    }

    @Override
    public String getIconFileName() {
        return ICON;
    }

    @Override
    public String getDisplayName() {
        return "Container images";
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    @Override
    public Collection<? extends Action> getProjectActions() {
        Run<?, ?> r = run;
        return r == null ? List.of() : List.of(new ContainerBuildProjectAction(r.getParent()));
    }
}
