package io.jenkins.plugins.containerbuild.engine.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.context.ContextArchive;
import io.jenkins.plugins.containerbuild.engine.context.DockerIgnore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The {@code .dockerignore} matcher against the tar the engine sends, on generated trees: every file the matcher
 * keeps is in the tar, and no file it excludes is (the Dockerfile and {@code .dockerignore}, which the tar always
 * holds, aside). File names include glob characters and spaces on purpose.
 */
class DockerIgnoreDifferentialTest {
    private static final List<String> NAMES =
            List.of("a", "b", "c.txt", "d.log", ".hidden", "x y", "node_modules", "é", "[x]", "*star", "q?");

    @Provide
    Arbitrary<List<String>> trees() {
        return Arbitraries.of(NAMES)
                .list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .map(l -> String.join("/", l))
                .list()
                .ofMinSize(1)
                .ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<String>> ignoreFiles() {
        Arbitrary<String> part = Arbitraries.of(
                "a",
                "b",
                "*.txt",
                "*.log",
                ".hidden",
                "x y",
                "node_modules",
                "**",
                "*",
                "?",
                "[a-c]",
                "\\[x]",
                "\\*star",
                "é");
        Arbitrary<String> line = Combinators.combine(
                        Arbitraries.of("", "!", "/"), part.list().ofMinSize(1).ofMaxSize(3), Arbitraries.of("", "/"))
                .as((a, b, c) -> a + String.join("/", b) + c);
        return line.list().ofMaxSize(6);
    }

    @Property(tries = 2_000)
    void theTarHoldsExactlyWhatTheMatcherKeeps(
            @ForAll("trees") List<String> files, @ForAll("ignoreFiles") List<String> ignore) throws IOException {
        Path dir = Files.createTempDirectory("cb-fuzz-");
        try {
            Set<String> made = new TreeSet<>();
            for (String f : files) {
                Path p = dir.resolve(f);
                if (made.stream().anyMatch(m -> f.startsWith(m + "/") || m.startsWith(f + "/") || m.equals(f))) {
                    continue; // a file where a directory is wanted, or the other way round
                }
                Files.createDirectories(p.getParent());
                Files.writeString(p, f);
                made.add(f);
            }
            Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
            Files.write(dir.resolve(".dockerignore"), ignore);
            DockerIgnore matcher;
            try {
                matcher = DockerIgnore.parse(ignore);
            } catch (InvalidBuildContextException e) {
                return; // a malformed file: the build refuses it before anything is sent
            }
            ContextArchive tar =
                    ContextArchive.of(BuildContext.builder().contextDir(dir).build());
            Set<String> inTar = tar.entries().stream()
                    .filter(e -> e.type() == ContextArchive.Entry.Type.FILE)
                    .map(ContextArchive.Entry::name)
                    .filter(n -> !n.equals("Dockerfile") && !n.equals(".dockerignore"))
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> kept =
                    made.stream().filter(f -> !matcher.excludes(f)).collect(Collectors.toCollection(TreeSet::new));
            assertThat(inTar).as("ignore " + ignore + " on " + made).isEqualTo(kept);
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
