package io.jenkins.plugins.containerbuild.engine.meta;

import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;

/**
 * docker/metadata-action's tag rules, applied to a {@link GitState}: rules run by priority (highest first, ties in
 * the order given); each that applies to the state and is enabled makes one tag, with its own prefix and suffix or
 * else the flavor's; tags are made safe ({@code feature/x} → {@code feature-x}); the first is the version; the flavor
 * decides {@code latest}. Every image gets every tag.
 */
public final class MetadataRules {
    private static final DateTimeFormatter CREATED =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final List<String> images;
    private final List<TagRule> rules;
    private final Flavor flavor;

    /**
     * @param images images to tag, e.g. {@code registry.example.com/team/app} (lower-cased); empty for bare tags
     * @param rules  the rules, in the order given
     * @param flavor latest, prefix, suffix
     */
    public MetadataRules(List<String> images, List<TagRule> rules, Flavor flavor) {
        this.images =
                images.stream().map(i -> i.trim().toLowerCase(Locale.ROOT)).toList();
        this.rules = List.copyOf(rules);
        this.flavor = flavor == null ? Flavor.DEFAULT : flavor;
    }

    /**
     * Reads the rules and flavor as the step and the CLI take them.
     *
     * @throws InvalidBuildContextException naming {@code tagRules[i]}, {@code flavor} or {@code images}
     */
    public static MetadataRules parse(List<String> images, List<String> tagRules, List<String> flavor) {
        List<TagRule> rules = new ArrayList<>();
        for (int i = 0; i < tagRules.size(); i++) {
            if (tagRules.get(i).isBlank() || tagRules.get(i).trim().startsWith("#")) {
                continue;
            }
            rules.add(TagRule.parse(tagRules.size() == 1 ? "tagRules" : "tagRules[" + i + "]", tagRules.get(i)));
        }
        if (rules.isEmpty()) {
            throw new InvalidBuildContextException(
                    "tagRules",
                    "give at least one rule, e.g. type=ref,event=branch or type=semver,pattern={{version}}");
        }
        for (String image : images) {
            if (image.isBlank() || image.contains(":") && image.lastIndexOf(':') > image.lastIndexOf('/')) {
                throw new InvalidBuildContextException(
                        "images",
                        "'" + image + "' is not an image name without a tag, e.g. registry.example.com/team/app");
            }
        }
        return new MetadataRules(images, rules, Flavor.parse(flavor == null ? List.of() : flavor));
    }

