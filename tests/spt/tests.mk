# Test guests for the spt target and the elfpatch helper, built into
# build/tests/spt/ as part of UNIT_BINS. The guests are compiled the way
# targets/spt/target.yml says (the mirleft tool will do this for real
# unikernels), with hand-written manifest notes.

SPTT := $(B)/tests/spt
SPT_GUEST_CFLAGS := -std=c11 -O2 -g -ffreestanding -fno-pie -fno-pic -fno-plt \
	-fstack-protector-strong -mstack-protector-guard=global \
	-fno-asynchronous-unwind-tables -ffunction-sections -fdata-sections \
	-Wall -Wextra -Werror -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-Ishare/include -Ishare/solo5/include -Itests/guest -MMD -MP
SPT_GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,--gc-sections \
	-Wl,-z,max-page-size=0x1000 -Wl,--build-id=none -Wl,-z,noexecstack \
	-T targets/spt/spt.ld

SPT_BINDINGS := start platform
# The Solo5 guest code the spt and hvt bindings share.
SPT_SHARED := $(patsubst share/solo5/guest/%.c,$(SPTT)/guest/%.o,\
	$(wildcard share/solo5/guest/*.c))
SPT_TEST_GUESTS := hello faults blk net badmft nomft maxdev bigbss

$(SPTT)/%.o: tests/spt/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SPT_GUEST_CFLAGS) -c $< -o $@

$(SPTT)/bindings/%.o: targets/spt/bindings/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SPT_GUEST_CFLAGS) -c $< -o $@

$(SPTT)/guest/%.o: share/solo5/guest/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SPT_GUEST_CFLAGS) -c $< -o $@

# Guest checks shared with the hvt test guests.
$(SPTT)/plat_checks.o: tests/guest/plat_checks.c
	@mkdir -p $(dir $@)
	$(CC) $(SPT_GUEST_CFLAGS) -Itests/spt -c $< -o $@

# The ABI note, generated into manifest.c for real images.
$(SPTT)/abi.o: tests/spt/abi.c
	$(CC) $(SPT_GUEST_CFLAGS) -DABI_TARGET=SOLO5_ABI_TARGET_SPT -c $< -o $@

# One relocatable object with only the public symbols left global, as
# Solo5 does for its bindings (spec §1.3).
$(SPTT)/bindings.o: $(patsubst %,$(SPTT)/bindings/%.o,$(SPT_BINDINGS)) $(SPT_SHARED)
	$(LD) -r -o $@ $^
	objcopy -w --keep-global-symbol='ml_plat_*' --keep-global-symbol='_start' \
		--keep-global-symbol='__stack_chk_*' $@

SPT_GUEST_LINK = $(CC) $(SPT_GUEST_CFLAGS) $(SPT_GUEST_LDFLAGS) -o $@ $(filter %.o,$^)

# Every image mirleft builds has a build-info note (its own PT_NOTE in
# spt.ld); the test guests carry one too, so that PT_NOTE is never empty.
$(patsubst %,$(SPTT)/%.spt,$(SPT_TEST_GUESTS)): targets/spt/spt.ld $(SPTT)/buildinfo.o \
	$(SPTT)/abi.o

$(SPTT)/hello.spt: $(SPTT)/hello.o $(SPTT)/mft_none.o $(SPTT)/bindings.o $(SPTT)/mem.o
	$(SPT_GUEST_LINK)
$(SPTT)/faults.spt: $(SPTT)/faults.o $(SPTT)/plat_checks.o $(SPTT)/mft_none.o \
		$(SPTT)/bindings.o $(SPTT)/mem.o
	$(SPT_GUEST_LINK)
$(SPTT)/blk.spt: $(SPTT)/blk.o $(SPTT)/mft_blk.o $(SPTT)/bindings.o $(SPTT)/mem.o
	$(SPT_GUEST_LINK)
$(SPTT)/maxdev.spt: $(SPTT)/blk.o $(SPTT)/mft_max.o $(SPTT)/bindings.o $(SPTT)/mem.o
	$(SPT_GUEST_LINK)
$(SPTT)/net.spt: $(SPTT)/net.o $(SPTT)/mft_net.o $(SPTT)/bindings.o $(SPTT)/mem.o
	$(SPT_GUEST_LINK)
$(SPTT)/badmft.spt: $(SPTT)/hello.o $(SPTT)/mft_bad.o $(SPTT)/bindings.o $(SPTT)/mem.o
	$(SPT_GUEST_LINK)
$(SPTT)/bigbss.spt: $(SPTT)/bigbss.o $(SPTT)/mft_none.o $(SPTT)/bindings.o $(SPTT)/mem.o
	$(SPT_GUEST_LINK)
$(SPTT)/nomft.spt: $(SPTT)/hello.o $(SPTT)/bindings.o $(SPTT)/mem.o
	$(SPT_GUEST_LINK)

$(SPTT)/elfpatch: tests/spt/elfpatch.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $<

UNIT_BINS += $(patsubst %,$(SPTT)/%.spt,$(SPT_TEST_GUESTS)) $(SPTT)/elfpatch
