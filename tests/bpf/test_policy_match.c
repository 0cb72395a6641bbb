// SPDX-License-Identifier: Apache-2.0
/*
 * test_policy_match - selector matching tested as BPF code.
 *
 * Each case is a TracingPolicy.  It goes through the real compiler (parse,
 * validate, compile for a kernel with BPF-LSM), its hook configuration into
 * the rodata of policy_test.bpf.o (the production policy program plus a
 * raw tracepoint entry) and its value sets into the tries; then each call
 * of the case is run with BPF_PROG_TEST_RUN on argument values written into
 * the test_args map, and the return value (0 or the Override errno) and the
 * ring-buffer event (present or not, action, flags, error, argument records)
 * are checked.  The maps are created by the first program and reused by the
 * others, as the agent does.
 *
 * Sigkill and Signal are only ever run in monitor mode: enforced, they would
 * signal this process.
 *
 * Prints "ok - CASE: CALL" or "not ok - CASE: CALL: WHY" for each call and
 * exits 1 when any failed.  Needs root (BPF).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/types.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "vigil_abi.h"
#include "policy_test.h"
#include "policy_test.skel.h"
#include "parse.h"
#include "plan.h"
#include "policy_load.h"
#include "procfs.h"
#include "sensor.h"
#include "validate.h"

/* --- the cases ------------------------------------------------------------ */

/*
 * Tokens expanded in policies and string arguments:
 *   @PID@        this process's pid
 *   @PPID@       its parent's pid, whose binary is PBIN (@PBIN@): the process
 *                table and proc_bins the runner writes say so
 *   @BIN@        the binary proc_bins names for this process; @BINDIR@ its
 *                directory (with the slash), @BINBASE@ its last component
 *                (with the slash)
 *   @S251@       a 251-byte string (the longest value); @S250@ its first
 *                250 bytes; @S252@ one byte more; @S300@ 49 bytes more;
 *                @T300@ 49 bytes, then @S251@; @S251X@ its last byte
 *                changed, @XS251@ its first byte changed
 *   @INT10K@     10,000 distinct 64-bit numbers, SPREAD * 1 .. SPREAD * 10000
 */
#define BIN	"/opt/vigil-test/bin/policy-matcher"
#define PBIN	"/opt/vigil-test/bin/policy-parent"
#define SPREAD	0x9E3779B97F4A7C15ULL
#define NVALUES 10000

enum mode { ENFORCE = 0, MONITOR, DISABLED };

struct targ {
	int idx1; /* the argument's index + 1; 0: none */
	const char *s;
	uint64_t v;
	uint64_t rec; /* the number the event shows */
};

/* clang-format off */
#define S(i, str)   { .idx1 = (i) + 1, .s = (str) }
#define N(i, n)	    { .idx1 = (i) + 1, .v = (n), .rec = (n) }
#define NR(i, n, r) { .idx1 = (i) + 1, .v = (n), .rec = (r) }
/* clang-format on */

struct tcall {
	const char *name;
	enum mode mode;
	struct targ args[3];
	int ret;	 /* what the program returns */
	uint32_t action; /* the event's action bits; 0: no event */
	int error;	 /* the event's error */
	uint32_t flags;	 /* the event's flags */
};

#define DENIED(e) .ret = (e), .action = VIGIL_ACTION_OVERRIDE | VIGIL_ACTION_POST, .error = (e)
#define ALLOWED	  .ret = 0, .action = 0
#define POSTED	  .ret = 0, .action = VIGIL_ACTION_POST

#define MAX_CALLS 12

struct pcase {
	const char *name;
	const char *yaml;
	struct tcall calls[MAX_CALLS];
};

#define HEAD(name)                         \
	"apiVersion: cilium.io/v1alpha1\n" \
	"kind: TracingPolicy\n"            \
	"metadata: {name: \"" name "\"}\n" \
	"spec:\n"                          \
	"  lsmhooks:\n"

/* A hook with one string argument at index 0 and one selector. */
#define STR_POLICY(name, op, values)                                            \
	HEAD(name)                                                              \
	"  - hook: sb_mount\n"                                                  \
	"    args: [{index: 0, type: string}]\n"                                \
	"    selectors:\n"                                                      \
	"    - matchArgs: [{index: 0, operator: " op ", values: " values "}]\n" \
	"      matchActions: [{action: Override, argError: -1}]\n"

/* A hook with one integer argument of type 'type' at index 2. */
#define INT_POLICY(name, type, op, values)                                      \
	HEAD(name)                                                              \
	"  - hook: file_ioctl\n"                                                \
	"    args: [{index: 2, type: " type "}]\n"                              \
	"    selectors:\n"                                                      \
	"    - matchArgs: [{index: 2, operator: " op ", values: " values "}]\n" \
	"      matchActions: [{action: Override, argError: -1}]\n"

/* A hook whose string argument 0 names the selector under test:
 * KEYED(key, err, filter) matches when argument 0 is key and filter passes,
 * and returns err (Override). */
#define KEYED_HEAD(name)                         \
	HEAD(name)                               \
	"  - hook: sb_mount\n"                   \
	"    args: [{index: 0, type: string}]\n" \
	"    selectors:\n"
#define KEYED(key, err, filter)                                                   \
	"    - matchArgs: [{index: 0, operator: Equal, values: [\"" key "\"]}]\n" \
	"      " filter "\n"                                                      \
	"      matchActions: [{action: Override, argError: " err "}]\n"