    /** The tags and labels for {@code git} at {@code now} (the {@code created} label and {@code {{date}}}). */
    public ImageMetadata compute(GitState git, Instant now) {
        Expressions globals = new Expressions(globals(git), now, "tagRules");
        List<TagRule> ordered = new ArrayList<>(rules);
        ordered.sort(Comparator.comparingInt(TagRule::priority).reversed());
        List<String> values = new ArrayList<>();
        Boolean latest = null;
        for (TagRule rule : ordered) {
            if (!enabled(rule, globals)) {
                continue;
            }
            Optional<Made> made = make(rule, git, globals);
            if (made.isEmpty()) {
                continue;
            }
            String prefix = rule.attrs().containsKey("prefix")
                    ? globals.render(rule.attrs().get("prefix"))
                    : made.get().defaultPrefix() != null ? made.get().defaultPrefix() : globals.render(flavor.prefix());
            String suffix = rule.attrs().containsKey("suffix")
                    ? globals.render(rule.attrs().get("suffix"))
                    : globals.render(flavor.suffix());
            String value = sanitize(prefix + made.get().value() + suffix);
            if (value.isEmpty()) {
                continue;
            }
            if (latest == null) {
                latest = switch (flavor.latest()) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> made.get().release();
                };
            }
            values.add(value);
        }
        List<String> tags = new ArrayList<>(new LinkedHashSet<>(values));
        if (Boolean.TRUE.equals(latest)) {
            String l = sanitize((flavor.prefixOnLatest() ? globals.render(flavor.prefix()) : "") + "latest"
                    + (flavor.suffixOnLatest() ? globals.render(flavor.suffix()) : ""));
            if (!tags.contains(l)) {
                tags.add(l);
            }
        }
        List<String> refs = new ArrayList<>();
        if (images.isEmpty()) {
            refs.addAll(tags);
        } else {
            images.forEach(image -> tags.forEach(t -> refs.add(image + ":" + t)));
        }
        String version = values.isEmpty() ? "" : values.get(0);
        Map<String, String> labels = new TreeMap<>();
        labels.put("org.opencontainers.image.created", CREATED.format(now));
        labels.put("org.opencontainers.image.revision", git.sha());
        labels.put("org.opencontainers.image.source", git.repositoryWebUrl());
        labels.put("org.opencontainers.image.title", git.repositoryName());
        labels.put("org.opencontainers.image.url", git.repositoryWebUrl());
        labels.put("org.opencontainers.image.version", version);
        return new ImageMetadata(refs, labels, version);
    }

    /** A tag a rule made: its value before prefix and suffix, whether it is a release, its type's own prefix. */
    private record Made(String value, boolean release, String defaultPrefix) {}

    private Optional<Made> make(TagRule rule, GitState git, Expressions globals) {
        return switch (rule.type()) {
            case REF ->
                switch (rule.attr("event", "")) {
                    case "branch" -> Optional.ofNullable(git.branch()).map(b -> new Made(b, false, null));
                    case "tag" -> Optional.ofNullable(git.tag()).map(t -> new Made(t, true, null));
                    default -> Optional.ofNullable(git.pullRequest()).map(pr -> new Made(pr, false, "pr-"));
                };
            case EDGE ->
                git.branch() != null && git.branch().equals(rule.attr("branch", git.defaultBranch()))
                        ? Optional.of(new Made("edge", false, null))
                        : Optional.empty();
            case RAW -> Optional.of(new Made(globals.render(rule.attr("value", "")), false, null));
            case SHA ->
                git.sha().isEmpty()
                        ? Optional.empty()
                        : Optional.of(new Made(
                                rule.attr("format", "short").equals("long") ? git.sha() : git.shortSha(),
                                false,
                                "sha-"));
            case SEMVER -> versionInput(rule, git, globals).flatMap(in -> semver(rule, in));
            case MATCH -> versionInput(rule, git, globals).flatMap(in -> match(rule, in));
        };
    }

    /** What semver and match read: their {@code value}, else the git tag built; nothing on other refs. */
    private static Optional<String> versionInput(TagRule rule, GitState git, Expressions globals) {
        String value = globals.render(rule.attr("value", ""));
        if (!value.isEmpty()) {
            return Optional.of(value);
        }
        return Optional.ofNullable(git.tag());
    }

    private static Optional<Made> semver(TagRule rule, String input) {
        String in = input;
        if (rule.attrs().containsKey("match")) {
            Matcher m = TagRule.regex("tagRules", rule.attr("match", ""), rule.attr("match", ""))
                    .matcher(in);
            if (m.find()) {
                in = m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : m.group();
            }
        }
        Optional<SemVer> parsed = SemVer.parse(in.replace('/', '-'));
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        SemVer v = parsed.get();
        String pattern = rule.attr("pattern", "");
        if (v.isPreRelease()) {
            // A pre-release only ever makes its full version (or, for a {{raw}} pattern, the raw text).
            boolean raw = pattern.trim().matches("\\{\\{\\s*raw\\s*}}");
            return Optional.of(new Made(raw ? v.raw() : v.version(), false, null));
        }
        return Optional.of(
                new Made(new Expressions(v.values(), Instant.EPOCH, "tagRules").render(pattern), true, null));
    }

    private static Optional<Made> match(TagRule rule, String input) {
        Matcher m = TagRule.regex("tagRules", rule.attr("pattern", ""), rule.attr("pattern", ""))
                .matcher(input);
        if (!m.find()) {
            return Optional.empty();
        }
        int group = Integer.parseInt(rule.attr("group", "0"));
        if (group > m.groupCount() || m.group(group) == null) {
            return Optional.empty();
        }
        return Optional.of(new Made(m.group(group), true, null));
    }

    private static boolean enabled(TagRule rule, Expressions globals) {
        String enable = globals.render(rule.attr("enable", "true")).trim();
        if (!enable.equals("true") && !enable.equals("false")) {
            throw new InvalidBuildContextException(
                    "tagRules", "enable=" + rule.attr("enable", "") + " is '" + enable + "', not true or false");
        }
        return enable.equals("true");
    }

    private static Map<String, String> globals(GitState git) {
        Map<String, String> v = new HashMap<>();
        v.put("branch", git.branch() == null ? "" : git.branch());
        v.put("tag", git.tag() == null ? "" : git.tag());
        v.put("sha", git.shortSha());
        v.put("base_ref", git.baseRef() == null ? "" : git.baseRef());
        boolean isDefault = git.branch() != null && git.branch().equals(git.defaultBranch());
        v.put("is_default_branch", String.valueOf(isDefault));
        v.put("is_not_default_branch", String.valueOf(!isDefault));
        return v;
    }

    /** What a tag may hold: runs of anything but letters, digits, {@code .}, {@code _} and {@code -} become one {@code -}. */
    static String sanitize(String value) {
        return value.replaceAll("[^a-zA-Z0-9._-]+", "-");
    }
}
