#!/usr/bin/env bash
# The benchmark harness: the engine against `DOCKER_BUILDKIT=1 docker build` on the same daemon, every scenario
# (S1-S7), 6 rounds each by default (at least 5; even, so each client goes first equally often); prints one `bench S<n> ...` line per scenario and regenerates
# docs/benchmarks.md. Options go to the harness: --rounds N, --only S1,S3, --scale tiny, --docker PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/docker image inspect local/busybox:latest >/dev/null 2>&1; then
  echo "no local/busybox:latest: setting up the machine (scripts/setup.sh, needs root)" >&2
  bash scripts/setup.sh
fi
# shellcheck disable=SC2086
mvn -B -q -ntp -Dstyle.color=never ${MVN_ARGS:-} -pl bench -am package -DskipTests
exec java -jar bench/target/container-build-bench.jar --doc docs/benchmarks.md "$@"
