package io.jenkins.plugins.containerbuild.credentials;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
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
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A registry login of a build, used to pull, push and for cache: a registry host and the Username with password
 * credential for it. In Pipeline: {@code registries: [[host: 'registry.example.com', credentialsId: 'registry']]}.
 */
public final class BuildRegistry extends AbstractDescribableImpl<BuildRegistry>
        implements BeanArguments.ArgumentSource {
    private final String host;
    private final String credentialsId;

    @DataBoundConstructor
    public BuildRegistry(String host, String credentialsId) {
        this.host = Util.fixEmptyAndTrim(host);
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    /** The registry host, as image references name it, e.g. {@code registry.example.com:5000}. */
    public String getHost() {
        return host;
    }

    /** The id of the Username with password credential for the host. */
    public String getCredentialsId() {
        return credentialsId;
    }

    /** {@code [host: ..., credentialsId: ...]}. */
    @Override
    public Map<String, Object> toArguments() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", host);
        m.put("credentialsId", credentialsId);
        return m;
    }

    /** Form support for {@link BuildRegistry}. */
    @Extension
    public static final class DescriptorImpl extends Descriptor<BuildRegistry> {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Registry login";
        }

        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return CredentialsDropdowns.fill(item, credentialsId, StandardUsernamePasswordCredentials.class);
        }

        @POST
        public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return CredentialsDropdowns.check(
                    item, value, "Username with password", StandardUsernamePasswordCredentials.class);
        }

        @POST
        public FormValidation doCheckHost(@AncestorInPath Item item, @QueryParameter String value) {
            CredentialsDropdowns.checkCanConfigure(item);
            if (Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.error("Give the registry host, e.g. registry.example.com or 127.0.0.1:5000");
            }
            return FormValidation.ok();
        }
    }
}
