#!/bin/sh
# tests/vm/kernels.sh BUILD_DIR
#
# Fetch the Debian cloud kernels the VM suite boots, cached under
# BUILD_DIR/vm/kernels/<name>/ (<name> is 6.1 or 6.12).  Prints the path of each
# vmlinuz on stdout, one per line, in the order of VM_KERNELS (default "6.1 6.12");
# progress goes to stderr.
#
# A cached kernel (BUILD_DIR/vm/kernels/<name>/boot/vmlinuz-*) is used as is: no
# apt call, no download.  Delete the directory to fetch the current package again.
#
# The image package is resolved through the Debian meta packages:
#   6.1   apt-cache depends linux-image-cloud-amd64
#   6.12  apt-cache depends linux-image-6.12-cloud-amd64
# then `apt-get download` (in the cache directory) and `dpkg -x`.
set -eu

me=kernels.sh
die() {
	echo "$me: error: $*" >&2
	exit 1
}
note() { echo "$me: $*" >&2; }

[ $# -eq 1 ] || die "usage: tests/vm/kernels.sh BUILD_DIR"
build_dir=$1
kernels=${VM_KERNELS:-6.1 6.12}
cache_root=$build_dir/vm/kernels

for tool in apt-cache apt-get dpkg; do
	command -v "$tool" >/dev/null 2>&1 ||
		die "'$tool' not found: fetching the VM kernels needs a Debian host with apt"
done

meta_package() {
	case $1 in
	6.1) echo linux-image-cloud-amd64 ;;
	6.12) echo linux-image-6.12-cloud-amd64 ;;
	*) return 1 ;;
	esac
}

# Print the first linux-image-* package the meta package depends on (empty if none).
resolve_image() {
	apt-cache depends "$1" 2>/dev/null |
		sed -n 's/^[[:space:]]*|\{0,1\}Depends:[[:space:]]*\(linux-image-[^[:space:]<>]*\).*/\1/p' |
		head -n 1
}

updated=no
# Print the vmlinuz of a cache dir (there is one per package), or nothing.
find_vmlinuz() {
	found=
	for f in "$1"/boot/vmlinuz-*; do
		if [ -f "$f" ]; then found=$f; fi
	done
	echo "$found"
}

for name in $kernels; do
	meta=$(meta_package "$name") ||
		die "unknown kernel name '$name' in VM_KERNELS (known: 6.1 6.12)"
	dir=$cache_root/$name
	vmlinuz=$(find_vmlinuz "$dir")
	if [ -n "$vmlinuz" ]; then
		note "$name: cached $vmlinuz ($(cat "$dir/package" 2>/dev/null || echo unknown package))"
		echo "$vmlinuz"
		continue
	fi

	pkg=$(resolve_image "$meta")
	if [ -z "$pkg" ] && [ "$updated" = no ]; then
		note "$name: apt-cache knows no image package for $meta; running apt-get update once"
		apt-get update -q >&2 ||
			die "$name: 'apt-get update' failed (are the Debian mirrors reachable? running as root?)"
		updated=yes
		pkg=$(resolve_image "$meta")
	fi
	[ -n "$pkg" ] ||
		die "$name: 'apt-cache depends $meta' names no linux-image package, even after apt-get update; cannot get the $name kernel"

	note "$name: downloading $pkg into $dir"
	mkdir -p "$dir" || die "$name: cannot create cache directory $dir"
	rm -f "$dir"/*.deb
	# apt-get download writes into the current directory.  As root it warns that
	# the download is unsandboxed; that is harmless.
	if ! (cd "$dir" && apt-get download -q "$pkg") >&2; then
		die "$name: 'apt-get download $pkg' failed in $dir (mirror unreachable or package gone? try 'apt-get update')"
	fi
	deb=
	for f in "$dir"/"$pkg"_*.deb; do
		[ -f "$f" ] && deb=$f
	done
	[ -n "$deb" ] || die "$name: apt-get download $pkg left no .deb in $dir"

	# Extract into a scratch dir first so that an interrupted run leaves no
	# half-populated cache that would later be taken for a good one.
	tmp=$dir/.extract.$$
	rm -rf "$tmp"
	dpkg -x "$deb" "$tmp" || { rm -rf "$tmp"; die "$name: 'dpkg -x $deb' failed"; }
	vm_tmp=$(find_vmlinuz "$tmp")
	if [ -z "$vm_tmp" ]; then
		rm -rf "$tmp"
		die "$name: $deb contains no boot/vmlinuz-*"
	fi
	mkdir -p "$dir/boot"
	# Keep only what the VM needs: the kernel and its config (for reference).
	cp "$tmp"/boot/config-* "$dir/boot/" 2>/dev/null || true
	cp "$vm_tmp" "$dir/boot/.vmlinuz.tmp"
	mv "$dir/boot/.vmlinuz.tmp" "$dir/boot/$(basename "$vm_tmp")"
	rm -rf "$tmp" "$deb"
	echo "$pkg" >"$dir/package"

	vmlinuz=$(find_vmlinuz "$dir")
	[ -n "$vmlinuz" ] || die "$name: no vmlinuz in $dir/boot after extraction"
	note "$name: $vmlinuz"
	echo "$vmlinuz"
done
