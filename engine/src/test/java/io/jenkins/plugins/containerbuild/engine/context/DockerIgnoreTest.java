package io.jenkins.plugins.containerbuild.engine.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DockerIgnoreTest {

    /** Patterns are '|'-separated lines of a .dockerignore file. */
    static Stream<Arguments> table() {
        return Stream.of(
                // comments and blank lines
                row("# a", "# a", false),
                row("#a|a", "a", true),
                row("|  |\t|b", "a", false),
                row(" #a", "#a", true), // only a '#' in the first column starts a comment (as the CLI)
                // trimming, cleaning, leading slash
                row("  a  ", "a", true),
                row("/a", "a", true),
                row("//a//b/", "a/b", true),
                row("./a", "a", true),
                row("a/./b", "a/b", true),
                row("a/../b", "b", true),
                row("a/../b", "a/b", false),
                row("x/y/../../z", "z", true),
                // exact names and directory exclusion covering children
                row("a", "ab", false),
                row("a", "a/b/c", true),
                row("a/b", "a", false),
                row("a/b", "a/b/c/d", true),
                row("a/b/", "a/b/c", true),
                row("a/b/", "a/bc", false),
                // '*'
                row("*", "anything", true),
                row("*", "dir/file", true), // matches the parent 'dir'
                row("*.go", "main.go", true),
                row("*.go", "src/main.go", false),
                row("src/*.go", "src/main.go", true),
                row("src/*.go", "src/a/main.go", false),
                row("*/*.txt", "a/b.txt", true),
                row("a*", "abc/x", true),
                // '?'
                row("?", "a", true),
                row("?", "ab", false),
                row("a?c", "a/c", false),
                row("file?.txt", "file1.txt", true),
                // classes
                row("[a-c].txt", "b.txt", true),
                row("[a-c].txt", "d.txt", false),
                row("[^a-c].txt", "d.txt", true),
                row("[^a-c].txt", "a.txt", false),
                row("[xy]z", "yz", true),
                row("[\\]]", "]", true),
                // escapes
                row("\\*", "*", true),
                row("\\*", "a", false),
                row("a\\?b", "a?b", true),
                row("a\\?b", "axb", false),
                row("\\[a]", "[a]", true),
                // '**'
                row("**", "a/b/c", true),
                row("**/foo", "foo", true),
                row("**/foo", "x/y/foo", true),
                row("**/foo", "x/y/foo/z", true),
                row("**/foo", "x/yfoo", false),
                row("**/*.log", "a/b/c.log", true),
                row("a/**/b", "a/b", true),
                row("a/**/b", "a/x/y/b", true),
                row("a/**/b", "a/x/y/c", false),
                row("a/**", "a/x/y", true),
                row("a/**", "b/a/x", false),
                row("a**", "abc/d", true),
                // '!' exceptions and last-match-wins
                row("*.md|!README.md", "README.md", false),
                row("*.md|!README.md", "CHANGES.md", true),
                row("!README.md|*.md", "README.md", true),
                row("a|!a|a", "a", true),
                row("a|!a", "a/b", false),
                row("! README.md|*|!README.md", "README.md", false),
                row("!x", "x", false),
                // re-including inside an excluded directory
                row("docs|!docs/keep.txt", "docs/keep.txt", false),
                row("docs|!docs/keep.txt", "docs/other.txt", true),
                row("docs|!docs/keep.txt", "docs", true),
                row("docs|!docs/sub", "docs/sub/deep/file", false),
                row("**/node_modules|!**/node_modules/keep", "a/node_modules/keep", false),
                row("**/node_modules|!**/node_modules/keep", "a/node_modules/lose", true),
                row("*|!*/keep|*/keep/no", "a/keep/no/x", true),
                // the path argument is cleaned too
                row("a/b", "./a//b/", true),
                row("a", "/a/b", true));
    }

    private static Arguments row(String patterns, String path, boolean excluded) {
        return Arguments.of(patterns, path, excluded);
    }

    @ParameterizedTest(name = "[{0}] excludes {1}: {2}")
    @MethodSource("table")
    void excludesAsDockerDoes(String patterns, String path, boolean expected) {
        DockerIgnore ignore = DockerIgnore.parse(Arrays.asList(patterns.split("\\|", -1)));
        assertThat(ignore.excludes(path)).isEqualTo(expected);
    }

    @Test
    void tableIsLargeEnough() {
        assertThat(table().count()).isGreaterThanOrEqualTo(40);
    }

    @Test
    void patternsAreCleanedInOrderWithExceptionsKept() {
        DockerIgnore ignore = DockerIgnore.parse(
                List.of("\uFEFF# comment", "", "  ./build/ ", "!/a//b/../c", "! keep", "/", "**/*.tmp", "#x", "a\\*"));
        assertThat(ignore.patterns()).containsExactly("build", "!a/c", "!keep", "/", "**/*.tmp", "a\\*");
    }

    @Test
    void nothingIsExcludedByEmptyRulesOrFromTheRoot() {
        assertThat(DockerIgnore.parse(List.of()).excludes("a")).isFalse();
        assertThat(DockerIgnore.parse(List.of("*")).excludes(".")).isFalse();
        assertThat(DockerIgnore.parse(List.of("*")).excludes("")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"!", "[a", "[]", "[-a]", "a\\", "[z-a]", "[a\\"})
    void malformedPatternsAreRejected(String pattern) {
        assertThatThrownBy(() -> DockerIgnore.parse(List.of(pattern)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(pattern);
    }

    @Test
    void walkerDescendsOnlyWhereAnExceptionCouldReinclude() {
        DockerIgnore ignore = DockerIgnore.parse(List.of("*", "!src/keep/*.txt", "!**/KEEP"));
        assertThat(ignore.mayReincludeBelow("src")).isTrue();
        assertThat(ignore.mayReincludeBelow("src/keep")).isTrue();
        assertThat(ignore.mayReincludeBelow("other")).isTrue(); // '**/KEEP' could be anywhere
        DockerIgnore literal = DockerIgnore.parse(List.of("*", "!src/keep/*.txt"));
        assertThat(literal.mayReincludeBelow("src")).isTrue();
        assertThat(literal.mayReincludeBelow("srcx")).isFalse();
        assertThat(literal.mayReincludeBelow("src/other")).isFalse();
        assertThat(DockerIgnore.parse(List.of("*")).mayReincludeBelow("src")).isFalse();
    }

    @Test
    void keepingAddsALiteralLastException() {
        DockerIgnore ignore = DockerIgnore.parse(List.of("*", "!a*")).keeping("b[1]*");
        assertThat(ignore.excludes("b[1]*")).isFalse();
        assertThat(ignore.excludes("b1x")).isTrue();
        assertThat(ignore.excludes("abc")).isFalse();
    }

    @Test
    void loadReadsTheContextRootFile(@TempDir Path dir) throws IOException {
        assertThat(DockerIgnore.load(dir).patterns()).isEmpty();
        Files.writeString(dir.resolve(".dockerignore"), "# c\r\n*.log\r\n!keep.log\n");
        DockerIgnore ignore = DockerIgnore.load(dir);
        assertThat(ignore.patterns()).containsExactly("*.log", "!keep.log");
        assertThat(ignore.excludes("x.log")).isTrue();
        assertThat(ignore.excludes("keep.log")).isFalse();
    }

    @Test
    void loadRejectsAMalformedFileNamingIt(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(".dockerignore"), "ok\n[bad\n");
        assertThatThrownBy(() -> DockerIgnore.load(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(".dockerignore")
                .hasMessageContaining("[bad");
    }

    @Test
    void loadDoesNotFollowASymlink(@TempDir Path dir) throws IOException {
        Path outside = Files.writeString(dir.resolve("outside-rules"), "*\n");
        Path ctx = Files.createDirectory(dir.resolve("ctx"));
        Files.createSymbolicLink(ctx.resolve(".dockerignore"), outside);
        assertThatThrownBy(() -> DockerIgnore.load(ctx))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("symbolic link");
    }
}
