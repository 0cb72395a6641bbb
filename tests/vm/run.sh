#!/bin/sh
# tests/vm/run.sh BUILD_DIR
#
# The VM suite: boot each Debian cloud kernel (6.1, 6.12) in QEMU (TCG) with an
# initramfs holding vigild, the test helpers and the test scripts; /init runs
# tests/vm/guest/*.sh and tests/integration/*.sh and prints
# `VIGIL-VM-RESULT passed=N failed=M`.  Every test line is echoed here prefixed
# with the kernel name (`ok - [6.1] probe reports bpf_lsm`), then one summary
# line `vm: N passed, M failed`.  Exit status non-zero if anything failed.
#
# A kernel that cannot be fetched, does not boot, panics or times out counts as a
# failure: this suite never skips.
#
# For the Kubernetes test (tests/vm/guest/k8s.sh), each boot has the API server
# emulator (tests/k8s/apiserver.py) running on the host, which the guest reaches
# at 10.0.2.2 through QEMU's user-mode network, and Debian's kubectl in the
# initramfs (tests/k8s/fetch-kubectl.sh).  A second archive, made per kernel and
# appended to the initramfs, brings that kernel's network modules
# (/vigil/modules) and the guest's kubeconfig and CA (/vigil/k8s).  When the
# emulator or kubectl is missing, that test fails and says why.
#
# Environment:
#   VM_KERNELS   kernels to boot (default "6.1 6.12")
#   VM_TIMEOUT   seconds per boot, tests included (default 900)
#   VM_TEST_TIMEOUT  seconds per test script inside the guest (default 300)
#   VM_APPEND    extra kernel command-line arguments
#   VM_EXTRA_BINS    extra host programs for the initramfs (see mkinitramfs.sh)
# Logs: BUILD_DIR/vm/<kernel>.log (the whole serial console).
set -eu
export LC_ALL=C

me=run.sh
die() {
	echo "$me: error: $*" >&2
	exit 1
}

