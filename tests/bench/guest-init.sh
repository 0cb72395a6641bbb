#!/bin/sh
# /vigil/bench/guest-init.sh - PID 1 of the benchmark VM (tests/bench/vm.sh boots the VM
# suite's initramfs plus a bench overlay with rdinit=/vigil/bench/guest-init.sh).
#
# Sets up the guest as tests/vm/init.sh does (/vigil/guest-setup.inc), runs /vigil/bench/guest-bench.sh
# with its output on the console, prints VIGIL-BENCH-DONE rc=<status> and powers off.
# No `set -e`: PID 1 must always reach the poweroff.
set -u

GUEST_TAG=bench-init
. /vigil/guest-setup.inc
hostname vigil-bench-vm 2>/dev/null || true

echo "VIGIL-BENCH-KERNEL $(uname -r)"
(cd /tmp && /bin/sh /vigil/bench/guest-bench.sh) </dev/null
rc=$?
echo "VIGIL-BENCH-DONE rc=$rc"
sync
poweroff -f
echo "bench-init: poweroff -f failed; halting"
while :; do sleep 3600; done
