/**
 * Image tags and OCI labels computed from the state of the source, with docker/metadata-action's rules and
 * semantics ({@code type=ref|semver|match|edge|raw|sha}, flavor {@code latest}/{@code prefix}/{@code suffix}), from
 * the Jenkins environment or a local git repository. Needs no Jenkins type: the plugin and the CLI both call it.
 */
package io.jenkins.plugins.containerbuild.engine.meta;
