package io.jenkins.plugins.containerbuild.credentials;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.containerbuild.engine.steps.BeanArguments;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A build secret: the Dockerfile reads it with {@code RUN --mount=type=secret,id=<id>}; its value
 * comes from a Secret text or Secret file credential. In Pipeline:
 * {@code secrets: [[id: 'npmrc', credentialsId: 'npm-token']]}.
 */
public final class BuildSecret extends AbstractDescribableImpl<BuildSecret> implements BeanArguments.ArgumentSource {
    /** The credential types a build secret may come from. */
    static final String EXPECTED = "Secret text or Secret file";

    private final String id;
    private final String credentialsId;

    @DataBoundConstructor
    public BuildSecret(String id, String credentialsId) {
        this.id = Util.fixEmptyAndTrim(id);
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    /** The secret's id in the Dockerfile. */
    public String getId() {
        return id;
    }

    /** The id of the credential holding the value. */
    public String getCredentialsId() {
        return credentialsId;
    }

    /** {@code [id: ..., credentialsId: ...]}. */
    @Override
    public Map<String, Object> toArguments() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("credentialsId", credentialsId);
        return m;
    }

    /** Form support for {@link BuildSecret}. */
    @Extension
    public static final class DescriptorImpl extends Descriptor<BuildSecret> {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Build secret";
        }

        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return CredentialsDropdowns.fill(item, credentialsId, StringCredentials.class, FileCredentials.class);
        }

        @POST
        public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return CredentialsDropdowns.check(item, value, EXPECTED, StringCredentials.class, FileCredentials.class);
        }

        @POST
        public FormValidation doCheckId(@AncestorInPath Item item, @QueryParameter String value) {
            CredentialsDropdowns.checkCanConfigure(item);
            if (Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.error("Give the id the Dockerfile uses in RUN --mount=type=secret,id=...");
            }
            return FormValidation.ok();
        }
    }
}
