package io.jenkins.plugins.containerbuild.steps;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.containerbuild.ContainerBuildRunner;
import io.jenkins.plugins.containerbuild.credentials.BuildRegistry;
import io.jenkins.plugins.containerbuild.credentials.BuildSecret;
import io.jenkins.plugins.containerbuild.credentials.BuildSshKey;
import io.jenkins.plugins.containerbuild.credentials.CredentialsDropdowns;
import io.jenkins.plugins.containerbuild.engine.api.BuildOption;
import io.jenkins.plugins.containerbuild.engine.steps.BeanArguments;
import io.jenkins.plugins.containerbuild.engine.steps.NamedEntries;
import java.util.ArrayList;
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
 * {@code containerBuild}: builds one image from a Dockerfile in the workspace against the agent's
 * Docker daemon and returns {@code [buildId:, imageId:, tags:, platforms:, metrics: [...]]}
 * (plus {@code digest:} once images are pushed).
 *
 * <pre>{@code
 * def r = containerBuild tags: ['registry.example.com/app:1'], buildArgs: [VERSION: '1'],
 *         secrets: [[id: 'npmrc', credentialsId: 'npm-token']],
 *         unstableIf: [cacheHitRateBelow: 0.5]
 * echo r.imageId
 * }</pre>
 *
 * Every option is optional and declared once, in the engine's {@link BuildOption}; the engine's
 * {@code BuildSpec} checks them and its error names the offending option.
 */
public final class ContainerBuildStep extends Step {
    private String context;
    private String dockerfile;
    private List<String> tags;
    private List<String> platforms;
    private List<NameValue> buildArgs;
    private List<NameValue> labels;
    private String target;
    private List<BuildSecret> secrets;
    private List<BuildSshKey> sshKeys;
    private String registryCredentialsId;
    private String registryHost;
    private List<BuildRegistry> registries;
    private List<String> cacheFrom;
    private List<String> cacheTo;
    private List<String> outputs;
    private String builder;
    private List<String> attestations;
    private List<String> images;
    private List<String> tagRules;
    private List<String> flavor;
    private String builderCredentialsId;
    private boolean noCache;
    private boolean pull;
    private String network;
    private List<NameValue> extraHosts;
    private boolean push;
    private String backend;
    private String timeout;
    private String name;
    private QualityGate failIf;
    private QualityGate unstableIf;

    @DataBoundConstructor
    public ContainerBuildStep() {}

    /**
     * The step's arguments in the Pipeline shape, only those that were given: one per declared
     * {@link BuildOption}, read through this step's properties (a test checks that each option has one).
     */
    public Map<String, Object> toArguments() {
        return BeanArguments.given(this, BuildOption.keys());
    }

