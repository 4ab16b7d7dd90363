package io.jenkins.plugins.containerbuild.freestyle;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
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
import io.jenkins.plugins.containerbuild.credentials.BuildSecret;
import io.jenkins.plugins.containerbuild.credentials.BuildSshKey;
import io.jenkins.plugins.containerbuild.credentials.CredentialsDropdowns;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.steps.BuildRequest;
import io.jenkins.plugins.containerbuild.steps.Backends;
import io.jenkins.plugins.containerbuild.validation.ImageReferenceCheck;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.tasks.SimpleBuildStep;
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
    private List<BuildSshKey> sshKeys = new ArrayList<>();
    private String registryCredentialsId;
    private String registryHost;
    private String cacheFrom;
    private boolean noCache;
    private boolean pull;
    private boolean push;
    private String network;
    private String backend;
    private String timeout;

    /** @param tags the image's tags, one per line */
    @DataBoundConstructor
    public ContainerImageBuilder(String tags) {
        this.tags = Util.fixEmptyAndTrim(tags);
    }

    @Override
    public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env,
            @NonNull Launcher launcher, @NonNull TaskListener listener) throws InterruptedException, IOException {
        new ContainerBuildRunner(run, workspace, env, listener).build(toArguments(env));
    }

    @Override
    public BuildStepMonitor getRequiredMonitorService() {
        return BuildStepMonitor.NONE;
    }

    /** This step's options as {@code containerBuild} arguments, with {@code env} expanded. */
    public Map<String, Object> toArguments(EnvVars env) {
        Map<String, Object> m = new LinkedHashMap<>();
        putString(m, "context", context, env);
        putString(m, "dockerfile", dockerfile, env);
        putList(m, "tags", tags, env);
        putList(m, "platforms", platforms, env);
        putPairs(m, "buildArgs", buildArgs, env);
        putPairs(m, "labels", labels, env);
        putString(m, "target", target, env);
        if (!secrets.isEmpty()) {
            List<Object> list = new ArrayList<>();
            secrets.forEach(s -> list.add(s.toArguments()));
            m.put("secrets", list);
        }
        if (!sshKeys.isEmpty()) {
            List<Object> list = new ArrayList<>();
            sshKeys.forEach(s -> list.add(s.toArguments()));
            m.put("sshKeys", list);
        }
        putString(m, "registryCredentialsId", registryCredentialsId, null);
        putString(m, "registryHost", registryHost, env);
        putList(m, "cacheFrom", cacheFrom, env);
        if (noCache) {
            m.put("noCache", true);
        }
        if (pull) {
            m.put("pull", true);
        }
        if (push) {
            m.put("push", true);
        }
        putString(m, "network", network, env);
        putString(m, "backend", backend, null);
        putString(m, "timeout", timeout, env);
        return m;
    }

    private static String expand(String s, EnvVars env) {
        return env == null ? s : env.expand(s);
    }

    private static void putString(Map<String, Object> m, String key, String value, EnvVars env) {
        if (value != null && !value.isBlank()) {
            m.put(key, expand(value.trim(), env));
        }
    }

    /** One item per line (commas also separate). */
    static List<String> lines(String value) {
        List<String> out = new ArrayList<>();
        if (value != null) {
            for (String part : value.split("[\\r\\n,]+")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    private static void putList(Map<String, Object> m, String key, String value, EnvVars env) {
        List<String> items = new ArrayList<>();
        for (String s : lines(value)) {
            items.add(expand(s, env));
        }
        if (!items.isEmpty()) {
            m.put(key, items);
        }
    }

    /** {@code KEY=VALUE} lines; a value may contain commas and further {@code =}. */
    private static void putPairs(Map<String, Object> m, String key, String value, EnvVars env) {
        if (value == null || value.isBlank()) {
            return;
        }
        Map<String, Object> pairs = new LinkedHashMap<>();
        for (String line : value.split("[\\r\\n]+")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            String k = (eq < 0 ? line : line.substring(0, eq)).trim();
            String v = eq < 0 ? "" : line.substring(eq + 1).trim();
            pairs.put(k, expand(v, env));
        }
        m.put(key, pairs);
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

        public ListBoxModel doFillRegistryCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String registryCredentialsId) {
            return CredentialsDropdowns.fill(item, registryCredentialsId, StandardUsernamePasswordCredentials.class);
        }

        @POST
        public FormValidation doCheckRegistryCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return CredentialsDropdowns.check(item, value, "Username with password",
                    StandardUsernamePasswordCredentials.class);
        }

        public ListBoxModel doFillBackendItems() {
            return Backends.items();
        }

        /** Checks the tags with the engine's rules (tags with variables are not checked here). */
        @POST
        public FormValidation doCheckTags(@AncestorInPath Item item, @QueryParameter String value) {
            CredentialsDropdowns.checkCanConfigure(item);
            List<String> items = lines(value);
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
                BuildRequest.fromArguments(Map.of("timeout", value.trim()));
                return FormValidation.ok();
            } catch (InvalidBuildContextException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }
}
