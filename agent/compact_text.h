/* SPDX-License-Identifier: Apache-2.0 */
/*
 * compact_text.h - the pieces of a compact event line, shared by vigild's
 * compact encoder (encode_compact.c, from an agent event) and the CLI's
 * renderer (cli/render.c, from a GetEventsResponse message), so that the
 * two print the same bytes for the same event:
 *
 *   🚀 process <source> <binary> <arguments>
 *   💥 exit    <source> <binary> <arguments> <status or signal>
 *   💀 killed  <source> <binary> <arguments> <function> <argument values>
 *   🔒 denied  (Override), ⛔ denied (Override of a connect), 🔌 connect
 *   (tcp_connect reported), 🧹 close (tcp_close: "sent 1.2 KB recv 4.5 KB"
 *   for its byte counters), 📬 accept (tcp_set_state), 👂 listen
 *   (inet_csk_listen_start), 📨 datagram (a UDP peer), 🔍 kprobe,
 *   tracepoint and lsm (reported only); in monitor mode "would-kill" and
 *   "would-deny"
 *
 * <source> is "namespace/pod" for a pod, the short container id for a
 * container, the node name otherwise.
 *
 * The line is meant for a terminal, so an untrusted string must not forge a
 * line, drive the terminal or reorder what is shown.  A string holding any
 * of these is printed quoted, with each of them escaped:
 *   - C0 controls and DEL, as \xNN;
 *   - C1 controls U+0080..U+009F (CSI U+009B, OSC U+009D, ...), as \u{9b};
 *   - invisible and bidi format characters U+061C, U+200B..U+200F,
 *     U+202A..U+202E, U+2060..U+2069 and U+FEFF, as \u{202e};
 *   - bytes that are not valid UTF-8, as \xNN each (a raw 0x9b is \x9b).
 * Inside quotes, '"' and '\' are escaped with a backslash.  Other valid
 * UTF-8 ("é", "日本") is printed as it is.  Arguments are space-separated
 * and carry Tetragon's quotes by nature: only the characters above make
 * them quoted.  Other fields are also quoted when they hold a space or '"'.
 */
#ifndef VIGIL_COMPACT_TEXT_H
#define VIGIL_COMPACT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "encode.h"

/* s[0..len) as one word: as it is when it needs no escaping (and, unless
 * space_ok, holds no space or '"'), else quoted and escaped. */
void vigil_put_quoted_len(FILE *out, const char *s, size_t len, bool space_ok);

/* The same for a NUL-terminated s; NULL prints nothing. */
void vigil_put_quoted(FILE *out, const char *s, bool space_ok);

enum vigil_compact_tag {
	VIGIL_TAG_PROCESS,
	VIGIL_TAG_EXIT,
	VIGIL_TAG_KILLED,
	VIGIL_TAG_DENIED,
	VIGIL_TAG_CONNECT,
	VIGIL_TAG_KPROBE,
	VIGIL_TAG_TRACEPOINT,
	VIGIL_TAG_LSM,
	VIGIL_TAG_LOST, /* a stream's own report of events it did not get */
	VIGIL_TAG_CLOSE,
	VIGIL_TAG_ACCEPT,
	VIGIL_TAG_LISTEN,
	VIGIL_TAG_DATAGRAM,
	VIGIL_TAG_DENIED_CONNECT,
	VIGIL_TAG_COUNT,
};

/* The tag of a policy event of kind, whose selector killed (kill) or
 * denied (deny, Override) or did neither, on function. */
enum vigil_compact_tag vigil_compact_policy_tag(enum vigil_out_policy_kind kind, bool kill,
						bool deny, const char *function);

/* "<emoji> <word, 7 wide> "; monitor turns killed and denied into
 * would-kill and would-deny. */
void vigil_compact_put_tag(FILE *out, enum vigil_compact_tag tag, bool monitor);

/* "<source> <binary>[ <arguments>]": the source is "ns/pod" when pod_name
 * is not empty, else the first 12 bytes of container_id when it is not
 * empty, else node.  NULL is "". */
void vigil_compact_put_process(FILE *out, const char *pod_ns, const char *pod_name,
			       const char *container_id, const char *node, const char *binary,
			       const char *args);

/* "ADDR:PORT", or "[ADDR]:PORT" for an IPv6 socket. */
void vigil_compact_put_endpoint(FILE *out, bool v6, const char *addr, unsigned int port);

/* A protocol by its name: "IPPROTO_TCP" as "tcp"; a number as it is. */
void vigil_compact_put_protocol(FILE *out, const char *name);

/* An integer argument as the JSON export types it (int_arg, uint_arg,
 * size_arg, long_arg): num cut to that type's width and sign. */
void vigil_compact_put_int(FILE *out, enum vigil_int_arg kind, uint64_t num);

/* An integer argument with its label: the network sensor's byte counters
 * ("bytes_acked", "bytes_received") as "sent 1.2 KB" and "recv 4.5 KB",
 * anything else as vigil_compact_put_int(). */
void vigil_compact_put_labeled_int(FILE *out, const char *label, enum vigil_int_arg kind,
				   uint64_t num);

/* A capability argument: its name, or its number when it has none. */
void vigil_compact_put_capability(FILE *out, const char *name, int32_t value);

/* A cred argument: "uid=U euid=U gid=G egid=G". */
void vigil_compact_put_cred(FILE *out, uint32_t uid, uint32_t euid, uint32_t gid, uint32_t egid);

#endif
