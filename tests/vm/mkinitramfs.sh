#!/bin/sh
# tests/vm/mkinitramfs.sh BUILD_DIR OUT.cpio.gz
#
# Build the initramfs the VM suite boots:
#   /bin/busybox (static) + every applet link (`busybox --list-full`)
#   /usr/bin/jq, and the VM_EXTRA_BINS host programs (default: bash)
#   /vigil/bin/             BUILD_DIR/vigild, BUILD_DIR/vigil, BUILD_DIR/test-bin/*
#   /vigil/tests/integration/   tests/integration/
#   /vigil/examples/            examples/ (policies the tests load unchanged)
#   /vigil/tests/guest/         tests/vm/guest/
#   /vigil/crds/                crds/*.yaml (the guest's kubectl installs them)
#   /vigil/bin/kubectl          $VM_KUBECTL, when set (Debian's kubectl, static)
#   /init                       tests/vm/init.sh
# plus every shared library `ldd` lists for each ELF binary (and the dynamic
# loader), copied to the same path as on the host.  No kernel modules: what the
# suite needs (BPF, BPF-LSM, kprobes, securityfs, tracefs) is built into the
# Debian cloud kernels, and the network modules, which differ per kernel, come
# in a second archive (tests/vm/run.sh).
#
# VM_EXTRA_BINS: space-separated host programs (names or paths) to add, each at
# its host path and as /bin/NAME and /usr/bin/NAME, replacing a busybox applet of
# the same name.  Default "bash" (test scripts may use #!/bin/bash).
set -eu

me=mkinitramfs.sh
die() {
	echo "$me: error: $*" >&2
	exit 1
}
note() { echo "$me: $*" >&2; }