static const struct pcase cases[] = {
	{ "string Equal",
	  STR_POLICY("str-equal", "Equal", "[/etc/passwd, \"@S251@\"]"),
	  {
		  { "a listed value matches", .args = { S(0, "/etc/passwd") }, DENIED(-1) },
		  { "a value with a byte more does not match", .args = { S(0, "/etc/passwd2") },
		    ALLOWED },
		  { "a prefix of a value does not match", .args = { S(0, "/etc/passw") }, ALLOWED },
		  { "a 251-byte value matches", .args = { S(0, "@S251@") }, DENIED(-1) },
		  { "its first 250 bytes do not match", .args = { S(0, "@S250@") }, ALLOWED },
		  { "it with its last byte changed does not match", .args = { S(0, "@S251X@") },
		    ALLOWED },
		  { "it with one byte more (252) does not match", .args = { S(0, "@S252@") },
		    ALLOWED },
		  { "a string longer than any value (300) does not match",
		    .args = { S(0, "@S300@") }, ALLOWED },
		  { "the empty string does not match", .args = { S(0, "") }, ALLOWED },
	  } },
	{ "string NotEqual",
	  STR_POLICY("str-notequal", "NotEqual", "[/etc/passwd, \"@S251@\"]"),
	  {
		  { "a listed value does not match", .args = { S(0, "/etc/passwd") }, ALLOWED },
		  { "another value matches", .args = { S(0, "/etc/shadow") }, DENIED(-1) },
		  { "the 251-byte value does not match", .args = { S(0, "@S251@") }, ALLOWED },
		  { "a string longer than any value (300) matches", .args = { S(0, "@S300@") },
		    DENIED(-1) },
	  } },
	{ "string Prefix",
	  STR_POLICY("str-prefix", "Prefix", "[/etc/, \"@S251@\"]"),
	  {
		  { "a string with a listed prefix matches", .args = { S(0, "/etc/passwd") },
		    DENIED(-1) },
		  { "the prefix itself matches", .args = { S(0, "/etc/") }, DENIED(-1) },
		  { "a string shorter than the prefix does not match", .args = { S(0, "/etc") },
		    ALLOWED },
		  { "the prefix elsewhere does not match", .args = { S(0, "/tmp/etc/") }, ALLOWED },
		  { "the 251-byte prefix itself matches", .args = { S(0, "@S251@") }, DENIED(-1) },
		  { "a 300-byte string starting with it matches", .args = { S(0, "@S300@") },
		    DENIED(-1) },
		  { "it with its last byte changed does not match", .args = { S(0, "@S251X@") },
		    ALLOWED },
		  { "its first 250 bytes do not match", .args = { S(0, "@S250@") }, ALLOWED },
	  } },
	{ "string NotPrefix",
	  STR_POLICY("str-notprefix", "NotPrefix", "[/etc/, \"@S251@\"]"),
	  {
		  { "a string without a listed prefix matches", .args = { S(0, "/tmp/x") },
		    DENIED(-1) },
		  { "a string with a listed prefix does not match", .args = { S(0, "/etc/passwd") },
		    ALLOWED },
		  { "a 300-byte string starting with the 251-byte prefix does not match",
		    .args = { S(0, "@S300@") }, ALLOWED },
		  { "the 251-byte prefix with its last byte changed matches",
		    .args = { S(0, "@S251X@") }, DENIED(-1) },
	  } },
	{ "string Postfix",
	  STR_POLICY("str-postfix", "Postfix", "[shadow, \"@S251@\"]"),
	  {
		  { "a string ending with a listed value matches", .args = { S(0, "/etc/shadow") },
		    DENIED(-1) },
		  { "the value itself matches", .args = { S(0, "shadow") }, DENIED(-1) },
		  { "a shorter end does not match", .args = { S(0, "hadow") }, ALLOWED },
		  { "the value followed by a byte does not match", .args = { S(0, "/etc/shadow-") },
		    ALLOWED },
		  { "the 251-byte value itself matches", .args = { S(0, "@S251@") }, DENIED(-1) },
		  { "a 300-byte string ending with it matches", .args = { S(0, "@T300@") },
		    DENIED(-1) },
		  { "it with its first byte changed does not match", .args = { S(0, "@XS251@") },
		    ALLOWED },
		  { "the empty string does not match", .args = { S(0, "") }, ALLOWED },
	  } },
	{ "string NotPostfix",
	  STR_POLICY("str-notpostfix", "NotPostfix", "[shadow, \"@S251@\"]"),
	  {
		  { "a string with another end matches", .args = { S(0, "/etc/hosts") },
		    DENIED(-1) },
		  { "a string ending with a listed value does not match",
		    .args = { S(0, "/etc/shadow") }, ALLOWED },
		  { "a 300-byte string ending with the 251-byte value does not match",
		    .args = { S(0, "@T300@") }, ALLOWED },
		  { "the 251-byte value with its first byte changed matches",
		    .args = { S(0, "@XS251@") }, DENIED(-1) },
		  { "the empty string matches", .args = { S(0, "") }, DENIED(-1) },
	  } },
	{ "integer Equal, 10,000 values",
	  INT_POLICY("int-equal", "uint64", "Equal", "@INT10K@"),
	  {
		  { "the first value matches", .args = { N(2, SPREAD) }, DENIED(-1) },
		  { "the last value matches", .args = { N(2, SPREAD *NVALUES) }, DENIED(-1) },
		  { "a value next to the first does not match", .args = { N(2, SPREAD + 1) },
		    ALLOWED },
		  { "0 does not match", .args = { N(2, 0) }, ALLOWED },
	  } },
	{ "integer NotEqual",
	  INT_POLICY("int-notequal", "int64", "NotEqual", "[0, -2]"),
	  {
		  { "a listed negative value does not match", .args = { N(2, (uint64_t)-2) },
		    ALLOWED },
		  { "listed 0 does not match", .args = { N(2, 0) }, ALLOWED },
		  { "another negative value matches", .args = { N(2, (uint64_t)-1) }, DENIED(-1) },
		  { "another positive value matches", .args = { N(2, 5) }, DENIED(-1) },
	  } },
	{ "integer GT signed",
	  INT_POLICY("int-gt-signed", "int64", "GT", "[-5]"),
	  {
		  { "-3 > -5 matches", .args = { N(2, (uint64_t)-3) }, DENIED(-1) },
		  { "-5 > -5 does not match", .args = { N(2, (uint64_t)-5) }, ALLOWED },
		  { "-7 > -5 does not match", .args = { N(2, (uint64_t)-7) }, ALLOWED },
		  { "3 > -5 matches", .args = { N(2, 3) }, DENIED(-1) },
	  } },
	{ "integer GT unsigned",
	  INT_POLICY("int-gt-unsigned", "uint64", "GT", "[5]"),
	  {
		  { "2^64-1 (the bits of -1) > 5 matches", .args = { N(2, UINT64_MAX) },
		    DENIED(-1) },
		  { "5 > 5 does not match", .args = { N(2, 5) }, ALLOWED },
		  { "6 > 5 matches", .args = { N(2, 6) }, DENIED(-1) },
		  { "0 > 5 does not match", .args = { N(2, 0) }, ALLOWED },
	  } },
	{ "integer LT signed, 32 bits",
	  INT_POLICY("int-lt-signed", "int", "LT", "[0]"),
	  {
		  { "0xffffffff read as int is -1 < 0: matches",
		    .args = { NR(2, 0xffffffffULL, UINT64_MAX) }, DENIED(-1) },
		  { "0x100000001 read as int is 1: does not match",
		    .args = { NR(2, 0x100000001ULL, 1) }, ALLOWED },
		  { "0 < 0 does not match", .args = { N(2, 0) }, ALLOWED },
	  } },
	{ "integer LT unsigned, 32 bits",
	  INT_POLICY("int-lt-unsigned", "uint32", "LT", "[10]"),
	  {
		  { "0xffffffff < 10 does not match", .args = { N(2, 0xffffffffULL) }, ALLOWED },
		  { "0x100000003 read as uint32 is 3 < 10: matches",
		    .args = { NR(2, 0x100000003ULL, 3) }, DENIED(-1) },
		  { "10 < 10 does not match", .args = { N(2, 10) }, ALLOWED },
	  } },
	{ "integer LT unsigned, 64 bits",
	  INT_POLICY("int-lt-unsigned-64", "uint64", "LT", "[10]"),
	  {
		  { "2^64-1 (the bits of -1) < 10 does not match", .args = { N(2, UINT64_MAX) },
		    ALLOWED },
		  { "9 < 10 matches", .args = { N(2, 9) }, DENIED(-1) },
	  } },
	{ "integer Mask",
	  INT_POLICY("int-mask", "uint64", "Mask", "[16, 4]"),
	  {
		  { "a value with bit 2 matches", .args = { N(2, 0x4) }, DENIED(-1) },
		  { "a value with bit 4 matches", .args = { N(2, 0x10) }, DENIED(-1) },
		  { "a value with neither bit does not match",
		    .args = { N(2, 0xffffffffffffffebULL) }, ALLOWED },
	  } },
	{ "matchArgs ANDed",
	  HEAD("and") "  - hook: sb_mount\n"
		      "    args: [{index: 0, type: string}, {index: 2, type: string},\n"
		      "           {index: 3, type: uint64}]\n"
		      "    selectors:\n"
		      "    - matchArgs:\n"
		      "      - {index: 0, operator: Equal, values: [tmpfs]}\n"
		      "      - {index: 2, operator: Prefix, values: [/mnt/]}\n"
		      "      - {index: 3, operator: Mask, values: [1]}\n"
		      "      matchActions: [{action: Override, argError: -1}]\n",
	  {
		  { "all three filters pass: matches",
		    .args = { S(0, "tmpfs"), S(2, "/mnt/x"), N(3, 1) }, DENIED(-1) },
		  { "the first fails: does not match",
		    .args = { S(0, "proc"), S(2, "/mnt/x"), N(3, 1) }, ALLOWED },
		  { "the second fails: does not match",
		    .args = { S(0, "tmpfs"), S(2, "/srv/x"), N(3, 1) }, ALLOWED },
		  { "the third fails: does not match",
		    .args = { S(0, "tmpfs"), S(2, "/mnt/x"), N(3, 2) }, ALLOWED },
	  } },
	{ "selectors ORed",
	  HEAD("or") "  - hook: sb_mount\n"
		     "    args: [{index: 0, type: string}]\n"
		     "    selectors:\n"
		     "    - matchArgs: [{index: 0, operator: Prefix, values: [/a/]}]\n"
		     "      matchActions: [{action: Override, argError: -1}]\n"
		     "    - matchArgs: [{index: 0, operator: Prefix, values: [/a/b/, /b/]}]\n"
		     "      matchActions: [{action: Override, argError: -13}, {action: NoPost}]\n"
		     "    - matchArgs: [{index: 0, operator: Postfix, values: [.log]}]\n"
		     "      matchActions: [{action: Post}]\n",
	  {
		  { "a call only the first selector matches takes its action",
		    .args = { S(0, "/a/x") }, DENIED(-1) },
		  { "a call the first two match takes the first's action",
		    .args = { S(0, "/a/b/x") }, DENIED(-1) },
		  { "a call only the second matches takes its action (NoPost: no event)",
		    .args = { S(0, "/b/x") }, .ret = -13 },
		  { "a call only the third matches is posted, not denied",
		    .args = { S(0, "/c.log") }, POSTED },
		  { "a call all three match takes the first's action",
		    .args = { S(0, "/a/b/c.log") }, DENIED(-1) },
		  { "a call none matches is allowed, no event", .args = { S(0, "/c") }, ALLOWED },
		  { "disabled, a call the first matches does nothing", .mode = DISABLED,
		    .args = { S(0, "/a/x") }, ALLOWED },
		  { "monitor: a call the first matches is reported, not denied", .mode = MONITOR,
		    .args = { S(0, "/a/x") }, .ret = 0,
		    .action = VIGIL_ACTION_OVERRIDE | VIGIL_ACTION_POST, .error = -1,
		    .flags = VIGIL_PEV_F_MONITOR },
	  } },
	{ "matchPIDs",
	  KEYED_HEAD("pids") KEYED("in", "-1", "matchPIDs: [{operator: In, values: [@PID@]}]")
		  KEYED("notin", "-2", "matchPIDs: [{operator: NotIn, values: [@PID@]}]"),
	  {
		  { "In with this process's pid matches", .args = { S(0, "in") }, DENIED(-1) },
		  { "NotIn with this process's pid does not match", .args = { S(0, "notin") },
		    ALLOWED },
	  } },
	{ "matchPIDs followForks, isNamespacePID",
	  KEYED_HEAD("pids-follow") KEYED(
		  "follow", "-1",
		  "matchPIDs: [{operator: In, followForks: true, values: [@PPID@]}]")
		  KEYED("nofollow", "-2", "matchPIDs: [{operator: In, values: [@PPID@]}]") KEYED(
			  "notfollow", "-3",
			  "matchPIDs: [{operator: NotIn, followForks: true, values: [@PPID@]}]")
			  KEYED("nspid", "-4",
				"matchPIDs: [{operator: In, isNamespacePID: true, values: "
				"[@PID@]}]") KEYED("nsfollow", "-5",
						   "matchPIDs: [{operator: In, followForks: true, "
						   "isNamespacePID: true, values: [@PPID@]}]"),
	  {
		  { "followForks: the parent's pid matches its child", .args = { S(0, "follow") },
		    DENIED(-1) },
		  { "without followForks it does not", .args = { S(0, "nofollow") }, ALLOWED },
		  { "NotIn followForks: a descendant of the pid does not match",
		    .args = { S(0, "notfollow") }, ALLOWED },
		  { "isNamespacePID: the pid as the host's pid namespace sees it",
		    .args = { S(0, "nspid") }, DENIED(-4) },
		  { "followForks with isNamespacePID: the parent's pid as its namespace sees it",
		    .args = { S(0, "nsfollow") }, DENIED(-5) },
	  } },
	{ "matchBinaries followChildren",
	  KEYED_HEAD("bin-follow") KEYED(
		  "follow", "-1",
		  "matchBinaries: [{operator: In, followChildren: true, values: [@PBIN@]}]")
		  KEYED("nofollow", "-2", "matchBinaries: [{operator: In, values: [@PBIN@]}]")
			  KEYED("notin", "-3",
				"matchBinaries: [{operator: NotIn, followChildren: true, values: "
				"[@PBIN@]}]")
				  KEYED("parent", "-4",
					"matchParentBinaries: [{operator: In, values: [@PBIN@]}]"),
	  {
		  { "followChildren: a child of the binary matches", .args = { S(0, "follow") },
		    DENIED(-1) },
		  { "without followChildren it does not", .args = { S(0, "nofollow") }, ALLOWED },
		  { "NotIn followChildren: a child of the binary does not match",
		    .args = { S(0, "notin") }, ALLOWED },
		  { "matchParentBinaries names the parent's binary", .args = { S(0, "parent") },
		    DENIED(-4) },
	  } },
	{ "matchCapabilities",
	  KEYED_HEAD("caps") KEYED(
		  "in", "-1",
		  "matchCapabilities: [{type: Effective, operator: In, values: [CAP_SYS_ADMIN]}]")
		  KEYED("notin", "-2",
			"matchCapabilities: [{type: Permitted, operator: NotIn, values: "
			"[CAP_SYS_ADMIN]}]")
			  KEYED("userns", "-3",
				"matchCapabilities: [{type: Effective, operator: In, "
				"isNamespaceCapability: true, values: [CAP_SYS_ADMIN]}]"),
	  {
		  { "Effective In CAP_SYS_ADMIN matches the runner (root)", .args = { S(0, "in") },
		    DENIED(-1) },
		  { "Permitted NotIn CAP_SYS_ADMIN does not match it", .args = { S(0, "notin") },
		    ALLOWED },
		  { "isNamespaceCapability does not match in the host's user namespace",
		    .args = { S(0, "userns") }, ALLOWED },
	  } },
	{ "matchNamespaces",
	  KEYED_HEAD("namespaces") KEYED(
		  "in", "-1",
		  "matchNamespaces: [{namespace: Pid, operator: In, values: [host_ns]},\n"
		  "                  {namespace: Mnt, operator: In, values: [host_ns]}]")
		  KEYED("notin", "-2",
			"matchNamespaces: [{namespace: Pid, operator: NotIn, values: [host_ns]}]")
			  KEYED("other", "-3",
				"matchNamespaces: [{namespace: Net, operator: In, values: [1]}]"),
	  {
		  { "Pid and Mnt In host_ns match in the host's namespaces", .args = { S(0, "in") },
		    DENIED(-1) },
		  { "Pid NotIn host_ns does not match in the host's namespaces",
		    .args = { S(0, "notin") }, ALLOWED },
		  { "Net In another namespace does not match", .args = { S(0, "other") }, ALLOWED },
	  } },
	{ "matchBinaries In, NotIn, Prefix",
	  KEYED_HEAD("binaries-1") KEYED("in", "-1",
					 "matchBinaries: [{operator: In, values: [@BIN@]}]")
		  KEYED("in-other", "-2",
			"matchBinaries: [{operator: In, values: [/usr/bin/other]}]")
			  KEYED("notin", "-3",
				"matchBinaries: [{operator: NotIn, values: [@BIN@]}]")
				  KEYED("notin-other", "-4",
					"matchBinaries: [{operator: NotIn, values: "
					"[/usr/bin/other]}]")
					  KEYED("prefix", "-5",
						"matchBinaries: [{operator: Prefix, values: "
						"[/usr/, @BINDIR@]}]"),
	  {
		  { "In with this process's binary matches", .args = { S(0, "in") }, DENIED(-1) },
		  { "In with another binary does not match", .args = { S(0, "in-other") },
		    ALLOWED },
		  { "NotIn with this process's binary does not match", .args = { S(0, "notin") },
		    ALLOWED },
		  { "NotIn with another binary matches", .args = { S(0, "notin-other") },
		    DENIED(-4) },
		  { "Prefix with its directory matches", .args = { S(0, "prefix") }, DENIED(-5) },
	  } },
	{ "matchBinaries Postfix, NotPrefix, NotPostfix",
	  KEYED_HEAD("binaries-2") KEYED(
		  "postfix", "-1", "matchBinaries: [{operator: Postfix, values: [@BINBASE@]}]")
		  KEYED("postfix-other", "-2",
			"matchBinaries: [{operator: Postfix, values: [/other, matcher/]}]")
			  KEYED("notprefix", "-3",
				"matchBinaries: [{operator: NotPrefix, values: [@BINDIR@]}]")
				  KEYED("notpostfix", "-4",
					"matchBinaries: [{operator: NotPostfix, values: "
					"[@BINBASE@]}]"),
	  {
		  { "Postfix with its last component matches", .args = { S(0, "postfix") },
		    DENIED(-1) },
		  { "Postfix with other ends does not match", .args = { S(0, "postfix-other") },
		    ALLOWED },
		  { "NotPrefix with its directory does not match", .args = { S(0, "notprefix") },
		    ALLOWED },
		  { "NotPostfix with its last component does not match",
		    .args = { S(0, "notpostfix") }, ALLOWED },
	  } },
	{ "monitor mode",
	  KEYED_HEAD("monitor") "    - matchArgs: [{index: 0, operator: Equal, values: [kill]}]\n"
				"      matchActions: [{action: Sigkill}, {action: Override, "
				"argError: -1}]\n"
				"    - matchArgs: [{index: 0, operator: Equal, values: [signal]}]\n"
				"      matchActions: [{action: Signal, argSig: 10}]\n",
	  {
		  { "Sigkill (and Override) are reported as would-be, not taken", .mode = MONITOR,
		    .args = { S(0, "kill") }, .ret = 0,
		    .action = VIGIL_ACTION_SIGKILL | VIGIL_ACTION_OVERRIDE | VIGIL_ACTION_POST,
		    .error = -1, .flags = VIGIL_PEV_F_MONITOR },
		  { "Signal is reported as would-be, not sent", .mode = MONITOR,
		    .args = { S(0, "signal") }, .ret = 0,
		    .action = VIGIL_ACTION_SIGNAL | VIGIL_ACTION_POST,
		    .flags = VIGIL_PEV_F_MONITOR },
		  { "a call no selector matches is not reported", .mode = MONITOR,
		    .args = { S(0, "other") }, ALLOWED },
	  } },
	{ "no selectors",
	  HEAD("no-selectors") "  - hook: sb_mount\n"
			       "    args: [{index: 0, type: string}, {index: 3, type: uint64}]\n",
	  {
		  { "every call is posted, with its arguments",
		    .args = { S(0, "/dev/sda1"), N(3, 0x8000000000000001ULL) }, POSTED },
		  { "disabled, nothing is posted", .mode = DISABLED,
		    .args = { S(0, "/dev/sda1"), N(3, 1) }, ALLOWED },
		  { "a string longer than the buffer is cut and flagged",
		    .args = { S(0, "@S300@@S300@"), N(3, 1) }, POSTED, .flags = VIGIL_PEV_F_TRUNC },
	  } },
};

