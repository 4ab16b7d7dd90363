#!/usr/bin/env bash
# Makes the local base image local/busybox:latest from Debian's busybox-static (no registry pull).
source "$(dirname "$0")/lib.sh"

IMAGE=local/busybox:latest
if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  log "$IMAGE already present"
  exit 0
fi
command -v busybox >/dev/null || die "busybox-static is not installed: run scripts/install-packages.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/etc" "$root/tmp" "$root/root" "$root/proc" "$root/sys" "$root/dev"
chmod 1777 "$root/tmp"
cp "$(readlink -f "$(command -v busybox)")" "$root/bin/busybox"
# One hard link per applet, so /bin/sh, ls, cat, uname... exist.
for applet in $("$root/bin/busybox" --list); do
  [ "$applet" = busybox ] && continue
  ln -f "$root/bin/busybox" "$root/bin/$applet" 2>/dev/null || true
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"
tar -C "$root" -cf "$work/rootfs.tar" .
docker import --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' "$work/rootfs.tar" "$IMAGE" >/dev/null
log "imported $IMAGE"
