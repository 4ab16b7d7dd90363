package io.jenkins.plugins.containerbuild.agent;

import io.jenkins.plugins.containerbuild.engine.report.BuildRecord;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one build on the agent sends back to the controller: the result map for the script (plain
 * JDK types), the record for the run's summary, or the error that ended it. Exceptions of the
 * engine never cross the channel; their messages do (they hold no secret material).
 *
 * @param result the script's result map, null when the build failed
 * @param record the summary record, null when nothing was measured
 * @param error  why the build failed, null on success
 */
public record AgentOutcome(LinkedHashMap<String, Object> result, BuildRecord record, String error)
        implements Serializable {

    /** A successful build. */
    public static AgentOutcome success(Map<String, Object> result, BuildRecord record) {
        return new AgentOutcome(new LinkedHashMap<>(result), record, null);
    }

    /** A failed build. */
    public static AgentOutcome failure(String error, BuildRecord record) {
        return new AgentOutcome(null, record, error);
    }

    /** True when the build failed. */
    public boolean failed() {
        return error != null;
    }

    /** The records of several outcomes, in order, skipping absent ones. */
    public static List<BuildRecord> records(List<AgentOutcome> outcomes) {
        return outcomes.stream()
                .map(AgentOutcome::record)
                .filter(r -> r != null)
                .toList();
    }
}