/* --- text ----------------------------------------------------------------- */

struct sbuf {
	char *p;
	size_t len, cap;
	int err;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	char *p;
	size_t cap;

	if (b->err)
		return;
	if (b->len + n + 1 > b->cap) {
		cap = (b->len + n + 1) * 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->err = -ENOMEM;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

__attribute__((format(printf, 2, 3))) static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		b->err = -EOVERFLOW;
		return;
	}
	sb_add(b, tmp, (size_t)n);
}

struct token {
	const char *name;
	char *value;
};

enum {
	T_PID,
	T_PPID,
	T_PBIN,
	T_BIN,
	T_BINDIR,
	T_BINBASE,
	T_S251,
	T_S250,
	T_S252,
	T_S300,
	T_T300,
	T_S251X,
	T_XS251,
	T_INT10K,
	T_COUNT
};

static struct token tokens[T_COUNT] = {
	[T_PID] = { "PID" },	 [T_PPID] = { "PPID" },	    [T_PBIN] = { "PBIN" },
	[T_BIN] = { "BIN" },	 [T_BINDIR] = { "BINDIR" }, [T_BINBASE] = { "BINBASE" },
	[T_S251] = { "S251" },	 [T_S250] = { "S250" },	    [T_S252] = { "S252" },
	[T_S300] = { "S300" },	 [T_T300] = { "T300" },	    [T_S251X] = { "S251X" },
	[T_XS251] = { "XS251" }, [T_INT10K] = { "INT10K" },
};

