package io.jenkins.plugins.containerbuild.engine.context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The rules of a {@code .dockerignore} file, with the semantics of the docker CLI and moby's patternmatcher.
 *
 * <p>Each line is a pattern; lines starting with {@code #} are comments and blank lines are skipped. A
 * pattern is trimmed and cleaned like Go's {@code filepath.Clean} ({@code ./a} is {@code a}, {@code a//b} is
 * {@code a/b}, {@code a/../b} is {@code b}) and loses a leading {@code /}. {@code *} and {@code ?} do not
 * cross {@code /}; {@code **} spans any number of directories, including none; {@code [...]} is a character
 * class; {@code \} escapes. A pattern that matches a directory also matches everything below it. A pattern
 * starting with {@code !} is an exception that re-includes what it matches. The last matching pattern wins.
 */
public final class DockerIgnore {
    /** The file name the docker CLI reads the rules from, in the context root. */
    static final String FILE_NAME = ".dockerignore";

    private static final DockerIgnore EMPTY = new DockerIgnore(List.of());

    private final List<IgnorePattern> patterns;
    private final boolean hasExceptions;

    private DockerIgnore(List<IgnorePattern> patterns) {
        this.patterns = List.copyOf(patterns);
        this.hasExceptions = patterns.stream().anyMatch(IgnorePattern::isException);
    }

    /**
     * Parses the lines of a .dockerignore file.
     *
     * @param lines the file's lines, without line terminators
     * @return the rules
     * @throws IllegalArgumentException when a pattern is malformed (an unclosed {@code [}, a lone {@code !}, a
     *         trailing {@code \}); the docker CLI refuses such a file too
     */
    public static DockerIgnore parse(List<String> lines) {
        List<IgnorePattern> out = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = Objects.requireNonNull(lines.get(n), "line");
            if (n == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1); // the CLI drops a UTF-8 byte order mark
            }
            // The CLI tests for a comment before trimming: only a '#' in the first column starts one.
            if (line.startsWith("#")) {
                continue;
            }
            String pattern = GoPaths.trimSpace(line);
            if (pattern.isEmpty()) {
                continue;
            }
            out.add(IgnorePattern.compile(clean(pattern)));
        }
        return new DockerIgnore(out);
    }

    /**
     * Reads {@code .dockerignore} from the root of a context directory.
     *
     * @param contextDir the build context directory
     * @return the rules; rules that match nothing when the file does not exist
     * @throws IOException when the file cannot be read, is malformed, or is a symbolic link (it is not
     *         followed, so that nothing outside the context is read)
     */
    public static DockerIgnore load(Path contextDir) throws IOException {
        Path file = contextDir.resolve(FILE_NAME);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return EMPTY;
        }
        if (!attrs.isRegularFile()) {
            throw new IOException(file + " is not a regular file"
                    + (attrs.isSymbolicLink()
                            ? " but a symbolic link, which is not followed; make it a plain file"
                            : ""));
        }
        String text;
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(text.lines().toList());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Tells whether a path is left out of the build context.
     *
     * @param relativePath a '/'-separated path relative to the context root, of a file or a directory
     * @return true when the last pattern that matches the path, or one of its parent directories, is not an
     *         exception
     */
    public boolean excludes(String relativePath) {
        String path = GoPaths.clean(relativePath);
        if (path.startsWith("/")) {
            path = path.equals("/") ? "." : path.substring(1); // the context root, as for patterns
        }
        if (path.equals(".") || patterns.isEmpty()) {
            return false;
        }
        boolean[] state = null;
        int from = 0;
        // Match each ancestor in turn so that a pattern matching a parent directory counts.
        while (true) {
            int slash = path.indexOf('/', from);
            String prefix = slash < 0 ? path : path.substring(0, slash);
            state = matchState(prefix, state);
            if (slash < 0) {
                return excluded(state);
            }
            from = slash + 1;
        }
    }

    /**
     * The cleaned patterns in file order, exceptions keeping their leading {@code !}; the form the BuildKit
     * file sync takes as exclude patterns.
     */
    public List<String> patterns() {
        return patterns.stream().map(IgnorePattern::text).toList();
    }

    /**
     * For each pattern, whether it matches {@code path} or one of its ancestors, given the same answer for
     * the parent directory (null for a path in the root). Lets a tree walk test each pattern once per path.
     */
    boolean[] matchState(String path, boolean[] parentState) {
        boolean[] state = new boolean[patterns.size()];
        for (int i = 0; i < state.length; i++) {
            state[i] =
                    (parentState != null && parentState[i]) || patterns.get(i).matches(path);
        }
        return state;
    }

    /** Applies last-match-wins to a {@link #matchState}. */
    boolean excluded(boolean[] state) {
        boolean excluded = false;
        for (int i = 0; i < state.length; i++) {
            if (state[i]) {
                excluded = !patterns.get(i).isException();
            }
        }
        return excluded;
    }

    /**
     * True when an exception might re-include something inside the excluded directory {@code dir}, so a walk
     * has to descend into it rather than skip it whole.
     */
    boolean mayReincludeBelow(String dir) {
        if (!hasExceptions) {
            return false;
        }
        for (IgnorePattern p : patterns) {
            if (p.isException() && p.mayMatchBelow(dir)) {
                return true;
            }
        }
        return false;
    }

    /**
     * These rules plus a last exception for exactly {@code relativePath}, which then is always included; the
     * docker CLI keeps the Dockerfile and .dockerignore this way.
     */
    DockerIgnore keeping(String relativePath) {
        StringBuilder literal = new StringBuilder("!");
        relativePath.codePoints().forEach(c -> {
            if (c == '*' || c == '?' || c == '[' || c == '\\') {
                literal.append('\\');
            }
            literal.appendCodePoint(c);
        });
        List<IgnorePattern> more = new ArrayList<>(patterns);
        more.add(IgnorePattern.compile(literal.toString()));
        return new DockerIgnore(more);
    }

    // As the CLI's ignorefile.ReadAll: clean what follows the '!', drop one leading '/', put the '!' back.
    private static String clean(String pattern) {
        boolean exception = pattern.charAt(0) == '!';
        String body = exception ? GoPaths.trimSpace(pattern.substring(1)) : pattern;
        if (!body.isEmpty()) {
            body = GoPaths.clean(body);
            if (body.length() > 1 && body.charAt(0) == '/') {
                body = body.substring(1);
            }
        }
        return exception ? "!" + body : body;
    }

    @Override
    public String toString() {
        return "DockerIgnore" + patterns();
    }
}
