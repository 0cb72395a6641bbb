#!/bin/sh
# Host integration suite: every tests/integration/*.sh against this
# machine's kernel, with the freshly built vigild, and the Kubernetes tests
# (tests/k8s: the API server emulator, Debian's kubectl, vigild --k8s).
set -u
build=${1:?usage: tests/host/run.sh BUILD_DIR}
here=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "host: not ok - the host suite loads BPF programs and needs root"; echo "host: 0 passed, 1 failed"; exit 1; }
export VIGILD="$here/$build/vigild" VIGIL_ENV=host
export VIGIL_TEST_BIN="$here/$build/test-bin" VIGIL_EXAMPLES="$here/examples"
case $build in /*) export VIGILD="$build/vigild" VIGIL_TEST_BIN="$build/test-bin" ;; esac
# Debian's kubectl (package kubernetes-client), fetched once into the build
# directory; a failure here fails the Kubernetes tests, which say so.
sh "$here/tests/k8s/fetch-kubectl.sh" "$(dirname "$VIGILD")/k8s" &&
	export KUBECTL="$(dirname "$VIGILD")/k8s/kubectl"
passed=0
failed=0
# the Kubernetes tests need the API server emulator (Python): host only
for t in "$here"/tests/integration/*.sh "$here"/tests/k8s/selftest.sh "$here"/tests/k8s/test-*.sh; do
	out=$(sh "$t" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed 's/^/host: /'
	p=$(printf '%s\n' "$out" | grep -c '^ok - ')
	f=$(printf '%s\n' "$out" | grep -c '^not ok - ')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "host: not ok - $(basename "$t") exited $rc"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "host: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