static char *dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}

static int make_tokens(void)
{
	char s251[252], pad[50], buf[512];
	struct sbuf b = { 0 };
	size_t i;

	/* a byte pattern that depends on the position: a reversed or shifted
	 * compare cannot pass by chance */
	s251[0] = '/';
	for (i = 1; i < 251; i++)
		s251[i] = (char)('a' + (i * 7) % 26);
	s251[251] = 0;
	memset(pad, 'q', 49);
	pad[0] = '/';
	pad[49] = 0;

	snprintf(buf, sizeof(buf), "%d", (int)getpid());
	tokens[T_PID].value = strdup(buf);
	snprintf(buf, sizeof(buf), "%d", (int)getppid());
	tokens[T_PPID].value = strdup(buf);
	tokens[T_PBIN].value = strdup(PBIN);
	tokens[T_BIN].value = strdup(BIN);
	tokens[T_BINDIR].value = dup_n(BIN, (size_t)(strrchr(BIN, '/') - BIN) + 1);
	tokens[T_BINBASE].value = strdup(strrchr(BIN, '/'));
	tokens[T_S251].value = strdup(s251);
	tokens[T_S250].value = dup_n(s251, 250);
	snprintf(buf, sizeof(buf), "%sq", s251);
	tokens[T_S252].value = strdup(buf);
	snprintf(buf, sizeof(buf), "%s%s", s251, pad);
	tokens[T_S300].value = strdup(buf);
	snprintf(buf, sizeof(buf), "%s%s", pad, s251);
	tokens[T_T300].value = strdup(buf);
	snprintf(buf, sizeof(buf), "%s", s251);
	buf[250] = '0';
	tokens[T_S251X].value = strdup(buf);
	buf[250] = s251[250];
	buf[0] = '+';
	tokens[T_XS251].value = strdup(buf);

	sb_add(&b, "[", 1);
	for (i = 1; i <= NVALUES; i++)
		sb_printf(&b, "%s%llu", i > 1 ? ", " : "", (unsigned long long)(SPREAD * i));
	sb_add(&b, "]", 1);
	if (b.err)
		return b.err;
	tokens[T_INT10K].value = b.p;

	for (i = 0; i < T_COUNT; i++)
		if (!tokens[i].value)
			return -ENOMEM;
	return 0;
}

