# vigil - top-level build.  Everything is built out of tree into $(BUILD).
#
#   make            build vigild, vigil and the BPF objects
#   sudo make run   install missing packages, build, start vigild (JSON on stdout)
#   make check      install missing packages, build, run every test suite
#   make bench      benchmarks (not part of check)
#   make fuzz       run each libFuzzer target for FUZZ_SECONDS (check runs them briefly)
#   make clean

BUILD    ?= build
CC       ?= gcc
CLANG    ?= clang
BPFTOOL  ?= bpftool
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
RUN_ARGS ?=

ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')

# protobuf-c: the C code of the API's messages is generated at build time
# (see "API" below).  PROTOBUF_C__NO_DEPRECATED: the deprecated fields the
# API still fills for older clients are plain fields to C.
PROTOC_C ?= protoc-c
PROTOBUF_C_CFLAGS := $(shell pkg-config --cflags libprotobuf-c 2>/dev/null)
PROTOBUF_C_LIBS   := $(shell pkg-config --libs libprotobuf-c 2>/dev/null || echo -lprotobuf-c)
API_GEN := $(BUILD)/api-gen

CFLAGS_COMMON := -std=gnu11 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
	-Ibpf-lsm -Iagent -Ipolicy -Iapi -Icli -I$(BUILD)/bpf -I$(API_GEN) \
	-DPROTOBUF_C__NO_DEPRECATED $(PROTOBUF_C_CFLAGS) -MMD -MP
CFLAGS   ?= -O2
# The gRPC C core (the API's server and the CLI's client, api/server.c and
# api/client.c); its C API needs only these two of pkg-config's long list.
GRPC_LIBS ?= -lgrpc -lgpr
LDLIBS   := -lbpf -lelf -lz -ljson-c -lyaml -lresolv -lpcre2-8 -lcurl -lcrypto $(PROTOBUF_C_LIBS) $(GRPC_LIBS) \
	-lpthread
CLI_LDLIBS := -lbpf -lelf -lz -lyaml -ljson-c -lresolv -lpcre2-8 -lcurl -lcrypto $(PROTOBUF_C_LIBS) \
	$(GRPC_LIBS) -lpthread
# Objects, then the project's libraries as one group: the agent core and the
# API use each other (the pipeline builds API messages, the API's encoders
# use the agent's helpers).
LINK_INPUTS = $(filter-out %.a,$^) -Wl,--start-group $(filter %.a,$^) -Wl,--end-group
SAN_FLAGS := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror \
	-Ibpf-lsm -I$(BUILD)/bpf

