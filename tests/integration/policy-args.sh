#!/bin/sh
# Argument types, operators, selectors and actions beyond paths, where the
# kernel has BPF-LSM and kprobes (the VM); on this host, the policies that
# need them are refused at start.  One vigild holds every policy at once:
# - socket_connect Override by port (socket + sockaddr: Protocol, Family,
#   SPort) denies a loopback connect with EPERM, IPv4 and IPv6, and lets
#   another port through;
# - task_fix_setuid reports both creds (cred);
# - matchCapabilities NotIn reports only the opener without capabilities;
# - a sys_write kprobe reports fd (as its file), char_buf (its bytes) and
#   size_t, filtered by Postfix and InRange;
# - Post rateLimit reports five opens of one file once;
# - an unlink kprobe with Override (run as the inode_unlink LSM hook)
#   denies by dentry name;
# - tcp_connect reports the sock (addresses, ports, state), DAddr/DPort;
# - on the host (no BPF-LSM, no kprobes) the connect policies run as the
#   cgroup connect4/connect6 hooks: the same denies and events;
# - skb arguments of ip_local_out and ip6_output report the SYN's tuple,
#   filtered by DPort, Family and DAddr;
# - resolve follows a file's f_path.dentry.d_name.name to the name's bytes
#   (two pointers read), matched as a string;
# - a return probe on openat reports only the call that failed with ENOENT
#   (matchReturnArgs), with its return value.
# Every process the policies act on is the test's own poke helper.
set -u
. "$(dirname "$0")/common.inc"

POKE=$(readlink -f "$VIGIL_TEST_BIN/poke")
DENY=4711
ALLOW=4712
EV="$T/events.json"

pol() { # pol NAME: the file of policy NAME, from standard input
	cat >"$T/$1.yaml"
}

pol deny-port <<EOF
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "deny-port"
spec:
  kprobes:
  - call: "security_socket_connect"
    syscall: false
    args:
    - index: 0
      type: "socket"
    - index: 1
      type: "sockaddr"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Protocol"
        values: ["IPPROTO_TCP"]
      - index: 1
        operator: "Family"
        values: ["AF_INET", "AF_INET6"]
      - index: 1
        operator: "SPort"
        values: ["$DENY"]
      matchBinaries:
      - operator: "In"
        values: ["$POKE"]
      matchActions:
      - action: Override
        argError: -1
EOF
pol setuid-watch <<EOF
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "setuid-watch"
spec:
  lsmhooks:
  - hook: "task_fix_setuid"
    args:
    - index: 0
      type: "cred"
    - index: 1
      type: "cred"
    selectors:
    - matchBinaries:
      - operator: "In"
        values: ["$POKE"]
EOF
pol caps-open <<EOF
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "caps-open"
spec:
  lsmhooks:
  - hook: "file_open"
    args:
    - index: 0
      type: "file"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Postfix"
        values: ["/caps-probe"]
      matchCapabilities:
      - type: Effective
        operator: NotIn
        values: ["CAP_DAC_OVERRIDE", "CAP_SYS_ADMIN"]
EOF
pol write-watch <<EOF
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "write-watch"
spec:
  kprobes:
  - call: "sys_write"
    syscall: true
    args:
    - index: 0
      type: "fd"
    - index: 1
      type: "char_buf"
      sizeArgIndex: 3
    - index: 2
      type: "size_t"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Postfix"
        values: ["/vigil-canary"]
      - index: 2
        operator: "InRange"
        values: ["5:64"]
EOF
pol rate-open <<EOF
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "rate-open"
spec:
  lsmhooks:
  - hook: "file_open"
    args:
    - index: 0
      type: "file"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Equal"
        values: ["$T/rate-file"]
      matchActions:
      - action: Post
        rateLimit: "1m"
