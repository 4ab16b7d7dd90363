package io.jenkins.plugins.containerbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.containerbuild.engine.api.BuildOption;
import io.jenkins.plugins.containerbuild.engine.steps.FreestyleForm;
import io.jenkins.plugins.containerbuild.freestyle.ContainerImageBuilder;
import io.jenkins.plugins.containerbuild.steps.ContainerBuildStep;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The Pipeline step and the freestyle builder bind to the engine's option declarations: each declared option is a
 * data-bound property of the step, each form field one of the builder (the tags are the builder's constructor
 * argument), and the step's arguments are read through exactly those properties. No Jenkins instance is needed.
 */
class OptionBindingTest {
    private static List<String> missingSetters(Class<?> type, Iterable<String> keys) {
        List<String> missing = new ArrayList<>();
        for (String key : keys) {
            String setter = "set" + Character.toUpperCase(key.charAt(0)) + key.substring(1);
            boolean found = false;
            for (Method m : type.getMethods()) {
                found |= m.getName().equals(setter) && m.isAnnotationPresent(DataBoundSetter.class);
            }
            if (!found) {
                missing.add(key);
            }
        }
        return missing;
    }

    @Test
    void everyDeclaredOptionIsADataBoundPropertyOfTheStep() {
        assertEquals(List.of(), missingSetters(ContainerBuildStep.class, BuildOption.keys()));
    }

    @Test
    void everyFormFieldIsADataBoundPropertyOfTheBuilder() {
        List<String> fields = new ArrayList<>(FreestyleForm.FIELDS.keySet());
        fields.remove(BuildOption.TAGS.key());
        assertEquals(List.of(), missingSetters(ContainerImageBuilder.class, fields));
    }

    @Test
    void theStepGivesItsSetOptionsByTheirDeclaredNames() {
        ContainerBuildStep step = new ContainerBuildStep();
        step.setTags(List.of("app:1"));
        step.setNoCache(true);
        step.setTimeout(" 30m ");
        Map<String, Object> args = step.toArguments();
        assertEquals(Map.of("tags", List.of("app:1"), "noCache", true, "timeout", "30m"), args);
        assertTrue(BuildOption.keys().containsAll(args.keySet()));
    }
}
