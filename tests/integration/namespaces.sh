#!/bin/sh
# A "container": a process in new PID and mount namespaces and its own
# cgroup, named the way the systemd docker driver names one.  vigild must
# report namespace values different from the host's and the container id
# parsed from the cgroup name.
set -u
. "$(dirname "$0")/common.inc"

EV="$T/events.json"
CID=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
CG="$T/cgroup2"

# Our own cgroup2 mount: the test does not rely on how the machine mounted it.
mkdir -p "$CG"
if ! mount -t cgroup2 none "$CG"; then
	not_ok "mount cgroup2" "mount -t cgroup2 failed"
	finish
	exit 1
fi
SCOPE="$CG/docker-$CID.scope"
mkdir "$SCOPE"

start_vigild --export-filename "$EV" || { umount "$CG"; finish; exit 1; }
/bin/true vigil-host-marker
/bin/sh -c 'echo $$ > '"$SCOPE"'/cgroup.procs && exec unshare -m -p -f /bin/true vigil-container-marker'
stop_vigild

H='map(select(.process_exec.process.arguments == "vigil-host-marker"))[0].process_exec.process'
C='map(select(.process_exec.process.arguments == "vigil-container-marker"))[0].process_exec.process'
check "the containerised exec is reported" "$C != null" "$EV"
check "its pid namespace differs from the host's" "($C.ns.pid.inum) != ($H.ns.pid.inum) and ($C.ns.pid.is_host != true)" "$EV"
check "its mnt namespace differs from the host's" "($C.ns.mnt.inum) != ($H.ns.mnt.inum) and ($C.ns.mnt.is_host != true)" "$EV"
check "its net namespace is the host's" "($C.ns.net.inum) == ($H.ns.net.inum) and $C.ns.net.is_host == true" "$EV"
check "the container id is parsed from its cgroup" "$C.docker == \"$CID\"" "$EV"
check "a host process has no container id" "$H | has(\"docker\") | not" "$EV"

# Leave nothing behind: the cgroup empties once its processes have exited.
rmdir "$SCOPE" 2>/dev/null || { sleep 1; rmdir "$SCOPE"; }
umount "$CG"
finish