EOF
pol deny-unlink <<EOF
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "deny-unlink"
spec:
  kprobes:
  - call: "security_inode_unlink"
    syscall: false
    args:
    - index: 1
      type: "dentry"
    selectors:
    - matchArgs:
      - index: 1
        operator: "Postfix"
        values: ["/unlink-me"]
      matchActions:
      - action: Override
        argError: -1
EOF
pol tcp-connect <<EOF
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "tcp-connect"
spec:
  kprobes:
  - call: "tcp_connect"
    syscall: false
    args:
    - index: 0
      type: "sock"
    selectors:
    - matchArgs:
      - index: 0
        operator: "DAddr"
        values: ["127.0.0.0/8"]
      - index: 0
        operator: "DPort"
        values: ["$ALLOW"]
EOF

pol skb-out <<EOF
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "skb-out"
spec:
  kprobes:
  - call: "ip_local_out"
    syscall: false
    args:
    - index: 2
      type: "skb"
    selectors:
    - matchArgs:
      - index: 2
        operator: "DPort"
        values: ["$ALLOW"]
      - index: 2
        operator: "Family"
        values: ["AF_INET"]
      matchBinaries:
      - operator: "In"
        values: ["$POKE"]
  - call: "ip6_output"
    syscall: false
    args:
    - index: 2
      type: "skb"
    selectors:
    - matchArgs:
      - index: 2
        operator: "DPort"
        values: ["$ALLOW"]
      - index: 2
        operator: "DAddr"
        values: ["::1"]
      matchBinaries:
      - operator: "In"
        values: ["$POKE"]
EOF

pol resolve-name <<EOF
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "resolve-name"
spec:
  kprobes:
  - call: "security_file_open"
    syscall: false
    args:
    - index: 0
      type: "string"
      resolve: "f_path.dentry.d_name.name"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Equal"
        values: ["vigil-resolve-probe"]
      matchBinaries:
      - operator: "In"
        values: ["$POKE"]
EOF

pol open-ret <<EOF
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "open-ret"
spec:
  kprobes:
  - call: "sys_openat"
    syscall: true
    return: true
    args:
    - index: 1
      type: "string"
    returnArg:
      index: 0
      type: "int"
    selectors:
    - matchArgs:
      - index: 1
        operator: "Postfix"
        values: ["/vigil-ret-probe"]
      matchReturnArgs:
      - index: 0
        operator: "Equal"
        values: ["-2"]
      matchBinaries:
      - operator: "In"
        values: ["$POKE"]
EOF

if [ "$VIGIL_ENV" != vm ]; then
	# No BPF-LSM and no kprobes here: socket_connect and tcp_connect run as
	# the cgroup connect4/connect6 hooks, before the connect (and sendmsg4/6
	# for UDP datagrams sent to an address).  deny-udp: UDP to port DENY;
	# only-local: tcp-connect-only-local-addrs.yaml's Sigkill shape.
	sed 's/"deny-port"/"deny-udp"/; s/IPPROTO_TCP/IPPROTO_UDP/' "$T/deny-port.yaml" >"$T/deny-udp.yaml"
	pol only-local <<EOF
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "only-local"
spec:
  kprobes:
  - call: "tcp_connect"
    syscall: false
    args:
    - index: 0
      type: "sock"
    selectors:
    - matchArgs:
      - index: 0
        operator: "NotDAddr"
        values: ["127.0.0.0/8", "::1"]
      matchBinaries:
      - operator: "In"
        values: ["$POKE"]
      matchActions:
      - action: Sigkill
