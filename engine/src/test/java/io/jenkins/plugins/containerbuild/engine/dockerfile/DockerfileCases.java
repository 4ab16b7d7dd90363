package io.jenkins.plugins.containerbuild.engine.dockerfile;

import static io.jenkins.plugins.containerbuild.engine.api.DockerfileProblem.Severity.ERROR;
import static io.jenkins.plugins.containerbuild.engine.api.DockerfileProblem.Severity.WARNING;

import io.jenkins.plugins.containerbuild.engine.api.DockerfileProblem.Severity;
import java.util.List;

/**
 * The table of Dockerfiles shared by {@link DockerfileValidatorTest} (exact problems) and
 * {@link DockerfileValidatorDaemonTest} (the real daemon agrees). Every Dockerfile uses only
 * {@code local/busybox:latest} or {@code scratch}. The build context holds the files {@code a}
 * and {@code dir/b}.
 */
final class DockerfileCases {
    /** One expected problem: severity, 1-based line and column, words its message must contain. */
    record Expected(Severity severity, int line, int column, List<String> words) {}

    /** The frontend built into dockerd 26.1 (BuildKit v0.13), the newer one the tests run against. */
    static final Frontend BUILDKIT_V0_13 = new Frontend("dockerd 26.1.5 (BuildKit v0.13)", 13);