# *_test.bpf.c: test programs (tests/bpf/), not part of vigild.
BPF_SRCS  := $(filter-out %_test.bpf.c,$(wildcard bpf-lsm/*.bpf.c))
BPF_OBJS  := $(patsubst bpf-lsm/%.bpf.c,$(BUILD)/bpf/%.bpf.o,$(BPF_SRCS))
BPF_SKELS := $(patsubst bpf-lsm/%.bpf.c,$(BUILD)/bpf/%.skel.h,$(BPF_SRCS))

# The agent core: every agent file but main.c, shared with the unit tests.
AGENT_CORE_SRCS := $(filter-out agent/main.c,$(wildcard agent/*.c))
AGENT_CORE_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(AGENT_CORE_SRCS))
AGENT_SAN_OBJS  := $(patsubst %.c,$(BUILD)/san/%.o,$(AGENT_CORE_SRCS))

# The policy library: YAML -> model -> validation (-> compiler), pure C,
# linked into vigild, the CLI and every unit test.
POLICY_SRCS     := $(wildcard policy/*.c)
POLICY_OBJS     := $(patsubst %.c,$(BUILD)/obj/%.o,$(POLICY_SRCS))
POLICY_SAN_OBJS := $(patsubst %.c,$(BUILD)/san/%.o,$(POLICY_SRCS))

# The API: the .proto files under api/ (package tetragon, and the few
# well-known google.protobuf types it uses), compiled by protoc-c into
# $(API_GEN) (never committed), and api/*.c: messages built from events,
# protojson.  Linked into vigild, the CLI, the unit tests and the fuzzers.
API_PROTOS   := $(wildcard api/google/protobuf/*.proto api/tetragon/*.proto)
API_GEN_SRCS := $(patsubst api/%.proto,$(API_GEN)/%.pb-c.c,$(API_PROTOS))
API_GEN_HDRS := $(API_GEN_SRCS:.c=.h)
API_SRCS     := $(wildcard api/*.c)
API_OBJS     := $(patsubst %.c,$(BUILD)/obj/%.o,$(API_SRCS)) \
	$(patsubst $(API_GEN)/%.c,$(BUILD)/obj/api-gen/%.o,$(API_GEN_SRCS))
API_SAN_OBJS := $(patsubst %.c,$(BUILD)/san/%.o,$(API_SRCS)) \
	$(patsubst $(API_GEN)/%.c,$(BUILD)/san/api-gen/%.o,$(API_GEN_SRCS))

# The CLI: every cli/*.c; vigil.c holds main, the rest is a library the
# unit tests link too (argument parsing, rendering).
CLI_SRCS := $(wildcard cli/*.c)
CLI_CORE_SRCS := $(filter-out cli/vigil.c,$(CLI_SRCS))
CLI_CORE_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(CLI_CORE_SRCS))
CLI_SAN_OBJS  := $(patsubst %.c,$(BUILD)/san/%.o,$(CLI_CORE_SRCS))

UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
UNIT_BINS  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
UNIT_SAN   := $(patsubst tests/unit/%.c,$(BUILD)/tests-san/%,$(UNIT_SRCS))

BENCH_SRCS := $(wildcard tests/bench/workloads/*.c)
BENCH_BINS := $(patsubst tests/bench/workloads/%.c,$(BUILD)/bench-bin/%,$(BENCH_SRCS))

# Small programs the integration tests run (host and VM): $(BUILD)/test-bin.
HELPER_SRCS := $(wildcard tests/helpers/*.c)
HELPER_BINS := $(patsubst tests/helpers/%.c,$(BUILD)/test-bin/%,$(HELPER_SRCS))
# Test programs that run BPF code under BPF_PROG_TEST_RUN (tests/bpf/), each
# with the skeleton of a test object (bpf-lsm/*_test.bpf.c) built in.
BPF_TEST_SRCS  := $(wildcard tests/bpf/*.c)
BPF_TEST_BINS  := $(patsubst tests/bpf/%.c,$(BUILD)/test-bin/%,$(BPF_TEST_SRCS))
BPF_TEST_SKELS := $(patsubst bpf-lsm/%.bpf.c,$(BUILD)/bpf/%.skel.h,$(wildcard bpf-lsm/*_test.bpf.c))
HELPER_BINS    += $(BPF_TEST_BINS)

.PHONY: all deps run check unit unit-san host-test vm-test bench clean format
.DELETE_ON_ERROR:
.SECONDARY:

all: $(BUILD)/vigild $(BUILD)/vigil

deps:
	@scripts/install-deps.sh

# --- BPF -------------------------------------------------------------------
$(BUILD)/bpf/vmlinux.h: | $(BUILD)/bpf
	$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@.tmp && mv $@.tmp $@

$(BUILD)/bpf/%.bpf.o: bpf-lsm/%.bpf.c bpf-lsm/vigil_abi.h $(wildcard bpf-lsm/*.h) $(BUILD)/bpf/vmlinux.h
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@.tmp.o
	$(BPFTOOL) gen object $@ $@.tmp.o
	rm -f $@.tmp.o

$(BUILD)/bpf/%.skel.h: $(BUILD)/bpf/%.bpf.o
	$(BPFTOOL) gen skeleton $< > $@.tmp && mv $@.tmp $@

$(BUILD)/bpf $(BUILD)/tests $(BUILD)/tests-san $(BUILD)/bench-bin $(BUILD)/test-bin:
	mkdir -p $@

# --- API: protobuf-c code generated from api/**/*.proto ---------------------
# One protoc-c run writes every .pb-c.c and .pb-c.h; the stamp stands for them.
$(API_GEN)/.stamp: $(API_PROTOS)
	@mkdir -p $(API_GEN)
	$(PROTOC_C) -Iapi --c_out=$(API_GEN) $(API_PROTOS)
	touch $@

$(API_GEN_SRCS) $(API_GEN_HDRS): $(API_GEN)/.stamp ;

$(BUILD)/obj/api-gen/%.o: $(API_GEN)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) -c $< -o $@

$(BUILD)/san/api-gen/%.o: $(API_GEN)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) -c $< -o $@

