package io.jenkins.plugins.containerbuild.credentials;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import jenkins.model.Jenkins;
import org.springframework.security.core.Authentication;

/**
 * The credentials drop-downs and checks of every form in this plugin, as the credentials plugin's
 * consumer guide describes them. Credential ids are listed only to users who may extended-read the
 * item (implied by configure) or use its credentials; without an item (global context), only to
 * administrators. Everyone else gets back just the current value, so the form can be saved
 * unchanged without revealing what else exists.
 *
 * <p>The list is what the build will find: credentials visible to the job's authentication
 * ({@link Tasks#getAuthenticationOf2}, {@link ACL#SYSTEM2} unless an authorization strategy for
 * builds is installed), the same lookup {@code CredentialsProvider.findCredentialById} makes at run time.
 */
public final class CredentialsDropdowns {
    private CredentialsDropdowns() {}

    /** True when the current user may see which credentials exist in {@code item}'s context. */
    public static boolean canList(@CheckForNull Item item) {
        if (item == null) {
            return Jenkins.get().hasPermission(Jenkins.ADMINISTER);
        }
        return item.hasPermission(Item.EXTENDED_READ) || item.hasPermission(CredentialsProvider.USE_ITEM);
    }

    /** Checks that the current user may validate {@code item}'s configuration; throws AccessDeniedException otherwise. */
    public static void checkCanConfigure(@CheckForNull Item item) {
        if (item == null) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        } else {
            item.checkPermission(Item.CONFIGURE);
        }
    }

    /** The authentication a build of {@code item} looks credentials up with. */
    static Authentication authenticationOf(Item item) {
        return item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2;
    }

    /** The ids of the credentials of the given types visible in {@code item}'s context. */
    @SafeVarargs
    public static ListBoxModel fill(
            @CheckForNull Item item, @CheckForNull String current, Class<? extends StandardCredentials>... types) {
        StandardListBoxModel result = new StandardListBoxModel();
        String value = current == null ? "" : current;
        if (!canList(item)) {
            result.includeCurrentValue(value);
            return result;
        }
        result.includeEmptyValue();
        for (Class<? extends StandardCredentials> type : types) {
            if (item == null) {
                result.includeAs(ACL.SYSTEM2, Jenkins.get(), type);
            } else {
                result.includeAs(authenticationOf(item), item, type);
            }
        }
        result.includeCurrentValue(value);
        return result;
    }

    /**
     * Checks that {@code value} names a credential of one of the given types. Answers nothing
     * (OK) to users who may not list credentials.
     */
    @SafeVarargs
    public static FormValidation check(
            @CheckForNull Item item,
            @CheckForNull String value,
            String expected,
            Class<? extends StandardCredentials>... types) {
        if (!canList(item) || value == null || value.isBlank()) {
            return FormValidation.ok();
        }
        if (value.startsWith("${")) {
            return FormValidation.warning("Cannot check a credentials id given by an expression");
        }
        ListBoxModel visible = fill(item, null, types);
        for (ListBoxModel.Option o : visible) {
            if (!o.value.isEmpty() && value.equals(o.value)) {
                return FormValidation.ok();
            }
        }
        return FormValidation.error("No " + expected + " credentials with id '" + value + "' are visible here");
    }
}
