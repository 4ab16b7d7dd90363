package io.jenkins.plugins.containerbuild.credentials;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import jenkins.model.Jenkins;

/**
 * The credentials drop-downs and checks of every form in this plugin. Credential ids are listed
 * only to users who may configure (or extended-read) the item; without an item (global context),
 * only to administrators. Everyone else gets back just the current value, so the form can be
 * saved unchanged without revealing what else exists.
 */
public final class CredentialsDropdowns {
    private CredentialsDropdowns() {
    }

    /** True when the current user may see which credentials exist in {@code item}'s context. */
    public static boolean canList(@CheckForNull Item item) {
        if (item == null) {
            return Jenkins.get().hasPermission(Jenkins.ADMINISTER);
        }
        return item.hasPermission(Item.CONFIGURE) || item.hasPermission(Item.EXTENDED_READ);
    }

    /** Checks that the current user may validate {@code item}'s configuration; throws AccessDeniedException otherwise. */
    public static void checkCanConfigure(@CheckForNull Item item) {
        if (item == null) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        } else {
            item.checkPermission(Item.CONFIGURE);
        }
    }

    /** The ids of the credentials of the given types visible in {@code item}'s context. */
    @SafeVarargs
    public static ListBoxModel fill(@CheckForNull Item item, @CheckForNull String current,
            Class<? extends StandardCredentials>... types) {
        StandardListBoxModel result = new StandardListBoxModel();
        String value = current == null ? "" : current;
        if (!canList(item)) {
            result.includeCurrentValue(value);
            return result;
        }
        result.includeEmptyValue();
        for (Class<? extends StandardCredentials> type : types) {
            if (item == null) {
                result.include(Jenkins.get(), type);
            } else {
                result.include(item, type);
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
    public static FormValidation check(@CheckForNull Item item, @CheckForNull String value, String expected,
            Class<? extends StandardCredentials>... types) {
        if (!canList(item) || value == null || value.isBlank()) {
            return FormValidation.ok();
        }
        if (value.startsWith("${")) {
            return FormValidation.warning("Cannot check a credentials id given by an expression");
        }
        ListBoxModel visible = fill(item, null, types);
        for (ListBoxModel.Option o : visible) {
            if (value.equals(o.value)) {
                return FormValidation.ok();
            }
        }
        return FormValidation.error("No " + expected + " credentials with id '" + value + "' are visible here");
    }
}