/* The text with its @NAME@ tokens replaced; the caller frees it. */
static char *expand(const char *text)
{
	struct sbuf b = { 0 };
	const char *p = text, *at, *end;
	size_t i, n;

	sb_add(&b, "", 0);
	while ((at = strchr(p, '@'))) {
		sb_add(&b, p, (size_t)(at - p));
		end = strchr(at + 1, '@');
		n = end ? (size_t)(end - at - 1) : 0;
		for (i = 0; i < T_COUNT && end; i++)
			if (strlen(tokens[i].name) == n && !strncmp(at + 1, tokens[i].name, n))
				break;
		if (!end || i == T_COUNT) {
			fprintf(stderr, "test_policy_match: unknown token in %s\n", text);
			free(b.p);
			return NULL;
		}
		sb_add(&b, tokens[i].value, strlen(tokens[i].value));
		p = end + 1;
	}
	sb_add(&b, p, strlen(p));
	if (b.err) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

/* --- the rig: maps, ring buffer, results ----------------------------------- */

struct capture {
	unsigned n;
	size_t size;
	unsigned char ev[sizeof(struct vigil_policy_event) + 16384];
};

#define MAX_MAPS 32

struct rig {
	/* every map of the program, made by the first one loaded */
	struct {
		char name[BPF_OBJ_NAME_LEN];
		int fd;
	} maps[MAX_MAPS];
	size_t nmaps;
	struct vigil_shared_maps m; /* those of them the agent shares */
	int args;		    /* test_args */
	struct ring_buffer *rb;
	struct capture cap;
	struct vigil_kernel_features kf;
	unsigned passed, failed;
};

static int on_event(void *ctx, void *data, size_t size)
{
	struct capture *c = ctx;

	c->n++;
	c->size = size < sizeof(c->ev) ? size : sizeof(c->ev);
	memcpy(c->ev, data, c->size);
	return 0;
}

static void report(struct rig *r, const char *cname, const char *call, const char *why)
{
	if (!why[0]) {
		printf("ok - %s: %s\n", cname, call);
		r->passed++;
	} else {
		printf("not ok - %s: %s: %s\n", cname, call, why);
		r->failed++;
	}
	fflush(stdout);
}

/* --- one policy -> one loaded test program --------------------------------- */

static int compile(struct rig *r, const char *name, const char *yaml, uint32_t id,
		   struct vigil_policy **p, struct vigil_plan *plan, char *why, size_t whysz)
{
	struct vigil_diags ds = { 0 };
	char line[1024];
	size_t i;
	int ret;

	ret = vigil_policy_parse(name, yaml, strlen(yaml), p, &ds);
	if (!ret)
		ret = vigil_policy_validate(*p, NULL, &ds);
	if (!ret)
		ret = vigil_policy_compile(*p, &r->kf, id, plan, &ds);
	if (ret) {
		snprintf(why, whysz, "the policy does not compile (%s)", strerror(-ret));
		for (i = 0; i < ds.n; i++)
			if (ds.d[i].sev == VIGIL_DIAG_ERROR) {
				vigil_diag_format(&ds.d[i], line, sizeof(line));
				snprintf(why, whysz, "the policy does not compile: %.900s", line);
				break;
			}
	} else if (plan->nhooks != 1 || plan->hooks[0].attach != VIGIL_ATTACH_LSM) {
		snprintf(why, whysz, "the plan has %zu hooks, the first attached as %d",
			 plan->nhooks, plan->nhooks ? (int)plan->hooks[0].attach : 0);
		ret = -EINVAL;
	}
	vigil_diags_free(&ds);
	return ret;
}

/* The rig's descriptor of the map named name, or -1. */
static int rig_map(const struct rig *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nmaps; i++)
		if (!strcmp(r->maps[i].name, name))
			return r->maps[i].fd;
	return -1;
}

