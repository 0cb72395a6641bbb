#!/bin/sh
# mixed.sh - a shell script doing a little of everything, ITER times over:
# short-lived commands (fork + exec), pipelines, file reads/writes/copies, a burst of
# open()s and a burst of loopback TCP connects.  POSIX sh (dash, busybox ash).
#
#   mixed.sh [-n ITER] [--bin DIR] [--dir DIR]
#
#   -n ITER    iterations (default 150)
#   --bin DIR  directory holding open_storm and connect_storm (default: this script's dir,
#              then build/bench-bin of the source tree)
#   --dir DIR  scratch directory (default: a fresh mktemp -d, removed at the end)
#
# Prints one JSON line on stdout:
#   {"workload":"mixed","pid":P,"n":ITER,"execs":E,"opens":O,"connects":C,"wall_s":S}
# where E is the exact number of execve()s made by this script's children, O the open()s of the
# scratch file made by open_storm and C the connections made by connect_storm.  Every exec is
# made by a direct child of this shell (no fork-without-exec in between: no $(a $(b)), no
# subshell running two commands), so a tracer that only sees execs can find them all by parent
# pid.  Exits non-zero with a message on the first error.
set -u

iter=150
bin=""
dir=""
while [ $# -gt 0 ]; do
	case "$1" in
	-n) iter="$2"; shift 2 ;;
	--bin) bin="$2"; shift 2 ;;
	--dir) dir="$2"; shift 2 ;;
	-h|--help) sed -n '2,18p' "$0"; exit 0 ;;
	*) echo "mixed.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
case "$iter" in
''|*[!0-9]*) echo "mixed.sh: -n wants a positive integer, got '$iter'" >&2; exit 2 ;;
esac

if [ -z "$bin" ]; then
	case "$0" in */*) here="${0%/*}" ;; *) here=. ;; esac
	for c in "$here" "$here/../../../build/bench-bin"; do
		if [ -x "$c/open_storm" ] && [ -x "$c/connect_storm" ]; then bin="$c"; break; fi
	done
fi
if [ -z "$bin" ] || [ ! -x "$bin/open_storm" ] || [ ! -x "$bin/connect_storm" ]; then
	echo "mixed.sh: open_storm/connect_storm not found (give --bin DIR)" >&2
	exit 1
fi

# Execs outside the loop, counted as they happen.
extra=0
own_dir=0
if [ -z "$dir" ]; then
	dir=$(mktemp -d /tmp/vigil-mixed.XXXXXX) || { echo "mixed.sh: mktemp failed" >&2; exit 1; }
	own_dir=1
	extra=$((extra + 1))
fi
f="$dir/mixed-file"
: > "$f" || { echo "mixed.sh: cannot write $f" >&2; exit 1; }

fail() {
	echo "mixed.sh: iteration $i: $1 failed" >&2
	[ "$own_dir" = 1 ] && rm -rf "$dir"
	exit 1
}

# Execs per iteration, counted below (keep in step with the loop body).
EXECS_PER_ITER=13
OPENS_PER_ITER=200
CONNECTS_PER_ITER=20

i=0
# Wall clock in ns: date +%s%N where date knows %N (GNU), else /proc/uptime (10 ms steps,
# busybox).  Every date run is an exec and is counted.
now_ns() {
	t=$(date +%s%N) || { echo "mixed.sh: date failed" >&2; exit 1; }
	extra=$((extra + 1))
	case "$t" in
	*[!0-9]*)
		# "SECONDS.CC": the 1CC - 100 keeps a leading 0 from reading as octal.
		read -r up _ < /proc/uptime
		t=$(( ${up%.*} * 1000000000 + (1${up#*.} - 100) * 10000000 )) ;;
	esac
	case "$t" in
	'' | *[!0-9]*) echo "mixed.sh: cannot read the clock (got '$t')" >&2; exit 1 ;;
	esac
}
now_ns
t0=$t
while [ "$i" -lt "$iter" ]; do
	i=$((i + 1))
	/bin/true || fail true                                     # 1
	cat "$f" > /dev/null || fail cat                           # 1
	ls -l "$dir" > /dev/null || fail ls                        # 1
	# shellcheck disable=SC2126  # a two-command pipeline on purpose
	grep -c line "$f" | wc -l > /dev/null || fail grep         # 2
	"$bin/open_storm" -n "$OPENS_PER_ITER" "$f" > /dev/null || fail open_storm      # 1
	"$bin/connect_storm" -n "$CONNECTS_PER_ITER" > /dev/null || fail connect_storm  # 1
	echo "line $i" >> "$f" || fail echo                        # 0 (builtin)
	sort "$f" | uniq | head -n 1 > /dev/null || fail sort      # 3
	sh -c 'echo x' > /dev/null || fail "sh -c"                 # 1 (echo is a builtin)
	cp "$f" "$f.copy" || fail cp                               # 1
	rm -f "$f.copy" || fail rm                                 # 1
done
now_ns
t1=$t

if [ "$own_dir" = 1 ]; then
	rm -rf "$dir"
	extra=$((extra + 1))
fi
ns=$((t1 - t0))
printf '{"workload":"mixed","pid":%d,"n":%d,"execs":%d,"opens":%d,"connects":%d,"wall_s":%d.%06d}\n' \
	$$ "$iter" $((iter * EXECS_PER_ITER + extra)) $((iter * OPENS_PER_ITER)) \
	$((iter * CONNECTS_PER_ITER)) $((ns / 1000000000)) $((ns % 1000000000 / 1000))
