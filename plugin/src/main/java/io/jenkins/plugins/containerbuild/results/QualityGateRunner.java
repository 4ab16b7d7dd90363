package io.jenkins.plugins.containerbuild.results;

import hudson.AbortException;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.containerbuild.engine.api.GateConfig;
import io.jenkins.plugins.containerbuild.engine.report.BuildRecord;
import io.jenkins.plugins.containerbuild.engine.report.GateReport;
import io.jenkins.plugins.containerbuild.engine.report.QualityGates;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Applies {@code failIf} / {@code unstableIf} quality gates to a build just recorded, comparing it
 * with the same image (same tags) in the job's last successful run: an UNSTABLE outcome marks the
 * run unstable, FAIL ends the step with an {@link AbortException} listing the reasons.
 */
public final class QualityGateRunner {
    private QualityGateRunner() {}

    /**
     * Evaluates {@code config} for {@code current}, merges the report into the run's (a run may build
     * several images with gates) and applies its outcome.
     *
     * @param unstable told the reasons when the outcome is UNSTABLE (a Pipeline step marks its stage with them)
     */
    public static void apply(
            Run<?, ?> run,
            ContainerBuildAction action,
            GateConfig config,
            BuildRecord current,
            TaskListener listener,
            Consumer<String> unstable)
            throws IOException {
        if (current == null) {
            return;
        }
        GateReport report = QualityGates.evaluate(config, current, previous(run, current));
        action.mergeGateReport(report);
        for (String check : report.checks()) {
            if (!report.reasons().contains(check)) {
                listener.getLogger().println("Quality gate: " + check);
            }
        }
        for (String reason : report.reasons()) {
            listener.getLogger().println("Quality gate (" + report.outcome() + "): " + reason);
        }
        if (report.outcome() == GateReport.Outcome.FAIL) {
            throw new AbortException("Quality gate failed: " + String.join("; ", report.reasons()));
        }
        if (report.outcome() == GateReport.Outcome.UNSTABLE) {
            run.setResult(Result.UNSTABLE);
            unstable.accept("Quality gate: " + String.join("; ", report.reasons()));
        }
    }

    /** The record of the same image in the last successful run before {@code run}, or null. */
    static BuildRecord previous(Run<?, ?> run, BuildRecord current) {
        Run<?, ?> prev = run.getPreviousSuccessfulBuild();
        if (prev == null) {
            return null;
        }
        ContainerBuildAction a = prev.getAction(ContainerBuildAction.class);
        if (a == null) {
            return null;
        }
        for (BuildRecord r : a.getRecords()) {
            if (r.isSuccess() && r.getTags().equals(current.getTags())) {
                return r;
            }
        }
        return null;
    }
}
