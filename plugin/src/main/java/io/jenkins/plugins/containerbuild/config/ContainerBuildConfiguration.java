package io.jenkins.plugins.containerbuild.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.BulkChange;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.Util;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.containerbuild.credentials.BuildRegistry;
import io.jenkins.plugins.containerbuild.credentials.CredentialsDropdowns;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.steps.BuildDefaults;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.docker.commons.credentials.DockerServerCredentials;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * The defaults every container build of this Jenkins falls back to (Manage Jenkins » System, and JCasC under
 * {@code unclassified: containerBuild:}): the BuildKit builder and its client certificate, registry logins by host,
 * quality gates and the time limit. A step's or freestyle builder's own value wins; the merge is the engine's
 * {@link BuildDefaults}.
 */
@Extension
@Symbol("containerBuild")
public class ContainerBuildConfiguration extends GlobalConfiguration {
    private String builder;
    private String builderCredentialsId;
    private List<BuildRegistry> registries = new ArrayList<>();
    private String failIfCacheHitRateBelow;
    private String failIfSizeGrowthAbovePercent;
    private String unstableIfCacheHitRateBelow;
    private String unstableIfSizeGrowthAbovePercent;
    private String timeout;

    public ContainerBuildConfiguration() {
        load();
    }

    /** The configuration of this Jenkins. */
    public static ContainerBuildConfiguration get() {
        return ExtensionList.lookupSingleton(ContainerBuildConfiguration.class);
    }

    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        // The setters' saves wait for the whole form; an invalid form is neither saved nor left in force.
        Snapshot before = new Snapshot(this);
        try (BulkChange bc = new BulkChange(this)) {
            // A list emptied in the form is absent from its JSON: start from none, then bind what the form holds.
            registries = new ArrayList<>();
            req.bindJSON(this, json);
            defaults();
            bc.commit();
        } catch (InvalidBuildContextException e) {
            before.restore(this);
            throw new FormException(e.getMessage(), e.field());
        } catch (IOException e) {
            before.restore(this);
            throw new FormException("cannot save the Container Build configuration: " + e.getMessage(), e, "builder");
        }
        return true;
    }

    /** The values in force before a form is bound, to put back when the form is refused. */
    private record Snapshot(
            String builder,
            String builderCredentialsId,
            List<BuildRegistry> registries,
            String failIfCacheHitRateBelow,
            String failIfSizeGrowthAbovePercent,
            String unstableIfCacheHitRateBelow,
            String unstableIfSizeGrowthAbovePercent,
            String timeout) {
        Snapshot(ContainerBuildConfiguration c) {
            this(
                    c.builder,
                    c.builderCredentialsId,
                    new ArrayList<>(c.getRegistries()),
                    c.failIfCacheHitRateBelow,
                    c.failIfSizeGrowthAbovePercent,
                    c.unstableIfCacheHitRateBelow,
                    c.unstableIfSizeGrowthAbovePercent,
                    c.timeout);
        }

        void restore(ContainerBuildConfiguration c) {
            c.builder = builder;
            c.builderCredentialsId = builderCredentialsId;
            c.registries = new ArrayList<>(registries);
            c.failIfCacheHitRateBelow = failIfCacheHitRateBelow;
            c.failIfSizeGrowthAbovePercent = failIfSizeGrowthAbovePercent;
            c.unstableIfCacheHitRateBelow = unstableIfCacheHitRateBelow;
            c.unstableIfSizeGrowthAbovePercent = unstableIfSizeGrowthAbovePercent;
            c.timeout = timeout;
        }
    }

    /**
     * The defaults as the engine applies them.
     *
     * @throws InvalidBuildContextException when a value is not valid (a threshold that is no number, a host twice)
     */
    public BuildDefaults defaults() {
        Map<String, String> logins = new LinkedHashMap<>();
        Map<String, String> gates = new LinkedHashMap<>();
        for (BuildRegistry r : getRegistries()) {
            if (logins.containsKey(r.getHost())) {
                throw new InvalidBuildContextException(
                        "registries", "the host " + r.getHost() + " is listed twice; give each registry one login");
            }
            logins.put(r.getHost(), r.getCredentialsId());
        }
        putIfSet(gates, "failIfCacheHitRateBelow", failIfCacheHitRateBelow);
        putIfSet(gates, "failIfSizeGrowthAbovePercent", failIfSizeGrowthAbovePercent);
        putIfSet(gates, "unstableIfCacheHitRateBelow", unstableIfCacheHitRateBelow);
        putIfSet(gates, "unstableIfSizeGrowthAbovePercent", unstableIfSizeGrowthAbovePercent);
        return BuildDefaults.fromForm(builder, builderCredentialsId, logins, gates, timeout);
    }

    private static void putIfSet(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    public String getBuilder() {
        return builder;
    }

    @DataBoundSetter
    public void setBuilder(String builder) {
        this.builder = Util.fixEmptyAndTrim(builder);
        save();
    }

    public String getBuilderCredentialsId() {
        return builderCredentialsId;
    }

    @DataBoundSetter
    public void setBuilderCredentialsId(String builderCredentialsId) {
        this.builderCredentialsId = Util.fixEmptyAndTrim(builderCredentialsId);
        save();
    }

    public List<BuildRegistry> getRegistries() {
        return registries == null ? List.of() : registries;
    }

    @DataBoundSetter
    public void setRegistries(List<BuildRegistry> registries) {
        this.registries = registries == null ? new ArrayList<>() : new ArrayList<>(registries);
        save();
    }

    public String getFailIfCacheHitRateBelow() {
        return failIfCacheHitRateBelow;
    }

    @DataBoundSetter
    public void setFailIfCacheHitRateBelow(String value) {
        this.failIfCacheHitRateBelow = Util.fixEmptyAndTrim(value);
        save();
    }

    public String getFailIfSizeGrowthAbovePercent() {
        return failIfSizeGrowthAbovePercent;
    }

    @DataBoundSetter
    public void setFailIfSizeGrowthAbovePercent(String value) {
        this.failIfSizeGrowthAbovePercent = Util.fixEmptyAndTrim(value);
        save();
    }

    public String getUnstableIfCacheHitRateBelow() {
        return unstableIfCacheHitRateBelow;
    }

    @DataBoundSetter
    public void setUnstableIfCacheHitRateBelow(String value) {
        this.unstableIfCacheHitRateBelow = Util.fixEmptyAndTrim(value);
        save();
    }

    public String getUnstableIfSizeGrowthAbovePercent() {
        return unstableIfSizeGrowthAbovePercent;
    }

    @DataBoundSetter
    public void setUnstableIfSizeGrowthAbovePercent(String value) {
        this.unstableIfSizeGrowthAbovePercent = Util.fixEmptyAndTrim(value);
        save();
    }

    public String getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        this.timeout = Util.fixEmptyAndTrim(timeout);
        save();
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return "Container Build";
    }

    public ListBoxModel doFillBuilderCredentialsIdItems(@QueryParameter String builderCredentialsId) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return CredentialsDropdowns.fill(null, builderCredentialsId, DockerServerCredentials.class);
    }

    @POST
    public FormValidation doCheckTimeout(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return check(() -> BuildDefaults.fromForm(null, null, Map.of(), Map.of(), value));
    }

    @POST
    public FormValidation doCheckFailIfCacheHitRateBelow(@QueryParameter String value) {
        return checkGate("failIfCacheHitRateBelow", value);
    }

    @POST
    public FormValidation doCheckFailIfSizeGrowthAbovePercent(@QueryParameter String value) {
        return checkGate("failIfSizeGrowthAbovePercent", value);
    }

    @POST
    public FormValidation doCheckUnstableIfCacheHitRateBelow(@QueryParameter String value) {
        return checkGate("unstableIfCacheHitRateBelow", value);
    }

    @POST
    public FormValidation doCheckUnstableIfSizeGrowthAbovePercent(@QueryParameter String value) {
        return checkGate("unstableIfSizeGrowthAbovePercent", value);
    }

    private static FormValidation checkGate(String field, String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        Map<String, String> gate = new LinkedHashMap<>();
        putIfSet(gate, field, Util.fixEmptyAndTrim(value));
        return check(() -> BuildDefaults.fromForm(null, null, Map.of(), gate, null));
    }

    private static FormValidation check(Runnable parse) {
        try {
            parse.run();
            return FormValidation.ok();
        } catch (InvalidBuildContextException e) {
            return FormValidation.error(e.getMessage());
        }
    }
}
