package io.jenkins.plugins.containerbuild.credentials;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
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
 * An SSH key forwarded to the build: the Dockerfile uses it with {@code RUN --mount=type=ssh,id=<id>};
 * the key (and its passphrase) comes from an "SSH Username with private key" credential. In
 * Pipeline: {@code sshKeys: [[id: 'github', credentialsId: 'deploy-key']]}.
 */
public final class BuildSshKey extends AbstractDescribableImpl<BuildSshKey> implements BeanArguments.ArgumentSource {
    /** The credential type an SSH key comes from. */
    static final String EXPECTED = "SSH Username with private key";

    private final String id;
    private final String credentialsId;

    @DataBoundConstructor
    public BuildSshKey(String id, String credentialsId) {
        this.id = Util.fixEmptyAndTrim(id);
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    /** The key's id in the Dockerfile ({@code default} when the Dockerfile names none). */
    public String getId() {
        return id;
    }

    /** The id of the credential holding the key. */
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

    /** Form support for {@link BuildSshKey}. */
    @Extension
    public static final class DescriptorImpl extends Descriptor<BuildSshKey> {
        @NonNull
        @Override
        public String getDisplayName() {
            return "SSH key";
        }

        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return CredentialsDropdowns.fill(item, credentialsId, SSHUserPrivateKey.class);
        }

        @POST
        public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return CredentialsDropdowns.check(item, value, EXPECTED, SSHUserPrivateKey.class);
        }

        @POST
        public FormValidation doCheckId(@AncestorInPath Item item, @QueryParameter String value) {
            CredentialsDropdowns.checkCanConfigure(item);
            if (Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.error(
                        "Give the id the Dockerfile uses in RUN --mount=type=ssh,id=... (e.g. default)");
            }
            return FormValidation.ok();
        }
    }
}