EOF
	start_vigild --export-filename "$EV" --tracing-policy "$T/deny-port.yaml" \
		--tracing-policy "$T/tcp-connect.yaml" --tracing-policy "$T/deny-udp.yaml" \
		--tracing-policy "$T/only-local.yaml" || { finish; exit 1; }
	deny4=$("$POKE" connect 127.0.0.1 $DENY)
	deny6=$("$POKE" connect ::1 $DENY)
	allow4=$("$POKE" connect 127.0.0.1 $ALLOW)
	udeny=$("$POKE" sendto 127.0.0.1 $DENY)
	uallow=$("$POKE" sendto 127.0.0.1 $ALLOW)
	"$POKE" connect 192.0.2.1 80 >/dev/null 2>&1
	kst=$?
	stop_vigild
	if grep -q "deny-port: security_socket_connect runs as cgroup connect4/connect6" "$T/stderr"; then
		ok "without BPF-LSM and kprobes, socket_connect runs as the cgroup connect hook, and says so"
	else
		not_ok "without BPF-LSM and kprobes, socket_connect runs as the cgroup connect hook, and says so" \
			"$(cat "$T/stderr")"
	fi
	[ "$deny4 $deny6" = "EPERM EPERM" ] && ok "a connect to port $DENY is denied with EPERM (IPv4 and IPv6, cgroup hook)" ||
		not_ok "a connect to port $DENY is denied with EPERM (IPv4 and IPv6, cgroup hook)" "poke said $deny4, $deny6"
	[ "$allow4" != EPERM ] && ok "a connect to another port is not denied (cgroup hook)" ||
		not_ok "a connect to another port is not denied (cgroup hook)" "poke said $allow4"
	check "each denied connect is reported once, with its socket and the address asked for" \
		"[.[] | select(.process_kprobe.policy_name == \"deny-port\")] as \$e | (\$e | length) == 2 and
		 (\$e[0].process_kprobe | .function_name == \"security_socket_connect\" and
		  .action == \"KPROBE_ACTION_OVERRIDE\" and .args[0].sock_arg.protocol == \"IPPROTO_TCP\" and
		  .args[1].sockaddr_arg == {family: \"AF_INET\", addr: \"127.0.0.1\", port: $DENY}) and
		 (\$e[1].process_kprobe.args[1].sockaddr_arg == {family: \"AF_INET6\", addr: \"::1\", port: $DENY})" "$EV"
	[ "$udeny $uallow" = "EPERM ok" ] && ok "a UDP datagram sent to port $DENY is denied with EPERM, another is sent (sendmsg hook)" ||
		not_ok "a UDP datagram sent to port $DENY is denied with EPERM, another is sent (sendmsg hook)" \
			"poke said $udeny, then $uallow"
	check "the denied datagram is reported once, by the UDP policy" \
		"[.[] | select(.process_kprobe.policy_name == \"deny-udp\")] as \$e | (\$e | length) == 1 and
		 (\$e[0].process_kprobe.args[0].sock_arg.protocol == \"IPPROTO_UDP\") and
		 (\$e[0].process_kprobe.args[1].sockaddr_arg == {family: \"AF_INET\", addr: \"127.0.0.1\", port: $DENY})" "$EV"
	[ "$kst" -eq 137 ] && ok "tcp_connect Sigkill outside loopback kills the connecting process (cgroup hook)" ||
		not_ok "tcp_connect Sigkill outside loopback kills the connecting process (cgroup hook)" "status $kst"
	check "the kill is reported once, with the peer asked for" \
		"[.[] | select(.process_kprobe.policy_name == \"only-local\")] as \$e | (\$e | length) == 1 and
		 (\$e[0].process_kprobe | .action == \"KPROBE_ACTION_SIGKILL\" and
		  .args[0].sock_arg.daddr == \"192.0.2.1\" and .args[0].sock_arg.dport == 80)" "$EV"
	check "tcp_connect on the cgroup hook reports the sock with the peer it connects to" \
		"[.[] | select(.process_kprobe.policy_name == \"tcp-connect\")] as \$e | (\$e | length) == 1 and
		 (\$e[0].process_kprobe.args[0].sock_arg | .family == \"AF_INET\" and .type == \"SOCK_STREAM\" and
		  .protocol == \"IPPROTO_TCP\" and .daddr == \"127.0.0.1\" and .dport == $ALLOW)" "$EV"
	finish
	exit $?
fi

set --
for p in deny-port setuid-watch caps-open write-watch rate-open deny-unlink tcp-connect skb-out resolve-name open-ret; do
	set -- "$@" --tracing-policy "$T/$p.yaml"
done
# Files made before the policies load: a shell's redirection opens them too.
: >"$T/caps-probe"
: >"$T/rate-file"
: >"$T/unlink-me"
: >"$T/unlink-you"
: >"$T/vigil-resolve-probe"
start_vigild --export-filename "$EV" "$@" || { finish; exit 1; }
deny4=$("$POKE" connect 127.0.0.1 $DENY)
deny6=$("$POKE" connect ::1 $DENY)
allow4=$("$POKE" connect 127.0.0.1 $ALLOW)
allow6=$("$POKE" connect ::1 $ALLOW)
"$POKE" setuid 4242 >/dev/null
"$POKE" nocaps open "$T/caps-probe" >/dev/null
"$POKE" open "$T/caps-probe" >/dev/null
"$POKE" write "$T/vigil-canary" "hello vigil" >/dev/null
"$POKE" write "$T/vigil-canary" "x" >/dev/null
rate=$("$POKE" repeat 5 open "$T/rate-file" | grep -c '^ok$')
unl=$("$POKE" unlink "$T/unlink-me")
unl2=$("$POKE" unlink "$T/unlink-you")
"$POKE" open "$T/vigil-resolve-probe" >/dev/null
ret1=$("$POKE" open "$T/vigil-ret-probe")
: >"$T/vigil-ret-probe"
ret2=$("$POKE" open "$T/vigil-ret-probe")
stop_vigild

[ "$deny4" = EPERM ] && ok "a connect to port $DENY is denied with EPERM (IPv4)" ||
	not_ok "a connect to port $DENY is denied with EPERM (IPv4)" "poke said $deny4"
[ "$deny6" = EPERM ] && ok "a connect to port $DENY is denied with EPERM (IPv6)" ||
	not_ok "a connect to port $DENY is denied with EPERM (IPv6)" "poke said $deny6"
[ "$allow4" != EPERM ] && ok "a connect to another port is not denied" ||
	not_ok "a connect to another port is not denied" "poke said $allow4"
check "each denied connect is reported once, with its socket and address" \
	"[.[] | select(.process_kprobe.policy_name == \"deny-port\")] as \$e | (\$e | length) == 2 and
	 (\$e[0].process_kprobe | .function_name == \"security_socket_connect\" and
	  .action == \"KPROBE_ACTION_OVERRIDE\" and .args[0].sock_arg.protocol == \"IPPROTO_TCP\" and
	  .args[1].sockaddr_arg == {family: \"AF_INET\", addr: \"127.0.0.1\", port: $DENY}) and
	 (\$e[1].process_kprobe.args[1].sockaddr_arg == {family: \"AF_INET6\", addr: \"::1\", port: $DENY})" "$EV"
check "setuid reports the new and the old credentials" \
	"[.[] | select(.process_lsm.policy_name == \"setuid-watch\")] as \$e | (\$e | length) == 1 and
	 (\$e[0].process_lsm | .function_name == \"task_fix_setuid\" and
	  .args[0].process_credentials_arg.uid == 4242 and .args[0].process_credentials_arg.euid == 4242 and
	  .args[1].process_credentials_arg.uid == 0 and
	  (.args[1].process_credentials_arg.caps.effective | index(\"CAP_SYS_ADMIN\") != null))" "$EV"
check "matchCapabilities NotIn reports the opener without capabilities only" \
	"[.[] | select(.process_lsm.policy_name == \"caps-open\")] as \$e | (\$e | length) == 1 and
	 \$e[0].process_lsm.args[0].file_arg.path == \"$T/caps-probe\"" "$EV"
check "sys_write reports fd as its file, char_buf as bytes and size_t, within InRange only" \
	"[.[] | select(.process_kprobe.policy_name == \"write-watch\")] as \$e | (\$e | length) == 1 and
	 (\$e[0].process_kprobe.args == [{file_arg: {path: \"$T/vigil-canary\"}},
	   {bytes_arg: \"aGVsbG8gdmlnaWw=\"}, {size_arg: \"11\"}])" "$EV"
[ "$rate" -eq 5 ] && ok "the five opens under rateLimit succeed" ||
	not_ok "the five opens under rateLimit succeed" "$rate of 5"
check "Post rateLimit reports five opens of one file once" \
	"[.[] | select(.process_lsm.policy_name == \"rate-open\")] | length == 1" "$EV"
if [ "$unl" = EPERM ] && [ -e "$T/unlink-me" ]; then
	ok "an unlink Override denies by dentry name: EPERM, the file stays"
else
	not_ok "an unlink Override denies by dentry name: EPERM, the file stays" "poke said $unl"
fi
[ "$unl2" = ok ] && ok "another file unlinks" || not_ok "another file unlinks" "poke said $unl2"
check "the denied unlink is reported once, with the dentry's path" \
	"[.[] | select(.process_kprobe.policy_name == \"deny-unlink\")] as \$e | (\$e | length) == 1 and
	 (\$e[0].process_kprobe | .action == \"KPROBE_ACTION_OVERRIDE\" and
	  (.args[0].file_arg.path | endswith(\"/unlink-me\")))" "$EV"
check "tcp_connect reports the sock: family, protocol, addresses, ports, state" \
	"[.[] | select(.process_kprobe.policy_name == \"tcp-connect\")] as \$e | (\$e | length) == 1 and
	 (\$e[0].process_kprobe.args[0].sock_arg | .family == \"AF_INET\" and .type == \"SOCK_STREAM\" and
	  .protocol == \"IPPROTO_TCP\" and .daddr == \"127.0.0.1\" and .saddr == \"127.0.0.1\" and
	  .dport == $ALLOW and .sport > 0 and .state == \"TCP_SYN_SENT\")" "$EV"
[ "$allow6" != EPERM ] && ok "an IPv6 connect to another port is not denied" ||
	not_ok "an IPv6 connect to another port is not denied" "poke said $allow6"
check "an skb reports the SYN's IP header and ports, IPv4 and IPv6, once each" \
	"[.[] | select(.process_kprobe.policy_name == \"skb-out\")] as \$e | (\$e | length) == 2 and
	 (\$e[0].process_kprobe | .function_name == \"ip_local_out\" and (.args[0].skb_arg |
	  .family == \"AF_INET\" and .protocol == \"IPPROTO_TCP\" and .proto == 6 and
	  .saddr == \"127.0.0.1\" and .daddr == \"127.0.0.1\" and .dport == $ALLOW and .sport > 0 and
	  .len >= 40)) and
	 (\$e[1].process_kprobe | .function_name == \"ip6_output\" and (.args[0].skb_arg |
	  .family == \"AF_INET6\" and .protocol == \"IPPROTO_TCP\" and .saddr == \"::1\" and
	  .daddr == \"::1\" and .dport == $ALLOW and .sport > 0 and .len >= 60))" "$EV"
check "resolve reads a file's name through two pointers, and matches it" \
	"[.[] | select(.process_kprobe.policy_name == \"resolve-name\")] as \$e | (\$e | length) == 1 and
	 \$e[0].process_kprobe.args == [{string_arg: \"vigil-resolve-probe\"}]" "$EV"
[ "$ret1 $ret2" = "ENOENT ok" ] && ok "the return probe's opens behave as without it" ||
	not_ok "the return probe's opens behave as without it" "poke said $ret1, then $ret2"
check "a return probe reports the failed open only, with its return value" \
	"[.[] | select(.process_kprobe.policy_name == \"open-ret\")] as \$e | (\$e | length) == 1 and
	 (\$e[0].process_kprobe | .function_name == \"sys_openat\" and
	  .args[0].string_arg == \"$T/vigil-ret-probe\" and .return.int_arg == -2)" "$EV"
finish
