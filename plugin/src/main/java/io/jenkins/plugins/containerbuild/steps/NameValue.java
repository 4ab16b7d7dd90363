package io.jenkins.plugins.containerbuild.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import io.jenkins.plugins.containerbuild.engine.steps.BeanArguments;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * One entry of a map option ({@code buildArgs}, {@code labels}, {@code extraHosts}, {@code filters}) as the Pipeline
 * syntax reference and the snippet generator show it: {@code [name: 'VERSION', value: '1']}. Scripts may keep
 * writing the map ({@code buildArgs: [VERSION: '1']}); the step reads both.
 */
public final class NameValue extends AbstractDescribableImpl<NameValue> implements BeanArguments.ArgumentSource {
    private final String name;
    private final String value;

    @DataBoundConstructor
    public NameValue(String name, String value) {
        this.name = name;
        this.value = value == null ? "" : value;
    }

    public String getName() {
        return name;
    }

    public String getValue() {
        return value;
    }

    /** {@code [name: ..., value: ...]}. */
    @Override
    public Map<String, Object> toArguments() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("value", value);
        return m;
    }

    /** Describes an entry. */
    @Extension
    public static final class DescriptorImpl extends Descriptor<NameValue> {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Name and value";
        }
    }
}
