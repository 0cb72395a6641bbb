#!/bin/sh
# Install every Debian package vigil needs to build, test and run its VM suite.
# Idempotent: when every package is present it changes nothing and prints one line.
# libclang-rt-14-dev: libFuzzer and the sanitizer runtimes of Debian 12's clang 14
# (make fuzz, and the fuzz suite of make check).
# protobuf-c-compiler, libprotobuf-c-dev: the API's messages (protoc-c generates
# their C code at build time); libgrpc-dev: the gRPC C core the API is served on.
# libpcre2-dev: the regexes of the API's event filters (Tetragon's binary_regex etc.).
# libcurl4-openssl-dev, libssl-dev: vigild's client of the Kubernetes API (--k8s):
# HTTPS with the cluster's CA, streamed watches; OpenSSL also decodes a
# kubeconfig's base64 -data fields.
# python3, python3-yaml, openssl, curl: the Kubernetes tests (tests/k8s: the
# API server emulator, its certificates, the CRD and chart checkers; Debian's
# kubectl is fetched into the build directory by tests/k8s/fetch-kubectl.sh).
# xz-utils: the VM suite uncompresses the 6.12 kernel's network modules
# (tests/vm/kernels.sh).
# python3-grpcio, python3-grpc-tools: an independent gRPC client of the API for the
# host tests (tests/integration/api_client.py, generated from vigil's .proto).
set -eu

PKGS="make gcc clang llvm pkg-config bpftool libbpf-dev libelf-dev zlib1g-dev \
libyaml-dev libjson-c-dev libcmocka-dev jq util-linux procps \
qemu-system-x86 busybox-static cpio gzip xz-utils \
libclang-rt-14-dev \
protobuf-c-compiler libprotobuf-c-dev libgrpc-dev libpcre2-dev \
libcurl4-openssl-dev libssl-dev \
python3 python3-yaml openssl curl \
python3-grpcio python3-grpc-tools"

# Benchmark-only packages, pulled in with --bench.
BENCH_PKGS="auditd bpftrace"

if [ "${1:-}" = "--bench" ]; then
	PKGS="$PKGS $BENCH_PKGS"
fi

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	echo "install-deps: all packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing:$missing; run as root (sudo) to install them" >&2
	exit 1
fi

echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
