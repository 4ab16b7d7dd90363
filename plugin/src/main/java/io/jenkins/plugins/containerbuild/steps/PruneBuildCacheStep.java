package io.jenkins.plugins.containerbuild.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.containerbuild.ContainerBuildRunner;
import io.jenkins.plugins.containerbuild.credentials.CredentialsDropdowns;
import io.jenkins.plugins.containerbuild.engine.steps.NamedEntries;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.docker.commons.credentials.DockerServerCredentials;
import org.jenkinsci.plugins.structs.describable.CustomDescribableModel;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code pruneBuildCache}: removes build cache from the agent's daemon and returns
 * {@code [spaceReclaimed: <bytes>, cachesDeleted: [ids]]}.
 *
 * <pre>{@code
 * def r = pruneBuildCache all: true, filters: [until: '24h'], keepStorage: '10GB'
 * echo "reclaimed ${r.spaceReclaimed} bytes"
 * }</pre>
 */
public final class PruneBuildCacheStep extends Step {
    private boolean all;
    private List<NameValue> filters;
    private String keepStorage;
    private String builder;
    private String builderCredentialsId;

    @DataBoundConstructor
    public PruneBuildCacheStep() {}

    public boolean isAll() {
        return all;
    }

    /** Remove all cache, not only dangling records. */
    @DataBoundSetter
    public void setAll(boolean all) {
        this.all = all;
    }

    public List<NameValue> getFilters() {
        return filters;
    }

    /** Daemon filters, e.g. {@code [until: '24h']} in a script ({@code [[name: 'until', value: '24h']]} in a form). */
    @DataBoundSetter
    public void setFilters(List<NameValue> filters) {
        this.filters = filters;
    }

    public String getKeepStorage() {
        return keepStorage;
    }

    /** Keep this much cache, e.g. {@code 10GB}. */
    @DataBoundSetter
    public void setKeepStorage(String keepStorage) {
        this.keepStorage = Util.fixEmptyAndTrim(keepStorage);
    }

    public String getBuilder() {
        return builder;
    }

    /** A standalone buildkitd whose cache to prune: {@code unix:///path} or {@code tcp://host:port}. */
    @DataBoundSetter
    public void setBuilder(String builder) {
        this.builder = Util.fixEmptyAndTrim(builder);
    }

    public String getBuilderCredentialsId() {
        return builderCredentialsId;
    }

    /** Docker Server Credentials for a {@code tcp://} builder's mutual TLS. */
    @DataBoundSetter
    public void setBuilderCredentialsId(String builderCredentialsId) {
        this.builderCredentialsId = Util.fixEmptyAndTrim(builderCredentialsId);
    }

    /** The step's arguments in the Pipeline shape. */
    public Map<String, Object> toArguments() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (all) {
            m.put("all", true);
        }
        ContainerBuildStep.putIf(
                m,
                "filters",
                filters == null || filters.isEmpty()
                        ? null
                        : filters.stream().map(NameValue::toArguments).toList());
        ContainerBuildStep.putIf(m, "keepStorage", keepStorage);
        ContainerBuildStep.putIf(m, "builder", builder);
        ContainerBuildStep.putIf(m, "builderCredentialsId", builderCredentialsId);
        return m;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context, toArguments());
    }

    /** Prunes. */
    static final class Execution extends RunnerExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;

        Execution(StepContext context, Map<String, Object> arguments) {
            super(context, arguments);
        }

        @Override
        protected Map<String, Object> run(ContainerBuildRunner runner, Map<String, Object> arguments) throws Exception {
            return runner.prune(arguments);
        }
    }

    /** Describes {@code pruneBuildCache}. */
    @Extension
    @Symbol("pruneBuildCache")
    public static final class DescriptorImpl extends StepDescriptor implements CustomDescribableModel {
        @Override
        public String getFunctionName() {
            return "pruneBuildCache";
        }

        /** Takes {@code filters: [until: '24h']} as well as {@code filters: [[name: 'until', value: '24h']]}. */
        @NonNull
        @Override
        public Map<String, Object> customInstantiate(@NonNull Map<String, Object> arguments) {
            return NamedEntries.forDataBinding(arguments, Set.of("filters"), Set.of());
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Prune the container build cache";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return StepContexts.required();
        }

        public ListBoxModel doFillBuilderCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String builderCredentialsId) {
            return CredentialsDropdowns.fill(item, builderCredentialsId, DockerServerCredentials.class);
        }

        @POST
        public FormValidation doCheckBuilderCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return CredentialsDropdowns.check(item, value, "Docker Server Credentials", DockerServerCredentials.class);
        }

        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            return null;
        }
    }
}
