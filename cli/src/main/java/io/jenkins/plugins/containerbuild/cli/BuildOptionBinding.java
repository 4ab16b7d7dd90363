package io.jenkins.plugins.containerbuild.cli;

import io.jenkins.plugins.containerbuild.engine.api.BuildOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Binds the {@code build} command to the engine's option declarations: one flag per {@link BuildOption} that has
 * command-line names, with its help text, added when picocli builds the command's model. Nothing here repeats an
 * option; a new {@link BuildOption} with flags appears on the command line by itself.
 */
final class BuildOptionBinding implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
        for (BuildOption o : BuildOption.values()) {
            if (o.cliNames().isEmpty()) {
                continue;
            }
            OptionSpec.Builder b =
                    OptionSpec.builder(o.cliNames().toArray(String[]::new)).description(o.help());
            switch (o.kind()) {
                case FLAG -> b.type(boolean.class).arity("0");
                case LIST, LINES, PAIRS, HOSTS, REFS ->
                    b.type(List.class).auxiliaryTypes(String.class).paramLabel(label(o));
                default -> b.type(String.class).paramLabel(label(o));
            }
            spec.addOption(b.build());
        }
        return spec;
    }

    private static String label(BuildOption o) {
        return switch (o.kind()) {
            case PAIRS -> "KEY=VALUE";
            case HOSTS -> "HOST:IP";
            case REFS -> "SPEC";
            default -> "<" + o.key() + ">";
        };
    }

    /**
     * The values given on the command line, by option key: strings, lists of strings, and {@code true} for flags
     * that were set. Options not given are left out.
     */
    static Map<BuildOption, Object> given(CommandSpec spec) {
        Map<BuildOption, Object> out = new LinkedHashMap<>();
        for (BuildOption o : BuildOption.values()) {
            if (o.cliNames().isEmpty()) {
                continue;
            }
            Object v =
                    spec.findOption(o.cliNames().get(o.cliNames().size() - 1)).getValue();
            if (v == null || Boolean.FALSE.equals(v) || (v instanceof List<?> l && l.isEmpty())) {
                continue;
            }
            out.put(o, v);
        }
        return out;
    }
}
