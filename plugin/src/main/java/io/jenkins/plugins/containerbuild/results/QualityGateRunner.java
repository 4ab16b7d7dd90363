package io.jenkins.plugins.containerbuild.results;

import hudson.AbortException;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.report.BuildRecord;
import io.jenkins.plugins.containerbuild.engine.report.GateReport;
import io.jenkins.plugins.containerbuild.engine.report.QualityGates;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies {@code failIf} / {@code unstableIf} quality gates to a build just recorded, comparing it
 * with the same image (same tags) in the job's last successful run: an UNSTABLE outcome marks the
 * run unstable, FAIL ends the step with an {@link AbortException} listing the reasons.
 */
public final class QualityGateRunner {
    private QualityGateRunner() {
    }

    /** Validates the gate arguments without evaluating them; throws {@link AbortException} naming the bad key. */
    public static QualityGates.GateConfig config(Object failIf, Object unstableIf) throws AbortException {
        Map<String, Object> args = new LinkedHashMap<>();
        if (failIf != null) {
            args.put("failIf", failIf);
        }
        if (unstableIf != null) {
            args.put("unstableIf", unstableIf);
        }
        try {
            return QualityGates.GateConfig.fromArguments(args);
        } catch (InvalidBuildContextException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /** Evaluates {@code config} for {@code current}, records the report on the run and applies its outcome. */
    public static void apply(Run<?, ?> run, ContainerBuildAction action, QualityGates.GateConfig config,
            BuildRecord current, TaskListener listener) throws IOException {
        if (current == null) {
            return;
        }
        GateReport report = QualityGates.evaluate(config, current, previous(run, current));
        action.setGateReport(report);
        String outcome = String.valueOf(report.outcome());
        List<String> reasons = report.reasons();
        for (String reason : reasons) {
            listener.getLogger().println("Quality gate (" + outcome + "): " + reason);
        }
        if ("FAIL".equals(outcome)) {
            throw new AbortException("Quality gate failed: " + String.join("; ", reasons));
        }
        if ("UNSTABLE".equals(outcome)) {
            run.setResult(Result.UNSTABLE);
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
            if (r.getTags().equals(current.getTags()) && "SUCCESS".equals(String.valueOf(r.getStatus()))) {
                return r;
            }
        }
        return null;
    }
}