    /**
     * @param buildable false when the daemon must not get this Dockerfile: it needs a registry or
     *                  the network, or it would crash dockerd 20.10 (a Dockerfile without FROM)
     * @param expected  the problems for dockerd 20.10's frontend (BuildKit v0.8)
     * @param modern    the problems for BuildKit v0.13's frontend, when they differ (else null)
     */
    record Case(
            String name,
            String dockerfile,
            String target,
            boolean buildable,
            List<Expected> expected,
            List<Expected> modern) {
        Case(String name, String dockerfile, String target, boolean buildable, List<Expected> expected) {
            this(name, dockerfile, target, buildable, expected, null);
        }

        boolean accepted() {
            return expected.stream().noneMatch(e -> e.severity() == ERROR);
        }

        /** The problems expected for a frontend of BuildKit v0.8 up to v0.12, or v0.13. */
        List<Expected> expectedFor(Frontend frontend) {
            return frontend.buildKitMinor() >= 13 && modern != null ? modern : expected;
        }

        /** This case with other problems expected on BuildKit v0.13's frontend. */
        Case onV013(Expected... problems) {
            return new Case(name, dockerfile, target, buildable, expected, List.of(problems));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private DockerfileCases() {}

    private static Expected e(Severity severity, int line, int column, String... words) {
        return new Expected(severity, line, column, List.of(words));
    }

    private static Case ok(String name, String dockerfile, Expected... expected) {
        return new Case(name, dockerfile, null, true, List.of(expected));
    }

    private static Case target(String name, String target, String dockerfile, Expected... expected) {
        return new Case(name, dockerfile, target, true, List.of(expected));
    }

    private static Case offline(String name, String dockerfile, Expected... expected) {
        return new Case(name, dockerfile, null, false, List.of(expected));
    }

    static List<Case> all() {
        return List.of(
                // ---- accepted, no problems ----
                ok("minimal", """
                        FROM local/busybox:latest
                        RUN true
                        """),
                ok("multi-stage with every instruction", """
                        ARG BASE=local/busybox:latest
                        ARG TAG
                        FROM ${BASE} AS build
                        WORKDIR /src
                        COPY --chown=1000:1000 --chmod=644 a dir/ ./
                        RUN echo built > /out.txt
                        FROM --platform=$BUILDPLATFORM local/busybox:latest
                        LABEL org.opencontainers.image.title="demo app" version=1
                        LABEL legacy some value
                        ENV APP_HOME=/app PATH=/app/bin:$PATH
                        ENV LEGACY value with spaces
                        COPY --from=build /out.txt /app/
                        COPY --from=0 /src/a /app/a
                        COPY ["a", "/app/a2"]
                        COPY -- a /app/a3
                        ADD --chown=1 a /app/a4
                        EXPOSE 80 53/udp 8000-8010/tcp 0 65535/SCTP
                        VOLUME ["/data"]
                        VOLUME /cache /tmp/x
                        USER 1000:1000
                        HEALTHCHECK --interval=30s --timeout=1m30s --start-period=500ms --retries=3 CMD ["true"]
                        STOPSIGNAL SIGTERM
                        SHELL ["/bin/sh", "-c"]
                        ONBUILD RUN echo child
                        ENTRYPOINT ["/bin/sh", "-c"]
                        CMD ["echo", "hello"]
                        """),
                ok("backtick escape directive", """
                        # escape=`
                        FROM local/busybox:latest
                        RUN echo C:\\path `
                            && echo done
                        """),
                ok("continuations with comments and empty lines", """
                        # a comment before the first instruction
                        FROM local/busybox:latest

                        RUN echo one \\
                        # a comment inside the continuation
                            two \\

                            three
                          run true
                        CMD
                        """),
                ok("RUN --mount of every type", """
                        FROM local/busybox:latest AS src
                        RUN mkdir -p /files && echo x > /files/x
                        FROM local/busybox:latest
                        RUN --mount=type=cache,target=/cache,id=c1,sharing=locked,mode=0755,uid=0,gid=0 \\
                            --mount=type=tmpfs,target=/tmp/t \\
                            --mount=type=bind,from=src,source=/files,target=/mnt,ro \\
                            --mount=type=secret,id=token \\
                            --mount=TYPE=ssh \\
                            ["sh", "-c", "cat /mnt/x"]
                        """),
                ok("heredoc-looking RUN without a body", """
                        FROM local/busybox:latest
                        RUN cat /dev/null <<EOF
                        RUN true
                        """)
                        .onV013(e(ERROR, 2, 1, "unterminated heredoc <<EOF", "only EOF")),
                ok(
                                "two heredocs and a tab-stripped one",
                                """
                        FROM local/busybox:latest
                        COPY <<A <<B /files/
                        a
                        A
                        b
                        B
                        RUN <<-EOF
                        \techo indented > /indented
                        \tEOF
                        """,
                                e(ERROR, 2, 1, "heredoc (<<A)", "not supported"),
                                // v0.8 reads the second body as instructions
                                e(ERROR, 5, 1, "unknown instruction b"),
                                e(ERROR, 6, 1, "unknown instruction B"),
                                e(ERROR, 7, 1, "heredoc (<<EOF)", "not supported"))
                        .onV013(),
                // ---- accepted with warnings ----
                ok("duplicate stage names", """
                        FROM local/busybox:latest AS base
                        FROM local/busybox:latest AS Base
                        RUN true
                        """, e(WARNING, 2, 30, "'Base'", "already used", "line 1", "unique")),
                ok(
                        "COPY --from a stage defined later",
                        """
                        FROM local/busybox:latest AS first
                        COPY --from=later /bin/sh /x
                        FROM local/busybox:latest AS later
                        """,
                        e(WARNING, 2, 6, "--from=later", "defined later", "line 3", "move")),
                ok("variable in FROM without ARG", """
                        FROM local/busybox$SUFFIX
                        RUN true
                        """, e(WARNING, 1, 6, "$SUFFIX", "ARG SUFFIX")),
                ok(
                        "secret-looking ARG and ENV names",
                        """
                        ARG API_TOKEN
                        FROM local/busybox:latest
                        ARG db_password=x
                        ENV A=1 SSH_KEY=none
                        ENV PUBLIC_SECRET_NAME value
                        """,
                        e(WARNING, 1, 5, "API_TOKEN", "secret", "--mount=type=secret"),
                        e(WARNING, 3, 5, "db_password", "secret"),
                        e(WARNING, 4, 9, "SSH_KEY", "secret"),
                        e(WARNING, 5, 5, "PUBLIC_SECRET_NAME", "secret")),
                ok(
                        "exec form that is not JSON",
                        """
                        FROM local/busybox:latest
                        RUN [ -d /bin ]
                        CMD ['echo', 'hi']
                        """,
                        e(WARNING, 2, 1, "RUN", "not a valid JSON", "shell"),
                        e(WARNING, 3, 1, "CMD", "not a valid JSON", "double quotes")),
                ok(
                        "bad values in a stage the build skips",
                        """
                        FROM scratch AS unused
                        EXPOSE abc
                        RUN --mount=type=cache true
                        FROM local/busybox:latest
                        RUN true
                        """,
                        e(WARNING, 2, 8, "abc", "port", "not part of the build"),
                        e(WARNING, 3, 5, "target", "not part of the build")),
                target(
                        "target chooses the stage (case-insensitive)",
                        "Fine",
                        """
                        FROM local/busybox:latest AS fine
                        RUN true
                        FROM local/busybox:latest AS broken
                        EXPOSE 99999
                        """,
                        e(WARNING, 4, 8, "99999", "not part of the build")),
                ok(
                        "flags ARG ignores and unknown ONBUILD trigger",
                        """
                        FROM local/busybox:latest
                        ARG --x=1 A
                        ONBUILD FOO bar
                        """,
                        e(WARNING, 2, 5, "ignores", "--x"),
                        e(WARNING, 3, 9, "FOO", "ONBUILD", "spelling")),
                // ---- accepted, but the daemon needs a registry or network: not built ----
                offline(
                        "syntax directive",
                        """
                        # syntax=docker/dockerfile:1
                        FROM local/busybox:latest
                        """,
                        e(WARNING, 1, 1, "syntax", "pull", "every Dockerfile frontend agrees on")),
                offline(
                        "ADD of a URL and COPY --from an image",
                        """
                        FROM local/busybox:latest
                        ADD https://example.com/tool.tgz /tmp/
                        COPY --from=alpine:3 /bin/sh /x
                        """,
                        e(WARNING, 2, 1, "ADD", "URL", "sha256"),
                        e(WARNING, 3, 6, "--from=alpine:3", "no earlier stage", "pulled")),
                // ---- refused ----
                offline("empty file", "# only a comment\n\n", e(ERROR, 0, 0, "no instructions", "FROM")),
                offline("only ARG, no FROM", "ARG VERSION=1\n", e(ERROR, 0, 0, "no FROM", "add FROM")),
                offline("FROM without image", "FROM\n", e(ERROR, 1, 1, "FROM needs a base image")),
                ok("RUN before FROM", """
                        RUN true
                        FROM local/busybox:latest
                        """, e(ERROR, 1, 1, "RUN", "before the first FROM", "only ARG")),
                ok("unknown instruction", """
                        FROM local/busybox:latest
                          RUNN true
                        """, e(ERROR, 2, 3, "unknown instruction RUNN", "spelling")),
                ok("unknown flag", """
                        FROM local/busybox:latest
                        COPY --chown=1 \\
                             --foo=bar a /a
                        """, e(ERROR, 3, 6, "unknown flag --foo", "--chmod, --chown, --from")),
                ok(
                        "flag without value and duplicate flag",
                        """
                        FROM local/busybox:latest
                        COPY --from a /a
                        COPY --chown=1 --chown=2 a /a
                        """,
                        e(ERROR, 2, 6, "--from", "needs a value"),
                        e(ERROR, 3, 16, "--chown", "more than once")),
                ok("COPY with one argument", """
                        FROM local/busybox:latest
                        COPY a
                        """, e(ERROR, 2, 1, "COPY", "source and a destination")),
                ok("FROM with a bad stage clause", """
                        FROM local/busybox:latest AS a extra
                        """, e(ERROR, 1, 1, "FROM <image> [AS <name>]")),
                ok("invalid stage name", """
                        FROM local/busybox:latest AS 1st
                        """, e(ERROR, 1, 30, "invalid stage name '1st'", "start with a letter")),
                ok(
                        "EXPOSE empty and bad ports",
                        """
                        FROM local/busybox:latest
                        EXPOSE
                        EXPOSE 80 99999 abc 90-80 53/xyz
                        """,
                        e(ERROR, 2, 1, "EXPOSE needs at least one port"),
                        e(ERROR, 3, 11, "99999", "0 to 65535"),
                        e(ERROR, 3, 17, "'abc'"),
                        e(ERROR, 3, 21, "'90-80'"),
                        e(ERROR, 3, 27, "protocol 'xyz'", "tcp, udp or sctp")),
                ok(
                        "ENV and LABEL without values",
                        """
                        FROM local/busybox:latest
                        ENV NAME
                        LABEL a=b c
                        """,
                        e(ERROR, 2, 1, "ENV NAME has no value", "NAME=<value>"),
                        e(ERROR, 3, 11, "'c' is not a name=value pair")),
                ok(
                        "empty single-argument instructions",
                        """
                        FROM local/busybox:latest
                        WORKDIR
                        USER
                        VOLUME
                        ARG
                        """,
                        e(ERROR, 2, 1, "WORKDIR needs exactly one argument"),
                        e(ERROR, 3, 1, "USER needs exactly one argument"),
                        e(ERROR, 4, 1, "VOLUME needs at least one path"),
                        e(ERROR, 5, 1, "ARG needs a name")),
                ok(
                        "HEALTHCHECK bad durations and retries",
                        """
                        FROM local/busybox:latest
                        HEALTHCHECK --interval=abc --timeout=5 --start-period=0s --retries=0 CMD true
                        """,
                        e(ERROR, 2, 13, "--interval=abc", "not a duration", "30s"),
                        e(ERROR, 2, 28, "--timeout=5", "not a duration"),
                        e(ERROR, 2, 40, "--start-period=0s", "at least 1ms"),
                        e(ERROR, 2, 58, "--retries", "at least 1")),
                ok(
                                "HEALTHCHECK bad usage",
                                """
                        FROM local/busybox:latest
                        HEALTHCHECK curl -f http://localhost/
                        HEALTHCHECK NONE now
                        HEALTHCHECK CMD
                        HEALTHCHECK --start-interval=1s CMD true
                        """,
                                e(ERROR, 2, 13, "unknown HEALTHCHECK type 'curl'", "CMD <command>"),
                                e(ERROR, 3, 1, "NONE takes no arguments"),
                                e(ERROR, 4, 1, "CMD needs a command"),
                                e(
                                        ERROR,
                                        5,
                                        13,
                                        "--start-interval",
                                        "not supported",
                                        "BuildKit v0.8",
                                        "Docker Engine 25.0"))
                        .onV013(
                                e(ERROR, 2, 13, "unknown HEALTHCHECK type 'curl'", "CMD <command>"),
                                e(ERROR, 3, 1, "NONE takes no arguments"),
                                e(ERROR, 4, 1, "CMD needs a command")),
                ok(
                                "bad --mount type and keys",
                                """
                        FROM local/busybox:latest
                        RUN --mount=type=volume,target=/v true
                        RUN --mount=type=tmpfs,target=/t,size=1m true
                        RUN --mount=type=cache,target=/c,sharing=all true
                        RUN --mount=type=bind,target=/b,required true
                        RUN --mount=type=secret true
                        RUN --mount=type=cache true
                        """,
                                e(
                                        ERROR,
                                        2,
                                        5,
                                        "unsupported --mount type 'volume'",
                                        "bind, cache, tmpfs, secret or ssh"),
                                e(ERROR, 3, 5, "--mount key 'size'", "not supported", "dockerd 20.10 (BuildKit v0.8)"),
                                e(ERROR, 4, 5, "sharing 'all'", "shared, private or locked"),
                                e(ERROR, 5, 5, "'required'", "type=secret"),
                                e(ERROR, 6, 5, "secret --mount needs id"),
                                e(ERROR, 7, 5, "needs a target"))
                        .onV013(
                                e(
                                        ERROR,
                                        2,
                                        5,
                                        "unsupported --mount type 'volume'",
                                        "bind, cache, tmpfs, secret or ssh"),
                                e(ERROR, 4, 5, "sharing 'all'", "shared, private or locked"),
                                e(ERROR, 5, 5, "'required'", "type=secret"),
                                e(ERROR, 6, 5, "secret --mount needs id"),
                                e(ERROR, 7, 5, "needs a target")),
                ok(
                        "instructions ONBUILD refuses",
                        """
                        FROM local/busybox:latest
                        ONBUILD ONBUILD RUN true
                        ONBUILD FROM local/busybox:latest
                        onbuild maintainer me
                        ONBUILD
                        """,
                        e(ERROR, 2, 9, "ONBUILD ONBUILD is not allowed"),
                        e(ERROR, 3, 9, "FROM is not allowed after ONBUILD"),
                        e(ERROR, 4, 9, "MAINTAINER is not allowed after ONBUILD"),
                        e(ERROR, 5, 1, "ONBUILD needs an instruction")),
                target(
                        "target that names no stage",
                        "release",
                        """
                        FROM local/busybox:latest AS build
                        FROM local/busybox:latest AS test
                        """,
                        e(ERROR, 0, 0, "target 'release' names no stage", "build, test")),
                ok(
                                "heredoc",
                                """
                        FROM local/busybox:latest
                        RUN <<EOF
                        echo hello > /greeting
                        EOF
                        CMD ["cat", "/greeting"]
                        """,
                                e(
                                        ERROR,
                                        2,
                                        1,
                                        "heredoc (<<EOF)",
                                        "not supported",
                                        "dockerd 20.10",
                                        "&&",
                                        "Docker Engine 23.0"))
                        .onV013(),
                ok(
                                "flags of newer frontends",
                                """
                        FROM local/busybox:latest
                        COPY --link a /a
                        ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d a /b
                        RUN --network=none true
                        RUN --security=insecure true
                        """,
                                e(ERROR, 2, 6, "COPY --link", "not supported", "BuildKit v0.8"),
                                e(ERROR, 3, 5, "ADD --checksum", "sha256sum"),
                                e(ERROR, 4, 5, "RUN --network", "not supported"),
                                e(ERROR, 5, 5, "RUN --security", "not supported"))
                        .onV013(
                                e(ERROR, 3, 1, "ADD --checksum", "not an http(s) URL"),
                                e(ERROR, 5, 5, "RUN --security", "not supported", "BuildKit v0.13")),
                ok(
                        "newer features every frontend here refuses",
                        """
                        FROM local/busybox:latest
                        COPY --exclude=dir a /a
                        COPY --parents a /p/
                        RUN --mount=type=secret,id=s,env=S true
                        """,
                        e(ERROR, 2, 6, "COPY --exclude", "not supported", ".dockerignore"),
                        e(ERROR, 3, 6, "COPY --parents", "not supported"),
                        e(ERROR, 4, 5, "--mount key 'env'", "not supported", "as a file")),
                ok(
                                "newer features of the BuildKit v0.13 frontend",
                                """
                        FROM local/busybox:latest
                        COPY --link a /a
                        ADD --link --chmod=600 a /b
                        RUN --network=none --mount=type=tmpfs,target=/t,size=1m true
                        COPY <<EOF /hello.txt
                        hello
                        EOF
                        HEALTHCHECK --start-interval=1s CMD true
                        """,
                                e(ERROR, 2, 6, "COPY --link", "not supported"),
                                e(ERROR, 3, 5, "ADD --link", "not supported"),
                                e(ERROR, 4, 5, "RUN --network", "not supported"),
                                e(ERROR, 4, 20, "--mount key 'size'", "not supported"),
                                e(ERROR, 5, 1, "heredoc (<<EOF)", "not supported"),
                                e(ERROR, 8, 13, "--start-interval", "not supported"))
                        .onV013(),
                ok(
                        "JSON arrays of non-strings and SHELL in shell form",
                        """
                        FROM local/busybox:latest
                        CMD ["sleep", 10]
                        SHELL /bin/sh -c
                        """,
                        e(ERROR, 2, 1, "only strings", "[\"sleep\", \"10\"]"),
                        e(ERROR, 3, 1, "SHELL requires the JSON form")),
                ok("bad escape directive", """
                        # escape=x
                        FROM local/busybox:latest
                        """, e(ERROR, 1, 1, "invalid escape character 'x'", "# escape=`")),
                ok(
                        "flag on an instruction without flags",
                        """
                        FROM local/busybox:latest
                        WORKDIR --mode=0755 /app
                        """,
                        e(ERROR, 2, 9, "unknown flag --mode for WORKDIR", "takes no flags")));
    }
}
