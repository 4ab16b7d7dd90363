#!/usr/bin/env bash
# The benchmark harness: the engine against `DOCKER_BUILDKIT=1 docker build` on the same daemon, every scenario
# (S1-S7), 6 rounds each by default (even, so each client goes first equally often), on each test daemon in turn:
# dockerd 20.10 with its CLI 20.10, dockerd 26.1 with the overlay2 and with the containerd image store, each with
# the CLI 26.1 (buildx); then the test buildkitd (v0.13.2) against buildctl (S1-S4, S7). Prints one `bench S<n> ...`
# line per scenario and regenerates docs/benchmarks.md.
# Options go to the harness: --rounds N, --only S1,S3, --scale tiny.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/docker image inspect local/busybox:latest >/dev/null 2>&1; then
  echo "no local/busybox:latest: setting up the machine (scripts/setup.sh, needs root)" >&2
  bash scripts/setup.sh
fi
bash scripts/start-docker26.sh start >/dev/null
bash scripts/start-registry.sh start >/dev/null   # the buildkitd target's base image goes through it
bash scripts/start-buildkitd.sh start >/dev/null
state="${CONTAINER_BUILD_STATE_DIR:-/var/lib/container-build-dev}"
d26="${CONTAINER_BUILD_STATE_DIR:-/var/lib/container-build-dev}/docker26/prefix"
# shellcheck disable=SC2086
mvn -B -q -ntp -Dstyle.color=never ${MVN_ARGS:-} -pl bench -am package -DskipTests 2>&1 | sed -u $'s/\e\\[[0-9;]*m//g' >&2
exec java -jar bench/target/container-build-bench.jar --doc docs/benchmarks.md \
  --daemon "dockerd 20.10 (overlay2)=unix:///var/run/docker.sock,/usr/bin/docker" \
  --daemon "dockerd 26.1 (overlay2 image store)=$(bash scripts/start-docker26.sh host overlay2),$d26/usr/bin/docker,$d26/cli-config" \
  --daemon "dockerd 26.1 (containerd image store)=$(bash scripts/start-docker26.sh host containerd),$d26/usr/bin/docker,$d26/cli-config" \
  --buildkitd "buildkitd v0.13.2 (OCI worker)=$(bash scripts/start-buildkitd.sh host),$state/buildkitd/bin/buildctl" \
  "$@"
