#!/bin/sh
# /init of the vigil VM test initramfs (tests/vm/init.sh; run by busybox sh as PID 1).
#
# Mounts the kernel file systems, runs every executable /vigil/tests/guest/*.sh,
# then every executable /vigil/tests/integration/*.sh, echoes their output to the
# console and ends with exactly one line
#     VIGIL-VM-RESULT passed=<N> failed=<M>
# followed by `poweroff -f`.  tests/vm/run.sh parses that line from the serial log.
#
# A test script prints `ok - <name>` / `not ok - <name>: <why>` lines and exits
# non-zero on any failure.  A script that exits non-zero without printing a
# `not ok` line counts as one failure (a line saying so is printed).
# Each script gets VIGIL_VM_TEST_TIMEOUT seconds (kernel command line
# vigil.test_timeout=N, default 120; tests/vm/run.sh passes 300) before it is killed and counted as failed;
# processes a script leaves behind are killed before the next one runs.

# No `set -e`: PID 1 must survive any failing command and always reach the
# result line and poweroff.
set -u

# Never return from PID 1 without powering off: the kernel would panic (which,
# with panic=-1 and qemu -no-reboot, also ends the VM, but less readably).
finish() {
	sync
	poweroff -f
	# poweroff -f only returns if the reboot syscall failed.
	echo "init: poweroff -f failed; halting" >/dev/console 2>&1
	while :; do sleep 3600; done
}

GUEST_TAG=init
. /vigil/guest-setup.inc
hostname vigil-vm 2>/dev/null || true

# The network: QEMU's user-mode network, on which the host (its loopback) is
# 10.0.2.2; the Kubernetes test reaches the API server emulator there.  The
# virtio modules of this kernel come in /vigil/modules, in load order.
net_up() {
	if [ ! -s /vigil/modules/order ]; then
		echo "init: warning: no /vigil/modules/order: no network"
		return
	fi
	while read -r m; do
		insmod "/vigil/modules/$m" 2>/tmp/insmod.err ||
			echo "init: warning: insmod $m failed: $(cat /tmp/insmod.err)"
	done </vigil/modules/order
	if ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0 &&
		ip route add default via 10.0.2.2; then
		echo "init: eth0 10.0.2.15/24 up, the host at 10.0.2.2"
	else
		echo "init: warning: cannot configure eth0: no network"
	fi
}

timeout_s=120
# shellcheck disable=SC2013 # the command line is split into words on purpose
for arg in $(cat /proc/cmdline); do
	case $arg in
	vigil.test_timeout=*) timeout_s=${arg#vigil.test_timeout=} ;;
	esac
done

# Start on a fresh line: the first console line can be glued to the BIOS output.
echo
echo "VIGIL-VM-KERNEL $(uname -r)"
echo "init: active LSMs: $(cat /sys/kernel/security/lsm 2>/dev/null || echo '?')"
net_up

export VIGILD=/vigil/bin/vigild VIGIL_ENV=vm VIGIL_TEST_BIN=/vigil/bin VIGIL_EXAMPLES=/vigil/examples

passed=0
failed=0
n=0
for script in /vigil/tests/guest/*.sh /vigil/tests/integration/*.sh; do
	[ -f "$script" ] || continue
	if [ ! -x "$script" ]; then
		# Never a silent skip: a test that cannot run fails.
		echo "not ok - ${script##*/}: not executable (chmod +x), not run"
		failed=$((failed + 1))
		continue
	fi
	n=$((n + 1))
	out=/tmp/vm-test.$n.out
	echo "# init: running $script"
	t0=$(cut -d. -f1 /proc/uptime)
	# The output goes to a file, not through a pipe: a background process the
	# script left behind (e.g. a vigild) would hold a pipe open and hang us.
	(cd /tmp && exec timeout "$timeout_s" "$script") >"$out" 2>&1 </dev/null
	rc=$?
	cat "$out"
	# Clean slate for the next script: kill whatever this one left running
	# (kill -1 from PID 1 reaches every process but init and kernel threads).
	kill -KILL -1 2>/dev/null
	sleep 0.2 2>/dev/null || true
	p=$(grep -c '^ok - ' "$out" || true)
	f=$(grep -c '^not ok - ' "$out" || true)
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		case $rc in
		143 | 137) why="killed after ${timeout_s}s (timeout)" ;;
		*) why="exited $rc" ;;
		esac
		echo "not ok - ${script##*/}: $why without a 'not ok' line"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	echo "# init: $script exit=$rc ok=$p not_ok=$f in $(($(cut -d. -f1 /proc/uptime) - t0)) s"
done

if [ "$n" -eq 0 ]; then
	echo "not ok - vm init: no executable test script found under /vigil/tests"
	failed=$((failed + 1))
fi

echo "VIGIL-VM-RESULT passed=$passed failed=$failed"
finish
