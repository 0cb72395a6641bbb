// SPDX-License-Identifier: Apache-2.0
/*
 * seeds_tracefs.c - write the seed corpus of fuzz_tracefs: the real
 * format files of tests/tracefs/events (read relative to the repository
 * root, where make runs this), and a few shapes the kernel writes too: a
 * format without fields, one without "print fmt:", __data_loc and
 * __rel_loc fields, arrays, pointers, an attribute in a type.
 *
 *   usage: seeds_tracefs DIR
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seed_file.h"

static void copy_fixture(const char *name, const char *event)
{
	char path[512], buf[65536];
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "tests/tracefs/events/%s/format", event);
	f = fopen(path, "rb");
	if (!f) {
		seed_fail(path);
		return;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	seed_write(name, buf, len);
}

#define HEAD "name: e\nID: 1\nformat:\n"

int main(int argc, char **argv)
{
	if (seed_start(argc, argv))
		return 2;
	copy_fixture("sys_enter_openat", "syscalls/sys_enter_openat");
	copy_fixture("sched_process_exec", "sched/sched_process_exec");
	copy_fixture("raw_sys_enter", "raw_syscalls/sys_enter");
	copy_fixture("sched_switch", "sched/sched_switch");
	SEED("no-fields", "name: e\nID: 1\nformat:\n\nprint fmt: \"\"\n");
	SEED("no-print-fmt", HEAD "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n");
	SEED("locs", HEAD "\tfield:__data_loc char[] name;\toffset:8;\tsize:4;\tsigned:0;\n"
			  "\tfield:__rel_loc char[] msg;\toffset:12;\tsize:4;\tsigned:0;\n"
			  "\tfield:__data_loc u64[] ids;\toffset:16;\tsize:4;\tsigned:0;\n");
	SEED("pointers", HEAD "\tfield:const char * filename;\toffset:8;\tsize:8;\tsigned:0;\n"
			      "\tfield:char * buf;\toffset:16;\tsize:8;\tsigned:0;\n"
			      "\tfield:const void * p;\toffset:24;\tsize:8;\tsigned:0;\n"
			      "\tfield:struct file * file;\toffset:32;\tsize:8;\tsigned:0;\n");
	SEED("arrays", HEAD "\tfield:char comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
			    "\tfield:unsigned long args[6];\toffset:24;\tsize:48;\tsigned:0;\n"
			    "\tfield:u8 saddr[4];\toffset:72;\tsize:4;\tsigned:0;\n");
	SEED("integers", HEAD "\tfield:unsigned char a;\toffset:8;\tsize:1;\tsigned:0;\n"
			      "\tfield:short b;\toffset:10;\tsize:2;\tsigned:1;\n"
			      "\tfield:pid_t c;\toffset:12;\tsize:4;\tsigned:1;\n"
			      "\tfield:long long d;\toffset:16;\tsize:8;\tsigned:1;\n"
			      "\tfield:bool e;\toffset:24;\tsize:1;\tsigned:0;\n"
			      "\tfield:u64 f;\toffset:32;\tsize:8;\tsigned:0;\n"
			      "\tfield:size_t g;\toffset:40;\tsize:8;\tsigned:0;\n"
			      "\tfield:int h;\toffset:48;\tsize:4;\tsigned:1;\n");
	SEED("attribute",
	     HEAD "\tfield:const char * __attribute__((btf_type_tag(\"user\"))) name;\t"
		  "offset:8;\tsize:8;\tsigned:0;\n");
	return seed_failed;
}
