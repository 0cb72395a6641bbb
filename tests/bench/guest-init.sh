#!/bin/sh
# /vigil/bench/guest-init.sh - PID 1 of the benchmark VM (tests/bench/vm.sh boots the VM
# suite's initramfs plus a bench overlay with rdinit=/vigil/bench/guest-init.sh).
#
# Mounts what vigild needs (the same as tests/vm/init.sh), runs /vigil/bench/guest-bench.sh
# with its output on the console, prints VIGIL-BENCH-DONE rc=<status> and powers off.
# No `set -e`: PID 1 must always reach the poweroff.
set -u

export PATH=/vigil/bin:/bin:/sbin:/usr/bin:/usr/sbin
export HOME=/root
umask 022

mnt() { # mnt TYPE DIR [OPTIONS]
	mkdir -p "$2"
	mount -t "$1" ${3:+-o "$3"} "$1" "$2" 2>/dev/null ||
		echo "bench-init: warning: mount -t $1 $2 failed"
}

mkdir -p /proc /sys /dev /tmp /run /root
mount -t devtmpfs devtmpfs /dev 2>/dev/null || mount -t tmpfs -o mode=0755 tmpfs /dev
exec </dev/console >/dev/console 2>&1
mount -t tmpfs -o mode=1777 tmpfs /tmp
mnt proc /proc
mnt sysfs /sys
mnt securityfs /sys/kernel/security
mnt bpf /sys/fs/bpf mode=0700
mnt tracefs /sys/kernel/tracing
mnt cgroup2 /sys/fs/cgroup
mount -t tmpfs -o mode=0755 tmpfs /run
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up 2>/dev/null ||
	echo "bench-init: warning: cannot bring up loopback"
hostname vigil-bench-vm 2>/dev/null || true

echo "VIGIL-BENCH-KERNEL $(uname -r)"
(cd /tmp && /bin/sh /vigil/bench/guest-bench.sh) </dev/null
rc=$?
echo "VIGIL-BENCH-DONE rc=$rc"
sync
poweroff -f
echo "bench-init: poweroff -f failed; halting"
while :; do sleep 3600; done
