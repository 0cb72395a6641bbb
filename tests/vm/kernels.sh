#!/bin/sh
# tests/vm/kernels.sh BUILD_DIR
#
# Fetch the Debian cloud kernels the VM suite boots, cached under
# BUILD_DIR/vm/kernels/<name>/ (<name> is 6.1 or 6.12).  Prints the path of each
# vmlinuz on stdout, one per line, in the order of VM_KERNELS (default "6.1 6.12");
# progress goes to stderr.
#
# Next to the kernel, BUILD_DIR/vm/kernels/<name>/modules/ holds the modules the
# guest loads for its network (virtio_pci where it is a module, virtio_net, and
# what they depend on, from the package's modules.dep), uncompressed, and
# `order`, their file names in the order to insmod them.  The Debian cloud
# kernels build virtio-net as a module; the VM's network reaches the API server
# emulator on the host (tests/vm/guest/k8s.sh).
#
# A cached kernel (boot/vmlinuz-* and modules/order) is used as is: no apt
# call, no download.  Delete the directory to fetch the current package again.
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

for tool in apt-cache apt-get dpkg xz; do
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

# The modules the guest's network needs, top level.
net_modules="virtio_pci virtio_net"

# add_module NAME: uncompress module NAME of the package (under $mdir) into
# $out, after the modules it depends on (its .modinfo "depends=" field, read
# from the module itself: the package ships no modules.dep, depmod makes it at
# install time), and append its file name to $out/order.tmp.  A module the
# kernel builds in (modules.builtin) needs nothing.
add_module() {
	grep -qxF "$1.ko" "$out/order.tmp" && return 0
	grep -q "/$1\.ko\$" "$mdir/modules.builtin" 2>/dev/null && return 0
	src=$(find "$mdir/kernel" -name "$1.ko*" | head -n 1)
	[ -n "$src" ] || { note "module $1: not in the package, nor built in"; return 1; }
	case $src in
	*.ko) cp "$src" "$out/$1.ko" ;;
	*.ko.xz) xz -dc "$src" >"$out/$1.ko" ;;
	*.ko.zst) zstd -qdc "$src" >"$out/$1.ko" ;;
	*.ko.gz) gzip -dc "$src" >"$out/$1.ko" ;;
	*) note "$src: unknown module compression"; false ;;
	esac || { note "cannot uncompress $src"; return 1; }
	# shellcheck disable=SC2046 # split on purpose: one word per module
	set -- "$1" $(tr '\000' '\n' <"$out/$1.ko" | grep -a -m 1 '^depends=' | cut -d= -f2 | tr , ' ')
	# $1 stays this call's module: positional parameters are the call's own
	for _dep in "$@"; do
		[ "$_dep" = "$1" ] || add_module "$_dep" || return 1
	done
	echo "$1.ko" >>"$out/order.tmp"
}

# copy_modules ROOT OUT: the network modules of the extracted package ROOT and
# their dependencies, uncompressed, into OUT; their load order into OUT/order.
copy_modules() {
	mdir=
	for f in "$1"/lib/modules/* "$1"/usr/lib/modules/*; do
		[ -d "$f/kernel" ] && mdir=$f
	done
	[ -n "$mdir" ] || { note "no lib/modules/*/kernel in the package"; return 1; }
	out=$2
	mkdir -p "$out" && : >"$out/order.tmp" || return 1
	for m in $net_modules; do
		add_module "$m" || return 1
	done
	mv "$out/order.tmp" "$out/order"
}

for name in $kernels; do
	meta=$(meta_package "$name") ||
		die "unknown kernel name '$name' in VM_KERNELS (known: 6.1 6.12)"
	dir=$cache_root/$name
	vmlinuz=$(find_vmlinuz "$dir")
	if [ -n "$vmlinuz" ] && [ -s "$dir/modules/order" ]; then
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
	rm -rf "$dir/boot" "$dir/modules"
	if ! copy_modules "$tmp" "$dir/modules"; then
		rm -rf "$tmp" "$dir/modules"
		die "$name: cannot take the network modules ($net_modules) from $deb"
	fi
	mkdir -p "$dir/boot"
	# Keep only what the VM needs: the kernel, its config (for reference) and
	# the network modules.
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
