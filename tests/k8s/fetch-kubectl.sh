#!/bin/sh
# fetch-kubectl.sh OUTDIR: put Debian's kubectl (package kubernetes-client,
# 1.20 on bookworm) at OUTDIR/kubectl without installing the package (the
# machine's /usr/bin/kubectl may belong to another package).  Does nothing
# when OUTDIR/kubectl already exists and runs.  Works as non-root as long as
# the package index knows kubernetes-client; when it does not, it tries
# `apt-get update` (which needs root) and says so if that fails.
set -u
out=${1:?usage: tests/k8s/fetch-kubectl.sh OUTDIR}

if [ -x "$out/kubectl" ] && "$out/kubectl" version --client >/dev/null 2>&1; then
	exit 0
fi
mkdir -p "$out" || { echo "fetch-kubectl: cannot create $out" >&2; exit 1; }

tmp=$(mktemp -d /tmp/vigil-kubectl.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

download() {
	(cd "$tmp" && apt-get download kubernetes-client) >"$tmp/apt.log" 2>&1
}

if ! download; then
	echo "fetch-kubectl: 'apt-get download kubernetes-client' failed ($(tail -n 1 "$tmp/apt.log")); trying 'apt-get update' first" >&2
	if ! apt-get update >"$tmp/update.log" 2>&1; then
		why=
		[ "$(id -u)" -ne 0 ] && why=" (it needs root)"
		echo "fetch-kubectl: 'apt-get update' failed$why:" >&2
		tail -n 5 "$tmp/update.log" >&2
		exit 1
	fi
	if ! download; then
		echo "fetch-kubectl: 'apt-get download kubernetes-client' failed after 'apt-get update':" >&2
		tail -n 5 "$tmp/apt.log" >&2
		exit 1
	fi
fi

deb=
for f in "$tmp"/kubernetes-client_*.deb; do
	[ -f "$f" ] && deb=$f
done
if [ -z "$deb" ]; then
	echo "fetch-kubectl: apt-get download left no kubernetes-client .deb" >&2
	exit 1
fi
if ! dpkg-deb -x "$deb" "$tmp/root"; then
	echo "fetch-kubectl: dpkg-deb -x $deb failed" >&2
	exit 1
fi
if [ ! -f "$tmp/root/usr/bin/kubectl" ]; then
	echo "fetch-kubectl: $deb has no usr/bin/kubectl" >&2
	exit 1
fi
if ! { cp "$tmp/root/usr/bin/kubectl" "$out/kubectl.tmp" && chmod 755 "$out/kubectl.tmp" &&
	mv "$out/kubectl.tmp" "$out/kubectl"; }; then
	echo "fetch-kubectl: cannot write $out/kubectl" >&2
	exit 1
fi
if ! "$out/kubectl" version --client >/dev/null 2>&1; then
	echo "fetch-kubectl: $out/kubectl does not run" >&2
	exit 1
fi
