# The libFuzzer target for the network stack's receive path, built with
# clang under ASan/UBSan: share/lib/net and the runtime's timers, compiled
# for the host against glibc, on the fake device and clock of fuzz_net.c.
# tests/fuzz/net.bats runs a short smoke run; README.md says how to run it
# for long.
NETFUZZ_CC := clang
NETFUZZ_FLAGS := -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -D_GNU_SOURCE -Ishare/include
NETFUZZ_SRCS := tests/fuzz/fuzz_net.c $(sort $(wildcard share/lib/net/*.c)) \
	share/runtime/timer.c share/runtime/siphash.c
NETFUZZ_OK := $(shell command -v $(NETFUZZ_CC) >/dev/null 2>&1 && echo yes)

ifeq ($(NETFUZZ_OK),yes)
UNIT_BINS += $(B)/fuzz/fuzz_net
endif

$(B)/fuzz/fuzz_net: $(NETFUZZ_SRCS) $(wildcard share/lib/net/*.h) \
		$(wildcard share/include/mirleft/*.h)
	@mkdir -p $(@D)
	$(NETFUZZ_CC) $(NETFUZZ_FLAGS) -o $@ $(NETFUZZ_SRCS)
