package io.jenkins.plugins.containerbuild.engine.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.ByteSize;
import io.jenkins.plugins.containerbuild.engine.api.GoDuration;
import io.jenkins.plugins.containerbuild.engine.api.ImageReference;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.api.Platform;
import io.jenkins.plugins.containerbuild.engine.context.DockerIgnore;
import io.jenkins.plugins.containerbuild.engine.dockerfile.DockerfileValidator;
import io.jenkins.plugins.containerbuild.engine.dockerfile.Frontend;
import io.jenkins.plugins.containerbuild.engine.meta.GitState;
import io.jenkins.plugins.containerbuild.engine.meta.MetadataRules;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Generated input to every parser the engine exposes to users (10,000 inputs each): the Dockerfile parser and
 * validator, the {@code .dockerignore} parser and matcher, image references, platforms, build arguments and labels,
 * sizes, durations and the metadata tag rules. The only exception allowed is our validation error, which names an
 * option; no input takes more than a second (a regular expression that backtracks without end would).
 */
class GeneratedInputTest {
    private static final Duration LIMIT = Duration.ofSeconds(1);
    private static final Path CONTEXT = Path.of(System.getProperty("java.io.tmpdir"));

    /** Runs {@code parse}; an {@link InvalidBuildContextException} must name a field and say something. */
    private static void onlyOurErrors(Runnable parse) {
        assertTimeoutPreemptively(LIMIT, () -> {
            try {
                parse.run();
            } catch (InvalidBuildContextException e) {
                assertThat(e.field()).isNotBlank();
                assertThat(e.getMessage())
                        .startsWith(e.field() + ": ")
                        .hasSizeGreaterThan(e.field().length() + 3);
            }
        });
    }

    @Provide
    Arbitrary<String> dockerfiles() {
        Arbitrary<String> piece = Arbitraries.of(
                "FROM ",
                "scratch",
                "busybox:1",
                " AS ",
                "base",
                "--platform=$BUILDPLATFORM ",
                "RUN ",
                "COPY ",
                "ADD ",
                "ARG ",
                "ENV ",
                "LABEL ",
                "WORKDIR ",
                "USER ",
                "CMD ",
                "ENTRYPOINT ",
                "EXPOSE ",
                "VOLUME ",
                "SHELL ",
                "HEALTHCHECK ",
                "ONBUILD ",
                "STOPSIGNAL ",
                "MAINTAINER ",
                "--mount=type=secret,id=x ",
                "--mount=type=ssh ",
                "--mount=type=cache,target=/c ",
                "--chown=1:1 ",
                "--chmod=755 ",
                "--link ",
                "--from=base ",
                "--network=none ",
                "<<EOF",
                "<<-'EOT'",
                "EOF",
                "EOT",
                "\\",
                "\\\n",
                "\n",
                "\r\n",
                " ",
                "\t",
                "#",
                "# syntax=docker/dockerfile:1",
                "# escape=`",
                "`",
                "\"",
                "'",
                "[",
                "]",
                "[\"sh\", \"-c\"]",
                "$",
                "${",
                "}",
                "${A:-b}",
                "=",
                ",",
                "/",
                ".",
                "..",
                "*",
                "?",
                "a",
                "Z",
                "1",
                "é",
                "\u0000",
                "--",
                "-",
                "0123456789");
        return piece.list().ofMaxSize(60).map(l -> String.join("", l));
    }

    @Property(tries = 10_000)
    void theDockerfileParserAndValidatorTakeAnyText(@ForAll("dockerfiles") String dockerfile) {
        onlyOurErrors(() -> {
            DockerfileValidator.validate(dockerfile, null, Frontend.DOCKERD_20_10);
            DockerfileValidator.validate(dockerfile, "base");
            DockerfileValidator.stageNames(dockerfile);
        });
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of(
                        "a",
                        "b",
                        "c.txt",
                        "d.log",
                        ".hidden",
                        "x y",
                        "**",
                        "*",
                        "?",
                        "[a-c]",
                        "[!a]",
                        "\\*",
                        "",
                        ".",
                        "..",
                        "node_modules",
                        "é")
                .list()
                .ofMinSize(1)
                .ofMaxSize(5)
                .map(l -> String.join("/", l));
    }

