package io.jenkins.plugins.containerbuild.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.BuildOption;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code build} command's build options come from the engine's declarations, flags and help text alike. */
class BuildOptionBindingTest {
    @Test
    void everyDeclaredFlagIsAnOptionWithItsDeclaredHelp() {
        CommandLine cl = new CommandLine(new BuildCommand());
        StringWriter help = new StringWriter();
        cl.usage(new PrintWriter(help));
        for (BuildOption o : BuildOption.values()) {
            for (String name : o.cliNames()) {
                assertThat(cl.getCommandSpec().findOption(name)).as(name).isNotNull();
                assertThat(cl.getCommandSpec().findOption(name).description())
                        .as(name)
                        .containsExactly(o.help());
            }
            if (!o.cliNames().isEmpty()) {
                // picocli wraps long lines, also right after a comma: compare without white space.
                assertThat(help.toString().replaceAll("\\s+", ""))
                        .contains(o.help().replaceAll("\\s+", ""));
            }
        }
    }

    @Test
    void theBuildOptionsAreCheckedByTheSameRulesAsThePipelineStep() {
        BuildCommand cmd = new BuildCommand();
        new CommandLine(cmd).parseArgs("--network", "overlay", ".");
        org.assertj.core.api.Assertions.assertThatThrownBy(cmd::toContext)
                .hasMessage("network: 'overlay' is not supported for builds; use one of default, host, none");
    }
}