[ $# -eq 2 ] || die "usage: tests/vm/mkinitramfs.sh BUILD_DIR OUT.cpio.gz"
build_dir=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
extra_bins=${VM_EXTRA_BINS-bash}

[ -d "$build_dir" ] || die "build directory '$build_dir' does not exist (run make first)"
for tool in busybox cpio gzip ldd find sort; do
	command -v "$tool" >/dev/null 2>&1 ||
		die "'$tool' not found (run scripts/install-deps.sh: busybox-static, cpio, gzip)"
done
busybox=$(command -v busybox)
jq=$(command -v jq 2>/dev/null) || die "'jq' not found on the host (run scripts/install-deps.sh)"
[ -f "$here/init.sh" ] || die "missing $here/init.sh"

stage=$(mktemp -d "${TMPDIR:-/tmp}/vigil-initramfs.XXXXXX") ||
	die "cannot create a staging directory under ${TMPDIR:-/tmp}"
trap 'rm -rf "$stage"' EXIT
# The staging directory becomes "/": mktemp made it 0700, which would keep
# every user but root out of the whole file system.
chmod 755 "$stage"
trap 'exit 130' INT TERM

is_elf() {
	[ "$(head -c 4 "$1" 2>/dev/null | od -An -c | tr -d ' \n')" = '177ELF' ]
}

# copy_libs FILE: copy every library ldd lists for FILE (and the loader).
copy_libs() {
	is_elf "$1" || return 0
	# A static binary makes ldd print "not a dynamic executable" and exit 1.
	libs=$(ldd "$1" 2>/dev/null) || return 0
	echo "$libs" | sed -n 's/.*=> \(\/[^ ]*\) (0x.*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p' |
		while read -r lib; do
			[ -n "$lib" ] || continue
			[ -e "$stage$lib" ] && continue
			[ -f "$lib" ] || die "ldd lists '$lib' for $1 but it does not exist"
			mkdir -p "$stage$(dirname "$lib")"
			cp -L "$lib" "$stage$lib" || die "cannot copy library $lib (needed by $1)"
		done
	if echo "$libs" | grep -q '=> not found'; then
		die "ldd cannot resolve every library of $1: $(echo "$libs" | grep '=> not found' | tr -s ' \t\n' ' ')"
	fi
}

# install_file SRC DEST MODE: copy SRC to $stage/DEST (never writing through a
# symlink such as a busybox applet link) and add its libraries.
install_file() {
	mkdir -p "$stage$(dirname "$2")"
	rm -f "$stage$2"
	cp -L "$1" "$stage$2" || die "cannot copy $1 to $2"
	chmod "$3" "$stage$2"
	copy_libs "$1"
}

# link_to TARGET LINK: make $stage/LINK a symlink to TARGET, replacing what is there.
link_to() {
	mkdir -p "$stage$(dirname "$2")"
	rm -f "$stage$2"
	ln -s "$1" "$stage$2"
}

# --- base layout ---------------------------------------------------------------
for d in bin sbin usr/bin usr/sbin lib lib64 dev proc sys tmp run root etc \
	vigil/bin vigil/crds vigil/tests/guest vigil/tests/integration; do
	mkdir -p "$stage/$d"
done
chmod 1777 "$stage/tmp"
chmod 0700 "$stage/root"
cat >"$stage/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$stage/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
echo "127.0.0.1 localhost vigil-vm" >"$stage/etc/hosts"
# The kernel's built-in initramfs already has /dev/console; add it when we can
# (root) so that /init has a console even before it mounts devtmpfs.
mknod -m 600 "$stage/dev/console" c 5 1 2>/dev/null || true

# --- busybox and its applets -------------------------------------------------------
install_file "$busybox" /bin/busybox 755
applets=$("$stage/bin/busybox" --list-full) || die "'busybox --list-full' failed"
for a in $applets; do
	[ "$a" = bin/busybox ] && continue
	link_to /bin/busybox "/$a"
done

# --- jq and extra host programs ----------------------------------------------------
install_file "$jq" /usr/bin/jq 755
for b in $extra_bins; do
	path=$(command -v "$b" 2>/dev/null) || die "VM_EXTRA_BINS: '$b' not found on the host"
	case $path in /*) ;; *) die "VM_EXTRA_BINS: '$b' is a shell builtin or alias, not a program" ;; esac
	name=$(basename "$path")
	install_file "$path" "$path" 755
	[ "$path" = "/bin/$name" ] || link_to "$path" "/bin/$name"
	[ "$path" = "/usr/bin/$name" ] || link_to "$path" "/usr/bin/$name"
done

# --- project binaries -------------------------------------------------------------
if [ -f "$build_dir/vigild" ]; then
	install_file "$build_dir/vigild" /vigil/bin/vigild 755
else
	# Not fatal here: the guest probe test then fails with a clear message.
	note "warning: $build_dir/vigild does not exist; the VM tests that need it will fail"
fi
if [ -f "$build_dir/vigil" ]; then
	install_file "$build_dir/vigil" /vigil/bin/vigil 755
fi
# Test helpers (tests/helpers/*.c, built into BUILD_DIR/test-bin).
for h in "$build_dir"/test-bin/*; do
	case $h in *.d) continue ;; esac
	[ -f "$h" ] && [ -x "$h" ] && install_file "$h" "/vigil/bin/${h##*/}" 755
done

if [ -n "${VM_KUBECTL:-}" ]; then
	[ -x "$VM_KUBECTL" ] || die "VM_KUBECTL: '$VM_KUBECTL' is not an executable"
	install_file "$VM_KUBECTL" /vigil/bin/kubectl 755
fi

# --- test scripts ----------------------------------------------------------------
if [ -d "$repo/tests/integration" ]; then
	cp -R "$repo/tests/integration/." "$stage/vigil/tests/integration/"
fi
# The example policies, which the integration tests load unchanged.
if [ -d "$repo/examples" ]; then
	cp -R "$repo/examples" "$stage/vigil/examples"
fi
cp "$repo"/crds/*.yaml "$stage/vigil/crds/" || die "cannot copy $repo/crds/*.yaml"
[ -d "$here/guest" ] || die "missing $here/guest (the guest test scripts)"
cp -R "$here/guest/." "$stage/vigil/tests/guest/"
install_file "$here/init.sh" /init 755
install_file "$here/guest-setup.inc" /vigil/guest-setup.inc 644

# --- pack --------------------------------------------------------------------------
mkdir -p "$(dirname "$out")"
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -6 >"$out.tmp" || die "packing the initramfs into $out failed"
mv "$out.tmp" "$out"
note "wrote $out ($(($(wc -c <"$out") / 1024)) KiB)"