    @Provide
    Arbitrary<List<String>> ignoreFiles() {
        Arbitrary<String> line = Combinators.combine(
                        Arbitraries.of("", "!", "/", "#", " ", "\\"), paths(), Arbitraries.of("", "/", " ", "*", "/**"))
                .as((a, b, c) -> a + b + c);
        return line.list().ofMaxSize(8);
    }

    @Property(tries = 10_000)
    void theDockerIgnoreParserAndMatcherTakeAnyPatternsAndPaths(
            @ForAll("ignoreFiles") List<String> lines, @ForAll("paths") String path) {
        onlyOurErrors(() -> {
            DockerIgnore ignore = DockerIgnore.parse(lines);
            ignore.excludes(path.replace("\\", ""));
            ignore.patterns();
        });
    }

    @Provide
    Arbitrary<String> words() {
        return Arbitraries.strings()
                .withChars("abcXYZ019._-/:@+=,;!*? \t\n\\\"'$%[]{}é")
                .withCharRange('\u0000', '\u007f')
                .ofMaxLength(300);
    }

    @Property(tries = 10_000)
    void referencesPlatformsSizesAndDurations(@ForAll("words") String text) {
        onlyOurErrors(() -> ImageReference.parse("tags", text));
        onlyOurErrors(() -> Platform.parse("platforms", text));
        onlyOurErrors(() -> ByteSize.parse("shmSize", text));
        onlyOurErrors(() -> GoDuration.parse("timeout", text));
        onlyOurErrors(() -> GoDuration.nanos(text));
    }

    @Property(tries = 10_000)
    void buildArgumentsAndLabels(@ForAll("words") String key, @ForAll("words") String value) {
        onlyOurErrors(() -> BuildContext.builder()
                .contextDir(CONTEXT)
                .buildArgs(Map.of(key, value))
                .labels(Map.of(key, value))
                .build());
    }

    @Provide
    Arbitrary<String> tagRules() {
        Arbitrary<String> field = Arbitraries.of(
                "type=ref",
                "type=semver",
                "type=match",
                "type=edge",
                "type=raw",
                "type=sha",
                "type=schedule",
                "event=branch",
                "event=tag",
                "event=pr",
                "event=push",
                "pattern={{version}}",
                "pattern={{major}}.{{minor}}",
                "pattern={{raw}}",
                "pattern=v(\\d+)",
                "pattern=(",
                "\"pattern=a,b\"",
                "group=1",
                "group=x",
                "value=v1.2.3",
                "value={{branch}}",
                "value={{date 'YYYYMMDD' tz='Nowhere/X'}}",
                "prefix=p-",
                "suffix=-s",
                "enable={{is_default_branch}}",
                "enable=maybe",
                "priority=5",
                "priority=x",
                "format=long",
                "format=x",
                "branch=main",
                "latest",
                "",
                "=",
                "\"",
                "a=b=c");
        return field.list().ofMaxSize(6).map(l -> String.join(",", l));
    }

    @Property(tries = 10_000)
    void theMetadataTagRules(
            @ForAll("tagRules") String rule, @ForAll("tagRules") String other, @ForAll("words") String ref) {
        GitState git = new GitState(
                ref.isBlank() ? null : ref,
                ref.startsWith("v") ? ref : null,
                null,
                null,
                "0123456789abcdef",
                "main",
                "https://example.com/team/app.git",
                null);
        onlyOurErrors(() -> MetadataRules.parse(
                        List.of("registry.example.com/team/app"), List.of(rule, other), List.of("latest=auto"))
                .compute(git, Instant.EPOCH));
    }
}
