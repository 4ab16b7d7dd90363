package io.jenkins.plugins.containerbuild.freestyle;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.AbstractProject;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.BuildStepMonitor;
import hudson.tasks.Builder;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.containerbuild.ContainerBuildRunner;
import io.jenkins.plugins.containerbuild.credentials.BuildRegistry;
import io.jenkins.plugins.containerbuild.credentials.BuildSecret;
import io.jenkins.plugins.containerbuild.credentials.BuildSshKey;
import io.jenkins.plugins.containerbuild.credentials.CredentialsDropdowns;
import io.jenkins.plugins.containerbuild.engine.api.GoDuration;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.steps.BeanArguments;
import io.jenkins.plugins.containerbuild.engine.steps.FreestyleForm;
import io.jenkins.plugins.containerbuild.steps.Backends;
import io.jenkins.plugins.containerbuild.validation.ImageReferenceCheck;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.plugins.docker.commons.credentials.DockerServerCredentials;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The freestyle build step "Build container image": the options of {@code containerBuild} in a
 * form. Lists are entered one item per line (build args and labels as {@code KEY=VALUE} lines);
 * {@code ${VARIABLE}} references in text fields are expanded from the build's environment.
 */
public final class ContainerImageBuilder extends Builder implements SimpleBuildStep {
    private final String tags;
    private String context;
    private String dockerfile;
    private String platforms;
    private String buildArgs;
    private String labels;
    private String target;
    private List<BuildSecret> secrets = new ArrayList<>();
    private List<BuildRegistry> registries = new ArrayList<>();
    private List<BuildSshKey> sshKeys = new ArrayList<>();
    private String registryCredentialsId;
    private String registryHost;
    private String cacheFrom;
    private String cacheTo;
    private String outputs;
    private String builder;
    private String attestations;
    private String images;
    private String tagRules;
    private String flavor;
    private String builderCredentialsId;
    private boolean noCache;
    private boolean pull;
    private boolean push;
    private String network;
    private String extraHosts;
    private String backend;
    private String timeout;
    private String failIfCacheHitRateBelow;
    private String unstableIfCacheHitRateBelow;
    private String failIfSizeGrowthAbovePercent;
    private String unstableIfSizeGrowthAbovePercent;

    /** @param tags the image's tags, one per line */
    @DataBoundConstructor
    public ContainerImageBuilder(String tags) {
        this.tags = Util.fixEmptyAndTrim(tags);
    }

    @Override
    public void perform(
            @NonNull Run<?, ?> run,
            @NonNull FilePath workspace,
            @NonNull EnvVars env,
            @NonNull Launcher launcher,
            @NonNull TaskListener listener)
            throws InterruptedException, IOException {
        Map<String, Object> arguments;
        try {
            arguments = toArguments(env);
        } catch (InvalidBuildContextException e) {
            throw new AbortException(e.getMessage());
        }
        new ContainerBuildRunner(run, workspace, env, listener).build(arguments);
    }

    @Override
    public BuildStepMonitor getRequiredMonitorService() {
        return BuildStepMonitor.NONE;
    }

    /**
     * This step's options as {@code containerBuild} arguments, with {@code env} expanded (the mapping is the
     * engine's {@link FreestyleForm}, shared with nothing Jenkins-specific and tested there).
     */
    public Map<String, Object> toArguments(EnvVars env) {
        Map<String, Object> form = BeanArguments.values(this, FreestyleForm.FIELDS.keySet());
        return FreestyleForm.toArguments(form, env == null ? s -> s : env::expand);
    }

    public String getTags() {
        return tags;
    }

    public String getContext() {
        return context;
    }

    @DataBoundSetter
    public void setContext(String context) {
        this.context = Util.fixEmptyAndTrim(context);
    }

    public String getDockerfile() {
        return dockerfile;
    }

    @DataBoundSetter
    public void setDockerfile(String dockerfile) {
        this.dockerfile = Util.fixEmptyAndTrim(dockerfile);
    }

    public String getPlatforms() {
        return platforms;
    }

    @DataBoundSetter
    public void setPlatforms(String platforms) {
        this.platforms = Util.fixEmptyAndTrim(platforms);
    }

    public String getBuildArgs() {
        return buildArgs;
    }

    @DataBoundSetter
    public void setBuildArgs(String buildArgs) {
        this.buildArgs = Util.fixEmptyAndTrim(buildArgs);
    }

    public String getLabels() {
        return labels;
    }

    @DataBoundSetter
    public void setLabels(String labels) {
        this.labels = Util.fixEmptyAndTrim(labels);
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
        this.secrets = secrets == null ? new ArrayList<>() : new ArrayList<>(secrets);
    }

    public List<BuildRegistry> getRegistries() {
        return registries == null ? new ArrayList<>() : registries;
    }

    @DataBoundSetter
    public void setRegistries(List<BuildRegistry> registries) {
        this.registries = registries == null ? new ArrayList<>() : new ArrayList<>(registries);
    }

    public List<BuildSshKey> getSshKeys() {
        return sshKeys;
    }