/* Keep the maps the first program made (every map but its own data). */
static int keep_maps(struct rig *r, struct policy_test_bpf *skel)
{
	struct bpf_map *map;
	int fd;

	for (map = bpf_object__next_map(skel->obj, NULL); map;
	     map = bpf_object__next_map(skel->obj, map)) {
		if (bpf_map__is_internal(map) || rig_map(r, bpf_map__name(map)) >= 0)
			continue;
		if (r->nmaps == MAX_MAPS)
			return -E2BIG;
		fd = dup(bpf_map__fd(map));
		if (fd < 0)
			return -errno;
		snprintf(r->maps[r->nmaps].name, sizeof(r->maps[0].name), "%s", bpf_map__name(map));
		r->maps[r->nmaps++].fd = fd;
	}
	r->m.events = rig_map(r, "events");
	r->m.proc_table = rig_map(r, "proc_table");
	r->m.proc_bins = rig_map(r, "proc_bins");
	r->m.stats = rig_map(r, "stats");
	r->m.str_sets = rig_map(r, "str_sets");
	r->m.num_sets = rig_map(r, "num_sets");
	r->m.policy_state = rig_map(r, "policy_state");
	r->m.policy_scope = rig_map(r, "policy_scope");
	r->args = rig_map(r, "test_args");
	return 0;
}

/* Open the test program with the hook's configuration, on the rig's maps
 * (the first one made them), and load its test entry. */
static int load(struct rig *r, const struct vigil_plan_hook *ph, struct policy_test_bpf **out,
		char *why, size_t whysz)
{
	struct policy_test_bpf *skel = policy_test_bpf__open();
	struct bpf_map *map;
	int ret = 0, fd;

	if (!skel) {
		ret = -errno;
		snprintf(why, whysz, "open the test program: %s", strerror(-ret));
		return ret;
	}
	/* only the test entry: the hook entries need what the host may lack */
	bpf_program__set_autoload(skel->progs.vigil_lsm, false);
	bpf_program__set_autoload(skel->progs.vigil_kprobe, false);
	bpf_program__set_autoload(skel->progs.vigil_tp, false);
	bpf_program__set_autoload(skel->progs.vigil_exec_tp, false);
	bpf_program__set_autoload(skel->progs.vigil_raw_tp, false);
	bpf_program__set_autoload(skel->progs.vigil_kretprobe, false);
	bpf_program__set_autoload(skel->progs.vigil_connect4, false);
	bpf_program__set_autoload(skel->progs.vigil_connect6, false);
	bpf_program__set_autoload(skel->progs.vigil_sendmsg4, false);
	bpf_program__set_autoload(skel->progs.vigil_sendmsg6, false);
	memcpy((void *)&skel->rodata->cfg, &ph->cfg, sizeof(ph->cfg));
	if (!r->nmaps) {
		/* small: the tests need little room */
		ret = bpf_map__set_max_entries(skel->maps.events, 256 * 1024);
		if (!ret)
			ret = bpf_map__set_max_entries(skel->maps.proc_table, 1024);
	}
	for (map = bpf_object__next_map(skel->obj, NULL); map;
	     map = bpf_object__next_map(skel->obj, map)) {
		fd = bpf_map__is_internal(map) ? -1 : rig_map(r, bpf_map__name(map));
		if (!ret && fd >= 0)
			ret = bpf_map__reuse_fd(map, fd);
	}
	if (ret) {
		snprintf(why, whysz, "prepare the maps: %s", strerror(-ret));
		goto fail;
	}
	ret = policy_test_bpf__load(skel);
	if (ret) {
		snprintf(why, whysz, "load the test program: %s", strerror(-ret));
		goto fail;
	}
	ret = keep_maps(r, skel);
	if (ret) {
		snprintf(why, whysz, "keep the maps: %s", strerror(-ret));
		goto fail;
	}
	*out = skel;
	return 0;
fail:
	policy_test_bpf__destroy(skel);
	return ret;
}

