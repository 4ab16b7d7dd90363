package io.jenkins.plugins.containerbuild.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import io.jenkins.plugins.containerbuild.ContainerBuildRunner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code containerBatchBuild}: several builds on one agent, at most {@code maxParallel} at a time.
 * Each entry of {@code builds} takes the options of {@code containerBuild} (except quality gates).
 * Returns the result maps in order; when any build fails, the step fails with every build's
 * outcome in its message.
 *
 * <pre>{@code
 * def results = containerBatchBuild builds: [
 *     [context: 'api', tags: ['app/api:1']],
 *     [context: 'web', tags: ['app/web:1']],
 * ], maxParallel: 2, failFast: true
 * }</pre>
 */
public final class ContainerBatchBuildStep extends Step {
    private final List<Map<String, Object>> builds;
    private Integer maxParallel;
    private Boolean failFast;

    @DataBoundConstructor
    public ContainerBatchBuildStep(List<Map<String, Object>> builds) {
        this.builds = builds == null ? List.of() : builds;
    }

    public List<Map<String, Object>> getBuilds() {
        return builds;
    }

    public Integer getMaxParallel() {
        return maxParallel;
    }

    /** How many builds run at once (the engine's default when not given). */
    @DataBoundSetter
    public void setMaxParallel(Integer maxParallel) {
        this.maxParallel = maxParallel;
    }

    public Boolean getFailFast() {
        return failFast;
    }

    /** Cancel the remaining builds after the first failure. */
    @DataBoundSetter
    public void setFailFast(Boolean failFast) {
        this.failFast = failFast;
    }

    /** The step's arguments in the Pipeline shape. */
    public Map<String, Object> toArguments() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> list = new ArrayList<>();
        for (Map<?, ?> b : builds) {
            Map<String, Object> copy = new LinkedHashMap<>();
            b.forEach((k, v) -> copy.put(String.valueOf(k), v));
            list.add(copy);
        }
        m.put("builds", list);
        if (maxParallel != null) {
            m.put("maxParallel", maxParallel);
        }
        if (failFast != null) {
            m.put("failFast", failFast);
        }
        return m;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context, toArguments());
    }

    /** Runs the builds. */
    static final class Execution extends RunnerExecution<List<Map<String, Object>>> {
        private static final long serialVersionUID = 1L;

        Execution(StepContext context, Map<String, Object> arguments) {
            super(context, arguments);
        }

        @Override
        protected List<Map<String, Object>> run(ContainerBuildRunner runner, Map<String, Object> arguments)
                throws Exception {
            return runner.batch(arguments);
        }
    }

    /** Describes {@code containerBatchBuild}. */
    @Extension
    @Symbol("containerBatchBuild")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "containerBatchBuild";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Build several container images";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return StepContexts.required();
        }

        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            Object builds = namedArgs.get("builds");
            return builds instanceof List<?> l ? l.size() + " builds" : null;
        }
    }
}