    @DataBoundSetter
    public void setSshKeys(List<BuildSshKey> sshKeys) {
        this.sshKeys = sshKeys == null ? new ArrayList<>() : new ArrayList<>(sshKeys);
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

    public String getCacheFrom() {
        return cacheFrom;
    }

    @DataBoundSetter
    public void setCacheFrom(String cacheFrom) {
        this.cacheFrom = Util.fixEmptyAndTrim(cacheFrom);
    }

    public String getAttestations() {
        return attestations;
    }

    public String getImages() {
        return images;
    }

    /** Images the tag rules tag, one per line. */
    @DataBoundSetter
    public void setImages(String images) {
        this.images = Util.fixEmptyAndTrim(images);
    }

    public String getTagRules() {
        return tagRules;
    }

    /** Tag rules in docker/metadata-action's syntax, one per line. */
    @DataBoundSetter
    public void setTagRules(String tagRules) {
        this.tagRules = Util.fixEmptyAndTrim(tagRules);
    }

    public String getFlavor() {
        return flavor;
    }

    /** metadata-action's flavor, one line per setting group. */
    @DataBoundSetter
    public void setFlavor(String flavor) {
        this.flavor = Util.fixEmptyAndTrim(flavor);
    }

    /** Attestations in buildx's syntax, one per line, e.g. {@code type=provenance,mode=max} (off by default). */
    @DataBoundSetter
    public void setAttestations(String attestations) {
        this.attestations = Util.fixEmptyAndTrim(attestations);
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

    public String getOutputs() {
        return outputs;
    }

    /** Outputs in buildx's syntax, one per line, e.g. {@code type=oci,dest=image.tar}. */
    @DataBoundSetter
    public void setOutputs(String outputs) {
        this.outputs = Util.fixEmptyAndTrim(outputs);
    }

    public String getCacheTo() {
        return cacheTo;
    }

    /** Cache exports in buildx's syntax, one per line, e.g. {@code type=inline}. */
    @DataBoundSetter
    public void setCacheTo(String cacheTo) {
        this.cacheTo = Util.fixEmptyAndTrim(cacheTo);
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

    public boolean isPush() {
        return push;
    }

    @DataBoundSetter
    public void setPush(boolean push) {
        this.push = push;
    }

    public String getNetwork() {
        return network;
    }

    @DataBoundSetter
    public void setNetwork(String network) {
        this.network = Util.fixEmptyAndTrim(network);
    }

    public String getExtraHosts() {
        return extraHosts;
    }

    @DataBoundSetter
    public void setExtraHosts(String extraHosts) {
        this.extraHosts = Util.fixEmptyAndTrim(extraHosts);
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

    @DataBoundSetter
    public void setTimeout(String timeout) {
        this.timeout = Util.fixEmptyAndTrim(timeout);
    }

    public String getFailIfCacheHitRateBelow() {
        return failIfCacheHitRateBelow;
    }

    @DataBoundSetter
    public void setFailIfCacheHitRateBelow(String failIfCacheHitRateBelow) {
        this.failIfCacheHitRateBelow = Util.fixEmptyAndTrim(failIfCacheHitRateBelow);
    }

    public String getUnstableIfCacheHitRateBelow() {
        return unstableIfCacheHitRateBelow;
    }

    @DataBoundSetter
    public void setUnstableIfCacheHitRateBelow(String unstableIfCacheHitRateBelow) {
        this.unstableIfCacheHitRateBelow = Util.fixEmptyAndTrim(unstableIfCacheHitRateBelow);
    }

    public String getFailIfSizeGrowthAbovePercent() {
        return failIfSizeGrowthAbovePercent;
    }

    @DataBoundSetter
    public void setFailIfSizeGrowthAbovePercent(String failIfSizeGrowthAbovePercent) {
        this.failIfSizeGrowthAbovePercent = Util.fixEmptyAndTrim(failIfSizeGrowthAbovePercent);
    }

    public String getUnstableIfSizeGrowthAbovePercent() {
        return unstableIfSizeGrowthAbovePercent;
    }

    @DataBoundSetter
    public void setUnstableIfSizeGrowthAbovePercent(String unstableIfSizeGrowthAbovePercent) {
        this.unstableIfSizeGrowthAbovePercent = Util.fixEmptyAndTrim(unstableIfSizeGrowthAbovePercent);
    }

    /** Describes the "Build container image" step. */
    @Extension
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Build container image";
        }

        @Override
        @SuppressWarnings("rawtypes")
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
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

        /** Checks the tags with the engine's rules (tags with variables are not checked here). */
        @POST
        public FormValidation doCheckTags(@AncestorInPath Item item, @QueryParameter String value) {
            CredentialsDropdowns.checkCanConfigure(item);
            List<String> items = FreestyleForm.lines(value);
            if (items.isEmpty()) {
                return FormValidation.warning("Without a tag the image is only known by its id");
            }
            if (items.stream().anyMatch(t -> t.contains("${"))) {
                return FormValidation.ok();
            }
            try {
                ImageReferenceCheck.tags(items);
                return FormValidation.ok();
            } catch (InvalidBuildContextException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        /** Checks the timeout with the engine's rules. */
        @POST
        public FormValidation doCheckTimeout(@AncestorInPath Item item, @QueryParameter String value) {
            CredentialsDropdowns.checkCanConfigure(item);
            if (value == null || value.isBlank()) {
                return FormValidation.ok();
            }
            try {
                GoDuration.parse("timeout", value.trim());
                return FormValidation.ok();
            } catch (InvalidBuildContextException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }
}
