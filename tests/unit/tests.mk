# Host unit tests for the guest runtime (share/runtime).
#
# The runtime is compiled exactly as for a guest (freestanding, our own libc
# headers), linked into one relocatable object, and every symbol in it is
# renamed with an mlt_ prefix. The test programs then link that object next
# to glibc and call mlt_snprintf beside snprintf, mlt_strtol beside strtol,
# and so on, comparing the two on the same inputs. The runtime's calls to
# the platform become calls to mlt_ml_plat_*, which stubs.c fakes.

UT := $(B)/tests/unit
UT_GCC_INC := $(shell $(CC) -print-file-name=include)
UT_GUEST_CFLAGS := -std=c11 -ffreestanding -nostdinc -isystem $(UT_GCC_INC) \
	-isystem share/include/libc -I share/include -Wall -Wextra -Werror \
	-O2 -g -ffunction-sections -fdata-sections -fstack-protector-strong \
	-DML_PRINTF_FLOAT -MMD -MP
# args*.c belong to the argument parser and are tested with it.
UT_RT_SRCS := $(sort $(filter-out share/runtime/args%, \
	$(shell find share/runtime -name '*.c')))
UT_RT_OBJS := $(patsubst share/runtime/%.c,$(UT)/rt/%.o,$(UT_RT_SRCS))
UT_TESTS := printf strtol string heap loop
UT_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
	-Wno-format-truncation -Wno-format-zero-length -MMD -MP

UNIT_BINS += $(patsubst %,$(UT)/test_%,$(UT_TESTS))

$(UT)/rt/%.o: share/runtime/%.c
	@mkdir -p $(dir $@)
	$(CC) $(UT_GUEST_CFLAGS) -c $< -o $@

$(UT)/runtime.o: $(UT_RT_OBJS)
	$(CC) -r -nostdlib -o $@.tmp $^
	objcopy --prefix-symbols=mlt_ $@.tmp $@
	rm -f $@.tmp

$(UT)/%.o: tests/unit/%.c tests/unit/mlt.h
	@mkdir -p $(dir $@)
	$(CC) $(UT_CFLAGS) -I share/include -c $< -o $@

$(UT)/test_%: $(UT)/test_%.o $(UT)/stubs.o $(UT)/runtime.o
	$(CC) -o $@ $^

# Keep the objects make would otherwise delete as intermediates.
.SECONDARY: $(patsubst %,$(UT)/test_%.o,$(UT_TESTS)) $(UT)/stubs.o

# The same runtime on a 32-bit ABI (the rp2040's type widths), where the
# compiler can target i386: freestanding, no 32-bit libc needed.
UT_M32 := $(shell echo 'void _start(void){}' | $(CC) -m32 -ffreestanding \
	-nostdlib -static -x c - -o /dev/null 2>/dev/null && echo yes)
ifeq ($(UT_M32),yes)
UNIT_BINS += $(UT)/smoke32
$(UT)/smoke32: tests/unit/smoke32.c $(UT_RT_SRCS) tests/unit/tests.mk
	@mkdir -p $(dir $@)
	$(CC) -m32 $(filter-out -MMD -MP -DML_PRINTF_FLOAT,$(UT_GUEST_CFLAGS)) \
		-mstack-protector-guard=global -fno-pie -no-pie -nostdlib -static \
		-Wl,--gc-sections \
		-o $@ $(filter %.c,$^)
endif