# --- user space ------------------------------------------------------------
# Every object waits for the skeletons and the generated API headers.
$(BUILD)/obj/%.o: %.c | $(BPF_SKELS) $(API_GEN)/.stamp
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) -c $< -o $@

$(BUILD)/san/%.o: %.c | $(BPF_SKELS) $(API_GEN)/.stamp
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) -c $< -o $@

$(BUILD)/libvigil-agent.a: $(AGENT_CORE_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/libvigil-agent-san.a: $(AGENT_SAN_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/libvigil-policy.a: $(POLICY_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/libvigil-policy-san.a: $(POLICY_SAN_OBJS)
	rm -f $@ && ar rcs $@ $^

# The API library comes before the agent core in links: it uses the
# encoders' helpers.
$(BUILD)/libvigil-api.a: $(API_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/libvigil-api-san.a: $(API_SAN_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/vigild: $(BUILD)/obj/agent/main.o $(BUILD)/libvigil-api.a $(BUILD)/libvigil-agent.a \
		$(BUILD)/libvigil-policy.a
	$(CC) $(CFLAGS) -o $@ $(LINK_INPUTS) $(LDLIBS)

# The CLI takes vigild's kernel probe and policy features from the agent
# core (lint --explain).
$(BUILD)/libvigil-cli.a: $(CLI_CORE_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/libvigil-cli-san.a: $(CLI_SAN_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/vigil: $(BUILD)/obj/cli/vigil.o $(BUILD)/libvigil-cli.a $(BUILD)/libvigil-api.a \
		$(BUILD)/libvigil-agent.a $(BUILD)/libvigil-policy.a
	$(CC) $(CFLAGS) -o $@ $(LINK_INPUTS) $(CLI_LDLIBS)

$(BUILD)/bench-bin/%: tests/bench/workloads/%.c tests/bench/workloads/workload.h | $(BUILD)/bench-bin
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) -o $@ $<

$(BUILD)/test-bin/%: tests/helpers/%.c | $(BUILD)/test-bin
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) -o $@ $<

# policy_test.bpf.c includes the program it tests.
$(BUILD)/bpf/policy_test.bpf.o: bpf-lsm/policy.bpf.c
$(patsubst %.c,$(BUILD)/obj/%.o,$(BPF_TEST_SRCS)): $(BPF_TEST_SKELS)

$(BPF_TEST_BINS): $(BUILD)/test-bin/%: $(BUILD)/obj/tests/bpf/%.o $(BUILD)/libvigil-agent.a \
		$(BUILD)/libvigil-policy.a | $(BUILD)/test-bin
	$(CC) $(CFLAGS) -o $@ $(LINK_INPUTS) $(LDLIBS)

# --- tests -----------------------------------------------------------------
$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(BUILD)/libvigil-cli.a $(BUILD)/libvigil-api.a \
		$(BUILD)/libvigil-agent.a $(BUILD)/libvigil-policy.a | $(BUILD)/tests
	$(CC) $(CFLAGS) -o $@ $(LINK_INPUTS) $(LDLIBS) -lcmocka

$(BUILD)/tests-san/%: $(BUILD)/san/tests/unit/%.o $(BUILD)/libvigil-cli-san.a \
		$(BUILD)/libvigil-api-san.a $(BUILD)/libvigil-agent-san.a \
		$(BUILD)/libvigil-policy-san.a | $(BUILD)/tests-san
	$(CC) $(SAN_FLAGS) -o $@ $(LINK_INPUTS) $(LDLIBS) -lcmocka

unit: $(UNIT_BINS)
	@tests/run-suite.sh unit $(UNIT_BINS)

unit-san: $(UNIT_SAN)
	@tests/run-suite.sh unit-san $(UNIT_SAN)

host-test: all $(HELPER_BINS)
	@tests/host/run.sh $(BUILD)

vm-test: all $(HELPER_BINS)
	@tests/vm/run.sh $(BUILD)

# --- fuzzing ---------------------------------------------------------------
# One libFuzzer target per tests/fuzz/fuzz_NAME.c (adding a file adds a target),
# linked against the agent core and the policy library built again with clang,
# coverage and ASan+UBSan in $(BUILD)/fuzz-obj.  An optional
# tests/fuzz/seeds_NAME.c writes the seed corpus into $(BUILD)/fuzz/corpus-NAME.
#   make fuzz [FUZZ_SECONDS=300] [FUZZ_TARGETS="event ..."]
FUZZ_CC      ?= $(CLANG)
FUZZ_SECONDS ?= 300
FUZZ_TARGETS ?= $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_FLAGS   := -O1 -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_BINS    := $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_TARGETS))
FUZZ_CORPORA := $(patsubst %,$(BUILD)/fuzz/corpus-%.seeded,$(FUZZ_TARGETS))
FUZZ_SEEDERS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/seeds_*.c))
AGENT_FUZZ_OBJS := $(patsubst %.c,$(BUILD)/fuzz-obj/%.o,$(AGENT_CORE_SRCS))
POLICY_FUZZ_OBJS := $(patsubst %.c,$(BUILD)/fuzz-obj/%.o,$(POLICY_SRCS))
API_FUZZ_OBJS := $(patsubst %.c,$(BUILD)/fuzz-obj/%.o,$(API_SRCS)) \
	$(patsubst $(API_GEN)/%.c,$(BUILD)/fuzz-obj/api-gen/%.o,$(API_GEN_SRCS))

.PHONY: fuzz fuzz-build

$(BUILD)/fuzz:
	mkdir -p $@

$(BUILD)/fuzz-obj/%.o: %.c | $(BPF_SKELS) $(API_GEN)/.stamp
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CFLAGS_COMMON) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link,address,undefined \
		-c $< -o $@