/* The first program made the maps: the ring buffer reader, and this
 * process's binary in proc_bins. */
static int rig_start(struct rig *r, char *why, size_t whysz)
{
	struct vigil_proc_bin bin = { 0 };
	struct vigil_proc_entry pe = { 0 };
	uint32_t tgid = (uint32_t)getpid(), ptgid = (uint32_t)getppid();
	int ret;

	r->rb = ring_buffer__new(r->m.events, on_event, &r->cap, NULL);
	if (!r->rb) {
		ret = -errno;
		snprintf(why, whysz, "read the ring buffer: %s", strerror(-ret));
		return ret;
	}
	snprintf(bin.cur, sizeof(bin.cur), "%s", BIN);
	bin.cur_len = (uint32_t)strlen(bin.cur);
	if (bpf_map_update_elem(r->m.proc_bins, &tgid, &bin, BPF_ANY)) {
		ret = -errno;
		snprintf(why, whysz, "write this process's binary: %s", strerror(-ret));
		return ret;
	}
	/* its parent, for followForks and followChildren */
	pe.parent.pid = ptgid;
	snprintf(bin.cur, sizeof(bin.cur), "%s", PBIN);
	bin.cur_len = (uint32_t)strlen(bin.cur);
	if (bpf_map_update_elem(r->m.proc_table, &tgid, &pe, BPF_ANY) ||
	    bpf_map_update_elem(r->m.proc_bins, &ptgid, &bin, BPF_ANY)) {
		ret = -errno;
		snprintf(why, whysz, "write the parent's process entry: %s", strerror(-ret));
		return ret;
	}
	return 0;
}

/* --- one call --------------------------------------------------------------- */

static bool signals(const struct vigil_hook_cfg *cfg)
{
	unsigned i;

	for (i = 0; i < cfg->nsel && i < VIGIL_SELECTORS; i++)
		if (cfg->sel[i].actions & (VIGIL_ACTION_SIGKILL | VIGIL_ACTION_SIGNAL))
			return true;
	return false;
}

/* The slot of the hook's argument index idx, or -1. */
static int slot_of(const struct vigil_hook_cfg *cfg, unsigned idx)
{
	unsigned i;

	for (i = 0; i < cfg->nargs; i++)
		if (cfg->args[i].index == idx)
			return (int)i;
	return -1;
}

/* Check the argument records of event ev against the call's arguments. */
static void check_args(const struct vigil_hook_cfg *cfg, const struct tcall *t, char *const *strs,
		       const struct vigil_policy_event *ev, size_t size, char *why, size_t whysz)
{
	const struct vigil_arg_rec *recs[VIGIL_HOOK_ARGS] = { 0 };
	size_t off = 0, i;

	if (ev->nargs != cfg->nargs) {
		snprintf(why, whysz, "the event has %u arguments, the hook %u", ev->nargs,
			 cfg->nargs);
		return;
	}
	for (i = 0; i < ev->nargs; i++) {
		const struct vigil_arg_rec *rec = (const void *)(ev->data + off);

		if (sizeof(*ev) + off + sizeof(*rec) > size || rec->slot != i) {
			snprintf(why, whysz, "argument record %zu is cut or out of order", i);
			return;
		}
		recs[i] = rec;
		off += sizeof(*rec) + rec->len;
	}
	if (sizeof(*ev) + off != size || off != ev->data_len) {
		snprintf(why, whysz, "the records take %zu bytes, the event says %u, it has %zu",
			 off, ev->data_len, size - sizeof(*ev));
		return;
	}
	for (i = 0; i < sizeof(t->args) / sizeof(t->args[0]); i++) {
		const struct targ *a = &t->args[i];
		const struct vigil_arg_rec *rec;
		int slot;

		if (!a->idx1)
			continue;
		slot = slot_of(cfg, (unsigned)a->idx1 - 1);
		rec = slot < 0 ? NULL : recs[slot];
		if (!rec) {
			snprintf(why, whysz, "no record of argument %d", a->idx1 - 1);
			return;
		}
		if (rec->type != cfg->args[slot].type) {
			snprintf(why, whysz, "argument %d: record type %u, hook type %u",
				 a->idx1 - 1, rec->type, cfg->args[slot].type);
			return;
		}
		/* A string longer than the slot arrives cut to its first
		 * VIGIL_PATH_BUF - 1 bytes, NUL-terminated, and flagged. */
		if (a->s && strlen(strs[i]) >= VIGIL_PATH_BUF) {
			const char *got = (const char *)(rec + 1);

			if (rec->len != VIGIL_PATH_BUF || rec->flags != 1 ||
			    memcmp(got, strs[i], VIGIL_PATH_BUF - 1) || got[VIGIL_PATH_BUF - 1]) {
				snprintf(
					why, whysz,
					"argument %d: a cut string has a record of %u bytes (flags "
					"%#x), not the first %d bytes, flagged",
					a->idx1 - 1, rec->len, rec->flags, VIGIL_PATH_BUF - 1);
				return;
			}
			continue;
		}
		if (a->s && (rec->len != strlen(strs[i]) + 1 || rec->flags ||
			     memcmp(rec + 1, strs[i], rec->len))) {
			snprintf(why, whysz,
				 "argument %d: the record has %u bytes (flags %#x), not \"%.40s\" "
				 "(%zu with its NUL)",
				 a->idx1 - 1, rec->len, rec->flags, strs[i], strlen(strs[i]) + 1);
			return;
		}
		if (!a->s && (rec->num != a->rec || rec->len)) {
			snprintf(why, whysz, "argument %d: the record has %#llx, not %#llx",
				 a->idx1 - 1, (unsigned long long)rec->num,
				 (unsigned long long)a->rec);
			return;
		}
	}
}

