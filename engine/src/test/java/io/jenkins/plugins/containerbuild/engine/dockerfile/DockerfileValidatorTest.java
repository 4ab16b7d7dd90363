package io.jenkins.plugins.containerbuild.engine.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.DockerfileProblem;
import io.jenkins.plugins.containerbuild.engine.api.DockerfileProblem.Severity;
import io.jenkins.plugins.containerbuild.engine.dockerfile.DockerfileCases.Case;
import io.jenkins.plugins.containerbuild.engine.dockerfile.DockerfileCases.Expected;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DockerfileValidatorTest {

    static Stream<Case> cases() {
        return DockerfileCases.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsExactlyTheExpectedProblems(Case c) {
        assertProblems(c, Frontend.DOCKERD_20_10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsExactlyTheExpectedProblemsForBuildKitV013(Case c) {
        assertProblems(c, DockerfileCases.BUILDKIT_V0_13);
    }

    @Test
    void theDefaultFrontendIsDockerd2010s() {
        String heredoc = "FROM local/busybox:latest\nRUN <<EOF\ntrue\nEOF\n";
        assertThat(DockerfileValidator.validate(heredoc, null)).anyMatch(DockerfileProblem::isError);
        assertThat(DockerfileValidator.validate(heredoc, null, DockerfileCases.BUILDKIT_V0_13))
                .isEmpty();
    }

    private static void assertProblems(Case c, Frontend frontend) {
        List<DockerfileProblem> problems = DockerfileValidator.validate(c.dockerfile(), c.target(), frontend);
        List<Expected> expectedProblems = c.expectedFor(frontend);

        assertThat(problems)
                .as("problems of %s for %s: %s", c.name(), frontend, problems)
                .hasSameSizeAs(expectedProblems);
        for (int i = 0; i < problems.size(); i++) {
            DockerfileProblem actual = problems.get(i);
            Expected expected = expectedProblems.get(i);
            assertThat(actual.severity()).as("severity of %s", actual).isEqualTo(expected.severity());
            assertThat(actual.line()).as("line of %s", actual).isEqualTo(expected.line());
            assertThat(actual.column()).as("column of %s", actual).isEqualTo(expected.column());
            assertThat(actual.message()).as("message of %s", actual).contains(expected.words());
        }
    }

    @Test
    void tableCoversBothOutcomesAndEnoughDockerfiles() {
        List<Case> all = DockerfileCases.all();
        assertThat(all).hasSizeGreaterThanOrEqualTo(30);
        assertThat(all).filteredOn(Case::accepted).hasSizeGreaterThanOrEqualTo(10);
        assertThat(all).filteredOn(c -> !c.accepted()).hasSizeGreaterThanOrEqualTo(15);
        assertThat(all).extracting(Case::name).doesNotHaveDuplicates();
    }

    @Test
    void stageNamesInOrderSkippingUnnamedStages() {
        String dockerfile = """
                ARG V=1
                FROM local/busybox:latest AS Build
                RUN true
                FROM scratch
                FROM local/busybox:latest \\
                # comment in a continuation
                  as test
                COPY --from=Build /a /a
                FROM build AS release
                """;
        assertThat(DockerfileModel.stageNames(dockerfile)).containsExactly("Build", "test", "release");
        assertThat(DockerfileValidator.stageNames(dockerfile)).containsExactly("Build", "test", "release");
    }

    @Test
    void modelKeepsInstructionsFlagsAndPositions() {
        DockerfileModel model = DockerfileModel.parse("""
                # escape=`
                ARG BASE=local/busybox:latest
                FROM --platform=linux/amd64 ${BASE} AS one
                RUN --mount=type=cache,target=/c `
                    --mount="type=tmpfs,target=/t" echo `
                    hi
                """);
        assertThat(model.escape()).isEqualTo('`');
        assertThat(model.beforeFirstFrom()).extracting(Instruction::keyword).containsExactly("ARG");
        Stage stage = model.stages().get(0);
        assertThat(stage.name()).isEqualTo("one");
        assertThat(stage.baseImage()).isEqualTo("${BASE}");
        assertThat(stage.from().flag("platform").value()).isEqualTo("linux/amd64");
        Instruction run = stage.instructions().get(0);
        assertThat(run.line()).isEqualTo(4);
        assertThat(run.endLine()).isEqualTo(6);
        assertThat(run.flags()).extracting(Flag::value).containsExactly("type=cache,target=/c", "type=tmpfs,target=/t");
        assertThat(run.flags()).extracting(Flag::line).containsExactly(4, 5);
        assertThat(run.flags()).extracting(Flag::column).containsExactly(5, 5);
        assertThat(run.arguments()).isEqualTo("echo     hi");
    }

    @Test
    void validatesAFileOnDisk(@TempDir Path dir) throws IOException {
        Path dockerfile = dir.resolve("Dockerfile");
        Files.writeString(dockerfile, "FROM local/busybox:latest\nCOPY a\n");

        List<DockerfileProblem> problems = DockerfileValidator.validate(dockerfile, null);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.severity()).isEqualTo(Severity.ERROR);
            assertThat(p.line()).isEqualTo(2);
        });
    }

    @Test
    void crlfLineEndingsAndByteOrderMarkAreAccepted() {
        assertThat(DockerfileValidator.validate("\uFEFFFROM local/busybox:latest\r\nRUN echo a \\\r\n  b\r\n", null))
                .isEmpty();
    }

    @Test
    void blankTargetMeansTheLastStage() {
        assertThat(DockerfileValidator.validate("FROM local/busybox:latest AS a\n", " "))
                .isEmpty();
    }

    @Test
    void problemRejectsNegativePositions() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new DockerfileProblem(Severity.ERROR, -1, 1, "x"));
    }
}