$(BUILD)/fuzz-obj/api-gen/%.o: $(API_GEN)/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CFLAGS_COMMON) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link,address,undefined \
		-c $< -o $@

$(BUILD)/libvigil-api-fuzz.a: $(API_FUZZ_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/libvigil-agent-fuzz.a: $(AGENT_FUZZ_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/libvigil-policy-fuzz.a: $(POLICY_FUZZ_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzz-obj/tests/fuzz/fuzz_%.o $(BUILD)/libvigil-api-fuzz.a \
		$(BUILD)/libvigil-agent-fuzz.a $(BUILD)/libvigil-policy-fuzz.a | $(BUILD)/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer,address,undefined -o $@ $(LINK_INPUTS) $(LDLIBS)

# Seed generators are plain host programs; seeds_pb packs messages with the
# generated API code.
$(BUILD)/fuzz/seeds_%: tests/fuzz/seeds_%.c tests/fuzz/seed_file.h | $(BUILD)/fuzz
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) -o $@ $<

$(BUILD)/fuzz/seeds_pb: tests/fuzz/seeds_pb.c tests/fuzz/seed_file.h $(BUILD)/libvigil-api.a | \
		$(BUILD)/fuzz $(API_GEN)/.stamp
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) -o $@ $< $(BUILD)/libvigil-api.a $(PROTOBUF_C_LIBS)

# Seeds are (re)written over the corpus; what the fuzzer added stays.
$(BUILD)/fuzz/corpus-%.seeded: $(FUZZ_SEEDERS) | $(BUILD)/fuzz
	mkdir -p $(BUILD)/fuzz/corpus-$*
	if [ -x $(BUILD)/fuzz/seeds_$* ]; then $(BUILD)/fuzz/seeds_$* $(BUILD)/fuzz/corpus-$*; fi
	touch $@

fuzz-build: $(FUZZ_BINS) $(FUZZ_CORPORA)

fuzz: deps fuzz-build
	@tests/fuzz/run.sh long $(BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

-include $(shell find $(BUILD)/fuzz-obj -name '*.d' 2>/dev/null) $(wildcard $(BUILD)/fuzz/*.d)

# make check: bootstrap, build, then every suite; one summary line at the end.
check: deps
	@$(MAKE) --no-print-directory all $(UNIT_BINS) $(UNIT_SAN) $(BENCH_BINS) $(HELPER_BINS) \
		fuzz-build
	@tests/check.sh $(BUILD)

run: deps all
	$(BUILD)/vigild $(RUN_ARGS)

bench: all $(BENCH_BINS)
	@scripts/install-deps.sh --bench
	@tests/bench/run.sh $(BUILD)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj $(BUILD)/san -name '*.d' 2>/dev/null)