static void check_event(struct rig *r, const struct vigil_hook_cfg *cfg, const struct tcall *t,
			char *const *strs, char *why, size_t whysz)
{
	const struct vigil_policy_event *ev = (const void *)r->cap.ev;

	if (!t->action) {
		if (r->cap.n)
			snprintf(why, whysz, "%u events, none expected (action %#x)", r->cap.n,
				 ev->action);
		return;
	}
	if (r->cap.n != 1) {
		snprintf(why, whysz, "%u events, one expected", r->cap.n);
		return;
	}
	if (r->cap.size < sizeof(*ev) || ev->hdr.type != VIGIL_MSG_POLICY ||
	    ev->hdr.size != r->cap.size) {
		snprintf(why, whysz, "not a policy event of its size (%zu bytes)", r->cap.size);
		return;
	}
	if (ev->proc.pid != (uint32_t)getpid() || ev->tid != (uint32_t)gettid() ||
	    ev->hook != cfg->hook) {
		snprintf(why, whysz, "the event names pid %u tid %u hook %#x", ev->proc.pid,
			 ev->tid, ev->hook);
		return;
	}
	if (ev->action != t->action || ev->flags != t->flags || ev->error != t->error) {
		snprintf(why, whysz,
			 "the event has action %#x flags %#x error %d, not action %#x flags %#x "
			 "error %d",
			 ev->action, ev->flags, ev->error, t->action, t->flags, t->error);
		return;
	}
	check_args(cfg, t, strs, ev, r->cap.size, why, whysz);
}

static void run_call(struct rig *r, struct policy_test_bpf *skel, uint32_t id,
		     const struct vigil_hook_cfg *cfg, const struct tcall *t, char *why,
		     size_t whysz)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct vigil_test_args *in = calloc(1, sizeof(*in));
	char *strs[sizeof(t->args) / sizeof(t->args[0])] = { 0 };
	uint32_t zero = 0;
	size_t i;
	int ret;

	if (!in) {
		snprintf(why, whysz, "out of memory");
		return;
	}
	/* Enforced, Sigkill or Signal would hit this process. */
	if (t->mode != MONITOR && signals(cfg)) {
		snprintf(why, whysz, "refused: Sigkill or Signal outside monitor mode");
		goto out;
	}
	for (i = 0; i < sizeof(t->args) / sizeof(t->args[0]); i++) {
		const struct targ *a = &t->args[i];
		unsigned idx = (unsigned)a->idx1 - 1;

		if (!a->idx1)
			continue;
		if (!a->s) {
			in->num[idx] = a->v;
			continue;
		}
		strs[i] = expand(a->s);
		if (!strs[i] || strlen(strs[i]) >= VIGIL_TEST_STR) {
			snprintf(why, whysz, "argument %u: cannot expand %s", idx, a->s);
			goto out;
		}
		strcpy(in->str[idx], strs[i]);
		in->str_mask |= 1U << idx;
	}
	ret = vigil_policy_set_state(&r->m, id, t->mode != DISABLED, t->mode == MONITOR);
	if (!ret && bpf_map_update_elem(r->args, &zero, in, BPF_ANY))
		ret = -errno;
	if (ret) {
		snprintf(why, whysz, "set the policy state and the arguments: %s", strerror(-ret));
		goto out;
	}
	ring_buffer__consume(r->rb);
	r->cap.n = 0;
	if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.vigil_test_call), &opts)) {
		snprintf(why, whysz, "BPF_PROG_TEST_RUN: %s", strerror(errno));
		goto out;
	}
	ring_buffer__consume(r->rb);
	if ((int)opts.retval != t->ret) {
		snprintf(why, whysz, "returned %d, not %d", (int)opts.retval, t->ret);
		goto out;
	}
	check_event(r, cfg, t, strs, why, whysz);
out:
	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		free(strs[i]);
	free(in);
}

/* --- one case: compile, load, call ------------------------------------------ */

static void run_case(struct rig *r, const struct pcase *c, uint32_t id)
{
	struct policy_test_bpf *skel = NULL;
	struct vigil_policy *p = NULL;
	struct vigil_plan plan = { 0 };
	char why[1024] = "";
	const struct tcall *t;
	char *yaml = expand(c->yaml);
	bool first = !r->nmaps;

	if (!yaml) {
		snprintf(why, sizeof(why), "cannot expand the policy");
		goto fail;
	}
	if (compile(r, c->name, yaml, id, &p, &plan, why, sizeof(why)))
		goto fail;
	if (load(r, &plan.hooks[0], &skel, why, sizeof(why)))
		goto fail;
	if (first && rig_start(r, why, sizeof(why)))
		goto fail;
	if (vigil_plan_insert_sets(&plan, &r->m, why, sizeof(why)))
		goto fail;
	for (t = c->calls; t < c->calls + MAX_CALLS && t->name; t++) {
		why[0] = 0;
		run_call(r, skel, id, &plan.hooks[0].cfg, t, why, sizeof(why));
		report(r, c->name, t->name, why);
	}
	vigil_policy_set_state(&r->m, id, false, false);
	goto out;
fail:
	/* each call of the case fails with the reason */
	for (t = c->calls; t < c->calls + MAX_CALLS && t->name; t++)
		report(r, c->name, t->name, why);
out:
	policy_test_bpf__destroy(skel);
	vigil_plan_free(&plan);
	vigil_policy_free(p);
	free(yaml);
}

int main(void)
{
	struct rig r = {
		.kf = { .lsm = true, .exec_tracepoint = true, .signal = true },
	};
	size_t i;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = make_tokens();
	if (ret) {
		fprintf(stderr, "test_policy_match: %s\n", strerror(-ret));
		return 1;
	}
	vigil_host_ns(r.kf.host_ns);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&r, &cases[i], (uint32_t)i + 1);
	ring_buffer__free(r.rb);
	for (i = 0; i < r.nmaps; i++)
		close(r.maps[i].fd);
	for (i = 0; i < T_COUNT; i++)
		free(tokens[i].value);
	fprintf(stderr, "test_policy_match: %u passed, %u failed\n", r.passed, r.failed);
	return r.failed ? 1 : 0;
}