    static void putIf(Map<String, Object> m, String key, Object value) {
        if (value instanceof String s) {
            if (!s.isBlank()) {
                m.put(key, s.trim());
            }
        } else if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), v));
            m.put(key, copy);
        } else if (value instanceof List<?> list) {
            m.put(key, new ArrayList<Object>(list));
        } else if (value != null) {
            m.put(key, value);
        }
    }

    @Override
    public StepExecution start(StepContext stepContext) throws Exception {
        return new Execution(stepContext, toArguments());
    }

    /** Runs the build. */
    static final class Execution extends RunnerExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;

        Execution(StepContext context, Map<String, Object> arguments) {
            super(context, arguments);
        }

        @Override
        protected Map<String, Object> run(ContainerBuildRunner runner, Map<String, Object> arguments) throws Exception {
            return runner.build(arguments);
        }
    }

    public String getContext() {
        return context;
    }

    /** The build context directory, relative to the workspace (default {@code .}). */
    @DataBoundSetter
    public void setContext(String context) {
        this.context = Util.fixEmptyAndTrim(context);
    }

    public String getDockerfile() {
        return dockerfile;
    }

    /** The Dockerfile, relative to the build context (default {@code Dockerfile} in the context). */
    @DataBoundSetter
    public void setDockerfile(String dockerfile) {
        this.dockerfile = Util.fixEmptyAndTrim(dockerfile);
    }

    public List<String> getTags() {
        return tags;
    }

    @DataBoundSetter
    public void setTags(List<String> tags) {
        this.tags = tags;
    }

    public List<String> getPlatforms() {
        return platforms;
    }

    @DataBoundSetter
    public void setPlatforms(List<String> platforms) {
        this.platforms = platforms;
    }

    public List<NameValue> getBuildArgs() {
        return buildArgs;
    }

    @DataBoundSetter
    public void setBuildArgs(List<NameValue> buildArgs) {
        this.buildArgs = buildArgs;
    }

    public List<NameValue> getLabels() {
        return labels;
    }

    @DataBoundSetter
    public void setLabels(List<NameValue> labels) {
        this.labels = labels;
    }

    public String getTarget() {
        return target;
    }

    @DataBoundSetter
    public void setTarget(String target) {
        this.target = Util.fixEmptyAndTrim(target);
    }

    public List<BuildSecret> getSecrets() {
        return secrets;
    }

    @DataBoundSetter
    public void setSecrets(List<BuildSecret> secrets) {
        this.secrets = secrets == null || secrets.isEmpty() ? null : secrets;
    }

    public List<BuildRegistry> getRegistries() {
        return registries;
    }

    @DataBoundSetter
    public void setRegistries(List<BuildRegistry> registries) {
        this.registries = registries == null || registries.isEmpty() ? null : registries;
    }

    public List<BuildSshKey> getSshKeys() {
        return sshKeys;
    }

    @DataBoundSetter
    public void setSshKeys(List<BuildSshKey> sshKeys) {
        this.sshKeys = sshKeys == null || sshKeys.isEmpty() ? null : sshKeys;
    }

    public String getRegistryCredentialsId() {
        return registryCredentialsId;
    }

    @DataBoundSetter
    public void setRegistryCredentialsId(String registryCredentialsId) {
        this.registryCredentialsId = Util.fixEmptyAndTrim(registryCredentialsId);
    }

    public String getRegistryHost() {
        return registryHost;
    }

    @DataBoundSetter
    public void setRegistryHost(String registryHost) {
        this.registryHost = Util.fixEmptyAndTrim(registryHost);
    }

    public List<String> getCacheFrom() {
        return cacheFrom;
    }

    @DataBoundSetter
    public void setCacheFrom(List<String> cacheFrom) {
        this.cacheFrom = cacheFrom;
    }

    public List<String> getAttestations() {
        return attestations;
    }

    public List<String> getImages() {
        return images;
    }

    /** Images the tag rules tag, without a tag, e.g. {@code ['registry.example.com/team/app']}. */
    @DataBoundSetter
    public void setImages(List<String> images) {
        this.images = images;
    }

    public List<String> getTagRules() {
        return tagRules;
    }

    /** Tag rules in docker/metadata-action's syntax, e.g. {@code ['type=ref,event=branch']}. */
    @DataBoundSetter
    public void setTagRules(List<String> tagRules) {
        this.tagRules = tagRules;
    }

    public List<String> getFlavor() {
        return flavor;
    }

    /** metadata-action's flavor lines, e.g. {@code ['latest=false']}. */
    @DataBoundSetter
    public void setFlavor(List<String> flavor) {
        this.flavor = flavor;
    }

    /** Attestations in buildx's syntax, e.g. {@code ['type=provenance,mode=max']} (off by default). */
    @DataBoundSetter
    public void setAttestations(List<String> attestations) {
        this.attestations = attestations;
    }

    public String getBuilder() {
        return builder;
    }

    /** A standalone buildkitd to build on: {@code unix:///path} or {@code tcp://host:port}. */
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

    public List<String> getOutputs() {
        return outputs;
    }

    /** Outputs in buildx's syntax, e.g. {@code ['type=oci,dest=image.tar']}. */
    @DataBoundSetter
    public void setOutputs(List<String> outputs) {
        this.outputs = outputs;
    }

    public List<String> getCacheTo() {
        return cacheTo;
    }

    /**
     * Cache exports in buildx's syntax, e.g. {@code ['type=inline']} or, on a buildkitd builder,
     * {@code ['type=registry,ref=registry.example.com/team/app:cache,mode=max']}.
     */
    @DataBoundSetter
    public void setCacheTo(List<String> cacheTo) {
        this.cacheTo = cacheTo;
    }

    public boolean isNoCache() {
        return noCache;
    }

    @DataBoundSetter
    public void setNoCache(boolean noCache) {
        this.noCache = noCache;
    }

    public boolean isPull() {
        return pull;
    }

    @DataBoundSetter
    public void setPull(boolean pull) {
        this.pull = pull;
    }

    public String getNetwork() {
        return network;
    }

    @DataBoundSetter
    public void setNetwork(String network) {
        this.network = Util.fixEmptyAndTrim(network);
    }

    public List<NameValue> getExtraHosts() {
        return extraHosts;
    }

    @DataBoundSetter
    public void setExtraHosts(List<NameValue> extraHosts) {
        this.extraHosts = extraHosts;
    }

    public boolean isPush() {
        return push;
    }

    @DataBoundSetter
    public void setPush(boolean push) {
        this.push = push;
    }

    public String getBackend() {
        return backend;
    }

    @DataBoundSetter
    public void setBackend(String backend) {
        this.backend = Util.fixEmptyAndTrim(backend);
    }

    public String getTimeout() {
        return timeout;
    }

    /** A duration such as {@code 30m} or {@code 1h30m}. */
    @DataBoundSetter
    public void setTimeout(String timeout) {
        this.timeout = Util.fixEmptyAndTrim(timeout);
    }

    public String getName() {
        return name;
    }

    @DataBoundSetter
    public void setName(String name) {
        this.name = Util.fixEmptyAndTrim(name);
    }

    public QualityGate getFailIf() {
        return failIf;
    }

    /** e.g. {@code [cacheHitRateBelow: 0.5, sizeGrowthAbovePercent: 10]}: fail the step when a threshold is crossed. */
    @DataBoundSetter
    public void setFailIf(QualityGate failIf) {
        this.failIf = failIf;
    }

    public QualityGate getUnstableIf() {
        return unstableIf;
    }

    /** Same keys as {@link #setFailIf}: mark the run unstable instead. */
    @DataBoundSetter
    public void setUnstableIf(QualityGate unstableIf) {
        this.unstableIf = unstableIf;
    }

    /** Describes {@code containerBuild}. */
    @Extension
    @Symbol("containerBuild")
    public static final class DescriptorImpl extends StepDescriptor implements CustomDescribableModel {
        /** The options scripts may give as maps, which the form and the syntax reference show as entries. */
        static final Set<String> MAP_OPTIONS = Set.of("buildArgs", "labels", "extraHosts");

        static final Set<String> GATES = Set.of("failIf", "unstableIf");

        @Override
        public String getFunctionName() {
            return "containerBuild";
        }

        /**
         * Takes {@code buildArgs: [VERSION: '1']} as well as {@code buildArgs: [[name: 'VERSION', value: '1']]}; a
         * gate or entry key the data binding would drop is refused (the engine's message names it).
         */
        @NonNull
        @Override
        public Map<String, Object> customInstantiate(@NonNull Map<String, Object> arguments) {
            return NamedEntries.forDataBinding(arguments, MAP_OPTIONS, GATES);
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Build a container image";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return StepContexts.required();
        }

        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            Object name = namedArgs.get("name");
            if (name instanceof String s) {
                return s;
            }
            Object tags = namedArgs.get("tags");
            if (tags instanceof List<?> l && !l.isEmpty()) {
                return String.valueOf(l.get(0));
            }
            return null;
        }

        public ListBoxModel doFillRegistryCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String registryCredentialsId) {
            return CredentialsDropdowns.fill(item, registryCredentialsId, StandardUsernamePasswordCredentials.class);
        }

        @POST
        public FormValidation doCheckRegistryCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return CredentialsDropdowns.check(
                    item, value, "Username with password", StandardUsernamePasswordCredentials.class);
        }

        public ListBoxModel doFillBuilderCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String builderCredentialsId) {
            return CredentialsDropdowns.fill(item, builderCredentialsId, DockerServerCredentials.class);
        }

        @POST
        public FormValidation doCheckBuilderCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return CredentialsDropdowns.check(item, value, "Docker Server Credentials", DockerServerCredentials.class);
        }

        public ListBoxModel doFillBackendItems() {
            return Backends.items();
        }
    }
}
