package io.jenkins.plugins.containerbuild.engine.report;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the quality gates decided about one build: the outcome, the sentences that caused it, and
 * every check made (passed and skipped ones included). A plain final class so Jenkins can store it.
 */
public final class GateReport implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The gates' verdict, worst last. */
    public enum Outcome {
        PASS,
        UNSTABLE,
        FAIL
    }

    private final Outcome outcome;
    private final ArrayList<String> reasons;
    private final ArrayList<String> checks;

    public GateReport(Outcome outcome, List<String> reasons, List<String> checks) {
        this.outcome = outcome;
        this.reasons = new ArrayList<>(reasons);
        this.checks = new ArrayList<>(checks);
    }

    public Outcome outcome() {
        return outcome;
    }

    /** Human sentences, with the numbers, for each violated gate; empty when the outcome is PASS. */
    public List<String> reasons() {
        return Collections.unmodifiableList(reasons);
    }

    /** A sentence for every check: violated, passed or skipped (e.g. no earlier build to compare with). */
    public List<String> checks() {
        return Collections.unmodifiableList(checks);
    }

    /** Bean-style getter for Jelly views. */
    public Outcome getOutcome() {
        return outcome;
    }

    /** Bean-style getter for Jelly views. */
    public List<String> getReasons() {
        return reasons();
    }

    /** The worse of two reports: the worst outcome, with both reports' reasons and checks. */
    public GateReport merge(GateReport other) {
        if (other == null) {
            return this;
        }
        List<String> r = new ArrayList<>(reasons);
        r.addAll(other.reasons);
        List<String> c = new ArrayList<>(checks);
        c.addAll(other.checks);
        Outcome o = other.outcome.compareTo(outcome) > 0 ? other.outcome : outcome;
        return new GateReport(o, r, c);
    }

    @Override
    public String toString() {
        return outcome + (reasons.isEmpty() ? "" : " " + reasons);
    }
}
