# The libFuzzer target for the config loader, built with clang under
# ASan/UBSan. tests/fuzz/fuzz.bats runs a short smoke run; README.md here
# says how to run it for long.
FUZZ_CC := clang
FUZZ_FLAGS := -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -D_GNU_SOURCE \
	-DMIRLEFT_VERSION='"$(VERSION)"' -DMIRLEFT_SRC_ROOT='"$(CURDIR)"' \
	-Ishare/include -Isrc
FUZZ_SRCS := $(filter-out src/main.c src/cmd_%.c $(NET_SRCS),$(sort $(wildcard src/*.c))) \
	share/runtime/args_value.c share/runtime/edit_distance.c share/runtime/sha256.c

UNIT_BINS += $(B)/fuzz/fuzz_config

$(B)/fuzz/fuzz_config: tests/fuzz/fuzz_config.c $(FUZZ_SRCS) $(wildcard src/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_config.c $(FUZZ_SRCS) -lyaml
