# tests/bench/lib/count_events.awk - count the events of one kind that one workload produced,
# from the normalized event lines every configuration's cfg_events prints:
#   exec PID PPID [BINARY]     a successful execve (PID is the new image, PPID its parent)
#   open PID PATH              an open()/openat() of PATH by PID
#   connect PID                a connect() by PID
#   policy PID PPID [NAME]     an event a tracing policy posted, for process PID
# Variables: kind (exec|open|connect|policy), root (the workload's pid), path (open only).
#   exec:    events of the descendants of root: parent in the set, which grows with every
#            counted exec; computed to a fixed point, so out-of-order lines are fine
#   open:    events of root itself on path
#   connect: events of root itself
#   policy:  events of root itself or of its children (an exec hook on the exec tracepoint
#            names the new image, a child of root)
# Prints the count.  POSIX awk (runs under busybox awk in the VM too).
$1 != kind { next }
kind == "exec" { n++; pid[n] = $2; ppid[n] = $3; next }
kind == "open" { p = $0; sub(/^open [0-9]+ /, "", p); if ($2 == root && p == path) c++; next }
kind == "connect" { if ($2 == root) c++; next }
kind == "policy" { if ($2 == root || $3 == root) c++; next }
END {
	if (kind == "exec") {
		in_tree[root] = 1
		do {
			changed = 0
			for (i = 1; i <= n; i++)
				if (!(i in done) && (ppid[i] in in_tree)) {
					done[i] = 1; c++; in_tree[pid[i]] = 1; changed = 1
				}
		} while (changed)
	}
	print c + 0
}
