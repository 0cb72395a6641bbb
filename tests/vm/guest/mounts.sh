#!/bin/sh
# Guest test: vigild mounts securityfs, bpffs and tracefs itself when they are
# missing.  /init mounted them; this test unmounts them first, starts vigild,
# and checks they are back.  (On the host the test never unmounts anything.)
set -u
VIGILD=${VIGILD:-/vigil/bin/vigild}
tmp=$(mktemp -d)
fails=0
ok() { echo "ok - $1"; }
not_ok() {
	echo "not ok - $1: $2"
	fails=$((fails + 1))
}

for d in /sys/kernel/security /sys/fs/bpf /sys/kernel/tracing; do
	umount "$d" 2>/dev/null
done
if grep -qE ' (securityfs|bpf|tracefs) ' /proc/mounts; then
	not_ok "set-up: unmount securityfs, bpffs, tracefs" "still mounted: $(grep -E ' (securityfs|bpf|tracefs) ' /proc/mounts)"
fi

"$VIGILD" --ready-file "$tmp/ready" --export-filename "$tmp/events.json" 2>"$tmp/err" &
pid=$!
i=0
while [ ! -s "$tmp/ready" ] && kill -0 "$pid" 2>/dev/null && [ $i -lt 1200 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -TERM "$pid" 2>/dev/null
wait "$pid"
rc=$?

for m in "securityfs /sys/kernel/security" "bpf /sys/fs/bpf" "tracefs /sys/kernel/tracing"; do
	set -- $m
	if grep -q " $2 $1 " /proc/mounts; then
		ok "vigild mounts $1 at $2 when missing"
	else
		not_ok "vigild mounts $1 at $2 when missing" "not in /proc/mounts; vigild said: $(head -c 500 "$tmp/err")"
	fi
done
if [ "$rc" -eq 0 ] && ! grep -q 'degraded' "$tmp/err"; then
	ok "vigild runs without a degraded-mode warning on a kernel with BPF-LSM and kprobes"
else
	not_ok "vigild runs without a degraded-mode warning on a kernel with BPF-LSM and kprobes" "rc=$rc: $(head -c 500 "$tmp/err")"
fi
rm -rf "$tmp"
[ "$fails" -eq 0 ]
