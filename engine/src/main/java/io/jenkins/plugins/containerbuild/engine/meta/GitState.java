package io.jenkins.plugins.containerbuild.engine.meta;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the tag rules read of the source: which ref was built (a branch, a tag or a pull request), the commit, the
 * repository's default branch and address.
 *
 * @param branch        the branch built, e.g. {@code feature/x}; null for a tag or a pull request
 * @param tag           the git tag built, e.g. {@code v1.2.3}; null otherwise
 * @param pullRequest   the pull request's number, e.g. {@code 15}; null otherwise
 * @param baseRef       a pull request's target branch; null otherwise
 * @param sha           the full commit id; empty when unknown
 * @param defaultBranch the repository's default branch ({@code edge}'s and {@code is_default_branch}'s reference)
 * @param repository    the repository's address as given (e.g. {@code https://github.com/team/app.git}); null
 * @param buildUrl      the CI run's address; null
 */
public record GitState(
        String branch,
        String tag,
        String pullRequest,
        String baseRef,
        String sha,
        String defaultBranch,
        String repository,
        String buildUrl) {
    public GitState {
        branch = blankToNull(branch);
        tag = blankToNull(tag);
        pullRequest = blankToNull(pullRequest);
        baseRef = blankToNull(baseRef);
        sha = sha == null ? "" : sha.trim();
        defaultBranch = blankToNull(defaultBranch) == null ? "main" : defaultBranch.trim();
        repository = blankToNull(repository);
        buildUrl = blankToNull(buildUrl);
    }

    /**
     * The state a Jenkins build describes in its environment: a multibranch job's {@code TAG_NAME},
     * {@code CHANGE_ID}/{@code CHANGE_TARGET} and {@code BRANCH_NAME}, else the git plugin's {@code GIT_BRANCH}
     * ({@code origin/main} is the branch {@code main}); {@code GIT_COMMIT}, {@code GIT_URL}, {@code BUILD_URL}.
     *
     * @param defaultBranch the repository's default branch, which Jenkins does not say; null for {@code main}
     */
    public static GitState fromEnvironment(Map<String, String> env, String defaultBranch) {
        String tag = env.get("TAG_NAME");
        String pr = env.get("CHANGE_ID");
        String branch = null;
        if (blankToNull(tag) == null && blankToNull(pr) == null) {
            branch = blankToNull(env.get("BRANCH_NAME")) != null
                    ? env.get("BRANCH_NAME")
                    : localBranch(env.get("GIT_LOCAL_BRANCH"), env.get("GIT_BRANCH"));
        }
        return new GitState(
                branch,
                tag,
                pr,
                pr == null ? null : env.get("CHANGE_TARGET"),
                env.get("GIT_COMMIT"),
                defaultBranch,
                env.get("GIT_URL"),
                env.get("BUILD_URL"));
    }

    /**
     * The state of a local git repository's checkout (read with {@code git}): the branch checked out, else a tag
     * on the commit; the default branch from {@code origin/HEAD} when known.
     *
     * @throws IOException when {@code dir} is not a git checkout or git cannot be run
     */
    public static GitState fromRepository(Path dir, String defaultBranch) throws IOException {
        String sha = git(dir, "rev-parse", "HEAD");
        if (sha == null) {
            throw new IOException(dir + " is not a git checkout with a commit (git rev-parse HEAD failed)");
        }
        String branch = git(dir, "symbolic-ref", "-q", "--short", "HEAD");
        String tag = null;
        if (branch == null) {
            String tags = git(dir, "tag", "--points-at", "HEAD", "--sort=-creatordate");
            tag = tags == null || tags.isEmpty()
                    ? null
                    : tags.lines().findFirst().orElse(null);
        }
        String originHead = git(dir, "symbolic-ref", "-q", "--short", "refs/remotes/origin/HEAD");
        String def = defaultBranch != null
                ? defaultBranch
                : originHead != null && originHead.startsWith("origin/") ? originHead.substring(7) : null;
        return new GitState(branch, tag, null, null, sha, def, git(dir, "config", "--get", "remote.origin.url"), null);
    }

    /** The branch of the git plugin's variables: {@code origin/feature/x} is {@code feature/x}. */
    static String localBranch(String local, String remote) {
        if (blankToNull(local) != null) {
            return local.trim();
        }
        String b = blankToNull(remote);
        if (b == null) {
            return null;
        }
        for (String prefix : List.of("refs/heads/", "refs/remotes/origin/", "remotes/origin/", "origin/")) {
            if (b.startsWith(prefix)) {
                return b.substring(prefix.length());
            }
        }
        return b;
    }

    /** The repository's name: the last part of its address, without {@code .git}. */
    public String repositoryName() {
        if (repository == null) {
            return "";
        }
        String r = repository.endsWith("/") ? repository.substring(0, repository.length() - 1) : repository;
        r = r.endsWith(".git") ? r.substring(0, r.length() - 4) : r;
        int cut = Math.max(r.lastIndexOf('/'), r.lastIndexOf(':'));
        return r.substring(cut + 1);
    }

    /** The repository's web address: an ssh or git address as {@code https://host/path}, without {@code .git}. */
    public String repositoryWebUrl() {
        if (repository == null) {
            return "";
        }
        String r = repository.endsWith(".git") ? repository.substring(0, repository.length() - 4) : repository;
        if (r.startsWith("git@") && r.contains(":")) {
            r = "https://" + r.substring(4).replaceFirst(":", "/");
        } else if (r.startsWith("ssh://")) {
            r = "https://" + r.substring(6).replaceFirst("^[^@/]*@", "").replaceFirst(":\\d+/", "/");
        } else if (r.startsWith("git://")) {
            r = "https://" + r.substring(6);
        }
        // Credentials in an https address stay out of labels.
        return r.replaceFirst("^(https?://)[^@/]*@", "$1");
    }

    /** The first seven characters of the commit. */
    public String shortSha() {
        return sha.length() > 7 ? sha.substring(0, 7) : sha;
    }

    private static String git(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        try {
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            p.getErrorStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("git " + String.join(" ", args) + " did not finish in 30 s");
            }
            String text = new String(out, StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 && !text.isEmpty() ? text : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running git", e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