[ $# -eq 1 ] || die "usage: tests/vm/run.sh BUILD_DIR"
build_dir=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/qemu.inc"
K8S_HERE=$here/../k8s
. "$K8S_HERE/emulator.inc"
trap 'k8s_stop || true' EXIT
trap 'exit 130' INT TERM
kernels=${VM_KERNELS:-6.1 6.12}
vm_timeout=${VM_TIMEOUT:-900}
test_timeout=${VM_TEST_TIMEOUT:-300}
qemu=${QEMU:-qemu-system-x86_64}

[ -d "$build_dir" ] || die "build directory '$build_dir' does not exist (run make first)"
command -v "$qemu" >/dev/null 2>&1 ||
	die "'$qemu' not found (run scripts/install-deps.sh: qemu-system-x86)"
command -v timeout >/dev/null 2>&1 || die "'timeout' (coreutils) not found"

vm_dir=$build_dir/vm
mkdir -p "$vm_dir" || die "cannot create $vm_dir"
initrd=$vm_dir/initramfs.cpio.gz

passed=0
failed=0
fail() { # fail KERNEL MESSAGE: one failure line of the suite
	echo "not ok - [$1] $2"
	failed=$((failed + 1))
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Debian's kubectl, for the guest (the Kubernetes test fails without it).
kubectl_dir=$build_dir/k8s
if sh "$K8S_HERE/fetch-kubectl.sh" "$kubectl_dir"; then
	export VM_KUBECTL="$kubectl_dir/kubectl"
else
	echo "# vm: no kubectl for the guest (tests/k8s/fetch-kubectl.sh failed): the Kubernetes test will fail"
fi

# guest_archive KERNEL_DIR K8S_DIR OUT: the per-kernel part of the initramfs:
# the kernel's network modules in /vigil/modules (kernels.sh took them from
# the package), and, when the emulator runs (K8S_DIR non-empty), the guest's
# kubeconfig for it in /vigil/k8s.
guest_archive() {
	_stage=$vm_dir/guest-archive
	rm -rf "$_stage"
	mkdir -p "$_stage/vigil/modules" "$_stage/vigil/k8s" || return 1
	cp "$1"/modules/* "$_stage/vigil/modules/" || return 1
	if [ -n "$2" ]; then
		cp "$2/ca.crt" "$_stage/vigil/k8s/ca.crt" &&
			sh "$K8S_HERE/kubeconfig.sh" "$_stage/vigil/k8s/kubeconfig" \
				"https://10.0.2.2:$K8S_PORT" /vigil/k8s/ca.crt "$(cat "$2/token")" || return 1
	fi
	(cd "$_stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -6 >"$3" &&
		rm -rf "$_stage"
}

# The initramfs is the same for every kernel: build it once.
t0=$(now_ms)
if ! "$here/mkinitramfs.sh" "$build_dir" "$initrd"; then
	for k in $kernels; do fail "$k" "vm: building the initramfs failed (see the messages above)"; done
	echo "vm: $passed passed, $failed failed"
	exit 1
fi
echo "# vm: initramfs $initrd: $(($(wc -c <"$initrd") / 1024)) KiB, built in $(($(now_ms) - t0)) ms"

for k in $kernels; do
	log=$vm_dir/$k.log
	rm -f "$log" "$log.first"
	if ! vmlinuz=$(VM_KERNELS=$k "$here/kernels.sh" "$build_dir"); then
		fail "$k" "vm: could not get the $k kernel (see the kernels.sh messages above)"
		continue
	fi
	if [ -z "$vmlinuz" ] || [ ! -f "$vmlinuz" ]; then
		fail "$k" "vm: kernels.sh printed no usable vmlinuz path ('$vmlinuz')"
		continue
	fi

	# The API server emulator for this boot, fresh, and the per-kernel
	# archive; the kernel unpacks both archives of the concatenation.
	k8s_dir=$vm_dir/k8s-$k
	rm -rf "$k8s_dir"
	if ! k8s_start "$k8s_dir"; then
		echo "# [$k] the API server emulator did not start: the Kubernetes test will fail"
		k8s_dir=
	fi
	kinitrd=$vm_dir/initramfs-$k.cpio.gz
	if ! guest_archive "$(dirname "$(dirname "$vmlinuz")")" "$k8s_dir" "$kinitrd.part" ||
		! cat "$initrd" "$kinitrd.part" >"$kinitrd"; then
		k8s_stop || true
		fail "$k" "vm: building the $k part of the initramfs failed (see the messages above)"
		continue
	fi
	rm -f "$kinitrd.part"

	# A kernel that panics before /init runs (before the VIGIL-VM-KERNEL
	# line) has not run any of vigil: QEMU's TCG now and then trips the
	# kernel's early code patching ("Oops: int3").  Such a boot is said and
	# made once more; a second one fails the suite below.
	boots=0
	while :; do
		boots=$((boots + 1))
		t0=$(now_ms)
		rc=0
		vm_boot "$vm_timeout" "$vmlinuz" "$kinitrd" "$log" \
			"vigil.test_timeout=$test_timeout ${VM_APPEND:-}" || rc=$?
		ms=$(($(now_ms) - t0))
		if [ "$boots" -eq 1 ] && ! grep -a -q 'VIGIL-VM-KERNEL' "$log" &&
			grep -a -q 'Kernel panic' "$log"; then
			mv "$log" "$log.first"
			echo "# [$k] the kernel panicked before /init ran ($(vm_clean_log "$log.first" |
				grep -a -m 1 -E 'Oops|BUG|Kernel panic' | cut -c1-120)); booting it again, the first log is $log.first"
			continue
		fi
		break
	done
	k8s_stop || true

	result=$(vm_clean_log "$log" | grep -a -o 'VIGIL-VM-RESULT passed=[0-9]* failed=[0-9]*' | tail -n 1) || true
	vm_clean_log "$log" | grep -a -E '^(not )?ok - ' |
		sed -e "s/^ok - /ok - [$k] /" -e "s/^not ok - /not ok - [$k] /"

	if [ -z "$result" ]; then
		case $rc in
		124 | 137) why="timed out after ${vm_timeout}s" ;;
		0) why="qemu exited 0" ;;
		*) why="qemu exited $rc" ;;
		esac
		if grep -a -q 'Kernel panic' "$log"; then
			why="$why, kernel panic: $(vm_clean_log "$log" | grep -a -m 1 'Kernel panic' | cut -c1-160)"
		fi
		fail "$k" "vm: no VIGIL-VM-RESULT line ($why); see $log"
		echo "# [$k] last lines of $log:"
		vm_clean_log "$log" | tail -n 15 | sed 's/^/#   /'
		continue
	fi

	p=$(echo "$result" | sed 's/.*passed=\([0-9]*\).*/\1/')
	f=$(echo "$result" | sed 's/.*failed=\([0-9]*\).*/\1/')
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" -ne 0 ]; then
		# The tests ran, but the VM did not power off by itself.
		fail "$k" "vm: qemu did not exit cleanly after the result line (status $rc; timeout ${vm_timeout}s); see $log"
	fi
	echo "# [$k] $(basename "$vmlinuz"): $result, boot+tests ${ms} ms, log $log"
done

echo "vm: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
