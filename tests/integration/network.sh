#!/bin/sh
# The built-in network sensor (--enable-network-events), host and VM:
# - a TCP exchange on loopback (IPv4 and IPv6) reports exactly one listen,
#   one connect, one accept and three closes (client, accepted socket,
#   listener), with the right tuple, the helper as process, and the
#   kernel's byte counters at the close;
# - UDP: the first datagram each way between two sockets is reported once
#   (out, then in), a second one to the same peer is not;
# - where `ip netns` works: a connect across a veth pair into a network
#   namespace the test made, with the test's own addresses;
# - without the flag nothing of it is reported.
set -u
. "$(dirname "$0")/common.inc"

NP=$(readlink -f "$VIGIL_TEST_BIN/netpeer")
EV="$T/events.json"
P4=47101
P6=47102
PU=47103

start_vigild --enable-network-events --export-filename "$EV" || { finish; exit 1; }
t4=$("$NP" tcp 127.0.0.1 $P4 3000 | tail -n 1)
t6=$("$NP" tcp ::1 $P6 100 | tail -n 1)
u4=$("$NP" udp 127.0.0.1 $PU | tail -n 1)
NS=
if [ "$VIGIL_ENV" = host ] && command -v ip >/dev/null 2>&1 &&
	ip netns add "vigil-net-$$" 2>/dev/null; then
	NS="vigil-net-$$"
	ip link add "vgn$$a" type veth peer name "vgn$$b" &&
		ip link set "vgn$$b" netns "$NS" &&
		ip addr add 10.213.7.1/24 dev "vgn$$a" && ip link set "vgn$$a" up &&
		ip netns exec "$NS" ip addr add 10.213.7.2/24 dev "vgn$$b" &&
		ip netns exec "$NS" ip link set "vgn$$b" up &&
		ip netns exec "$NS" ip link set lo up
	ip netns exec "$NS" "$NP" serve 10.213.7.2 47104 >"$T/serve.out" 2>&1 &
	spid=$!
	i=0
	while ! grep -q listening "$T/serve.out" && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	tn=$("$NP" client 10.213.7.2 47104 500 | tail -n 1)
	wait "$spid"
fi
sleep 1 # the last closes finish their handshakes
stop_vigild
if [ -n "$NS" ]; then
	ip link del "vgn$$a" 2>/dev/null
	ip netns del "$NS"
fi

[ "$t4 $t6 $u4" = "ok ok ok" ] && ok "the helper's TCP and UDP exchanges succeed" ||
	not_ok "the helper's TCP and UDP exchanges succeed" "netpeer said: $t4 / $t6 / $u4"

# net PORT: the helper's network events with PORT on either side, in order
net() {
	echo "[.[] | .process_kprobe | select(. != null and .process.binary == \"$NP\" and
	  (.args[0].sock_arg.sport == $1 or .args[0].sock_arg.dport == $1))]"
}
tcp_checks() { # tcp_checks FAMILY ADDR PORT BYTES
	check "$1: one listen, one connect, one accept, three closes" \
		"$(net "$3") | map(.function_name) | sort ==
		 [\"inet_csk_listen_start\", \"tcp_close\", \"tcp_close\", \"tcp_close\", \"tcp_connect\",
		  \"tcp_set_state\"]" "$EV"
	check "$1: listen reports the listener's address and port, policy tcp-listen" \
		"$(net "$3") | map(select(.function_name == \"inet_csk_listen_start\"))[0] |
		 .policy_name == \"tcp-listen\" and (.args[0].sock_arg | .family == \"$1\" and
		 .saddr == \"$2\" and .sport == $3 and .state == \"TCP_LISTEN\" and .protocol == \"IPPROTO_TCP\")" "$EV"
	check "$1: connect reports the chosen source port and the peer, policy connect" \
		"$(net "$3") | map(select(.function_name == \"tcp_connect\"))[0] |
		 .policy_name == \"connect\" and (.args[0].sock_arg | .saddr == \"$2\" and .daddr == \"$2\" and
		 .dport == $3 and .sport > 0 and .state == \"TCP_SYN_SENT\" and .type == \"SOCK_STREAM\")" "$EV"
	check "$1: accept reports the accepted socket in the accepting process, policy accept" \
		"$(net "$3") | map(select(.function_name == \"tcp_set_state\"))[0] |
		 .policy_name == \"accept\" and .args[0].sock_arg.sport == $3 and .args[0].sock_arg.dport > 0 and
		 .args[1] == {int_arg: 1, label: \"state\"}" "$EV"
	check "$1: the client's close carries the bytes acked and received (SYN and FIN count one each)" \
		"$(net "$3") | map(select(.function_name == \"tcp_close\" and .args[0].sock_arg.dport == $3))[0] |
		 .args[1] == {size_arg: \"$(($4 + 2))\", label: \"bytes_acked\"} and
		 .args[2] == {size_arg: \"$((2 * $4 + 1))\", label: \"bytes_received\"}" "$EV"
}
tcp_checks AF_INET 127.0.0.1 $P4 3000
tcp_checks AF_INET6 ::1 $P6 100
check "UDP: the first datagram out and the first in are reported, once each" \
	"[.[] | .process_kprobe | select(. != null and .process.binary == \"$NP\" and
	  .function_name == \"__cgroup_bpf_run_filter_skb\" and .args[1].skb_arg.dport == $PU)] as \$d |
	 (\$d | length) == 2 and (\$d | map(.args[2].int_arg // 0) | sort) == [0, 1] and
	 (\$d | all(.policy_name == \"datagram\" and .args[1].skb_arg.protocol == \"IPPROTO_UDP\" and
	   .args[1].skb_arg.daddr == \"127.0.0.1\" and .args[0].sock_arg.type == \"SOCK_DGRAM\"))" "$EV"
if [ -n "$NS" ]; then
	[ "$tn" = ok ] && ok "a connect into the test's network namespace succeeds" ||
		not_ok "a connect into the test's network namespace succeeds" "netpeer said: $tn"
	check "the connect into the namespace is reported with the veth addresses" \
		"[.[] | .process_kprobe | select(. != null and .function_name == \"tcp_connect\" and
		  .args[0].sock_arg.dport == 47104)] | length == 1 and
		 (.[0].args[0].sock_arg | .saddr == \"10.213.7.1\" and .daddr == \"10.213.7.2\")" "$EV"
	check "the namespace's accept is reported, in the namespace's server" \
		"[.[] | .process_kprobe | select(. != null and .function_name == \"tcp_set_state\" and
		  .args[0].sock_arg.sport == 47104)] | length == 1 and
		 (.[0].args[0].sock_arg | .saddr == \"10.213.7.2\" and .daddr == \"10.213.7.1\")" "$EV"
elif [ "$VIGIL_ENV" = host ]; then
	not_ok "a network namespace for the veth test" "ip netns add failed or ip is missing"
fi

# Without the flag: nothing.
rm -f "$EV"
start_vigild --export-filename "$EV" || { finish; exit 1; }
"$NP" tcp 127.0.0.1 $P4 10 >/dev/null
stop_vigild
check "without --enable-network-events no network event is reported" \
	"[.[] | .process_kprobe | select(. != null and .policy_name != null)] | length == 0" "$EV"
finish
