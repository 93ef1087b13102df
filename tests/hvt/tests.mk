# Test guests for the hvt target, built into build/tests/hvt/ as part of
# UNIT_BINS: compiled the way targets/hvt/target.yml says, linked with the
# hvt bindings, reusing the target-independent spt test guests
# (tests/spt/*.c) where they fit, plus raw guests with no bindings.

HVTT := $(B)/tests/hvt
HVT_GUEST_CFLAGS := -std=c11 -O2 -g -ffreestanding -fno-pie -fno-pic -fno-plt \
	-fstack-protector-strong -mstack-protector-guard=global \
	-fno-asynchronous-unwind-tables -ffunction-sections -fdata-sections \
	-Wall -Wextra -Werror -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-Ishare/include -Ishare/solo5/include -Itests/spt -Itests/guest -MMD -MP
HVT_GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,--gc-sections \
	-Wl,-z,max-page-size=0x1000 -Wl,--build-id=none -Wl,-z,noexecstack \
	-T targets/hvt/hvt.ld

HVT_BINDINGS := stub start platform
# The Solo5 guest code the spt and hvt bindings share.
HVT_SHARED := $(patsubst share/solo5/guest/%.c,$(HVTT)/guest/%.o,\
	$(wildcard share/solo5/guest/*.c))
HVT_TEST_GUESTS := hello traps hostile hostile0 blk maxdev net bigbss floor \
	unbacked entry triple hlt sse0

$(HVTT)/%.o: tests/hvt/%.c
	@mkdir -p $(dir $@)
	$(CC) $(HVT_GUEST_CFLAGS) -c $< -o $@

$(HVTT)/spt/%.o: tests/spt/%.c
	@mkdir -p $(dir $@)
	$(CC) $(HVT_GUEST_CFLAGS) -c $< -o $@

$(HVTT)/bindings/%.o: targets/hvt/bindings/%.c
	@mkdir -p $(dir $@)
	$(CC) $(HVT_GUEST_CFLAGS) -c $< -o $@

$(HVTT)/guest/%.o: share/solo5/guest/%.c
	@mkdir -p $(dir $@)
	$(CC) $(HVT_GUEST_CFLAGS) -c $< -o $@

# Guest checks shared with the spt test guests.
$(HVTT)/plat_checks.o: tests/guest/plat_checks.c
	@mkdir -p $(dir $@)
	$(CC) $(HVT_GUEST_CFLAGS) -c $< -o $@

# The ABI note, generated into manifest.c for real images.
$(HVTT)/abi.o: tests/spt/abi.c
	@mkdir -p $(dir $@)
	$(CC) $(HVT_GUEST_CFLAGS) -DABI_TARGET=SOLO5_ABI_TARGET_HVT -c $< -o $@

$(HVTT)/unbacked.o: tests/hvt/raw.c
	@mkdir -p $(dir $@)
	$(CC) $(HVT_GUEST_CFLAGS) -DUNBACKED -c $< -o $@

$(HVTT)/triple.o: tests/hvt/raw.c
	@mkdir -p $(dir $@)
	$(CC) $(HVT_GUEST_CFLAGS) -DTRIPLE -c $< -o $@

$(HVTT)/hlt.o: tests/hvt/raw.c
	@mkdir -p $(dir $@)
	$(CC) $(HVT_GUEST_CFLAGS) -DHLT -c $< -o $@

$(HVTT)/sse0.o: tests/hvt/raw.c
	@mkdir -p $(dir $@)
	$(CC) $(HVT_GUEST_CFLAGS) -DSSE0 -c $< -o $@

$(HVTT)/floor.o: tests/hvt/raw.c
	@mkdir -p $(dir $@)
	$(CC) $(HVT_GUEST_CFLAGS) -c $< -o $@

# One relocatable object with only the public symbols left global, as
# Solo5 does for its bindings (spec §1.3).
$(HVTT)/bindings.o: $(patsubst %,$(HVTT)/bindings/%.o,$(HVT_BINDINGS)) $(HVT_SHARED)
	$(LD) -r -o $@ $^
	objcopy -w --keep-global-symbol='ml_plat_*' --keep-global-symbol='_start' \
		--keep-global-symbol='__stack_chk_*' $@

HVT_GUEST_LINK = $(CC) $(HVT_GUEST_CFLAGS) $(HVT_GUEST_LDFLAGS) -o $@ $(filter %.o,$^)

$(patsubst %,$(HVTT)/%.hvt,$(HVT_TEST_GUESTS)): targets/hvt/hvt.ld

HVT_RT := $(HVTT)/bindings.o $(HVTT)/spt/mem.o $(HVTT)/buildinfo.o $(HVTT)/abi.o
$(HVTT)/hello.hvt: $(HVTT)/spt/hello.o $(HVTT)/spt/mft_none.o $(HVT_RT)
	$(HVT_GUEST_LINK)
$(HVTT)/traps.hvt: $(HVTT)/traps.o $(HVTT)/plat_checks.o $(HVTT)/spt/mft_none.o $(HVT_RT)
	$(HVT_GUEST_LINK)
$(HVTT)/hostile.hvt: $(HVTT)/hostile.o $(HVTT)/mft_both.o $(HVT_RT)
	$(HVT_GUEST_LINK)
$(HVTT)/hostile0.hvt: $(HVTT)/hostile.o $(HVTT)/spt/mft_none.o $(HVT_RT)
	$(HVT_GUEST_LINK)
$(HVTT)/blk.hvt: $(HVTT)/spt/blk.o $(HVTT)/spt/mft_blk.o $(HVT_RT)
	$(HVT_GUEST_LINK)
$(HVTT)/maxdev.hvt: $(HVTT)/spt/blk.o $(HVTT)/spt/mft_max.o $(HVT_RT)
	$(HVT_GUEST_LINK)
$(HVTT)/net.hvt: $(HVTT)/spt/net.o $(HVTT)/spt/mft_net.o $(HVT_RT)
	$(HVT_GUEST_LINK)
$(HVTT)/bigbss.hvt: $(HVTT)/spt/bigbss.o $(HVTT)/spt/mft_none.o $(HVT_RT)
	$(HVT_GUEST_LINK)
$(HVTT)/floor.hvt: $(HVTT)/floor.o $(HVTT)/guest/notes.o $(HVTT)/abi.o $(HVTT)/spt/mft_none.o \
		$(HVTT)/buildinfo.o
	$(HVT_GUEST_LINK)
$(HVTT)/unbacked.hvt: $(HVTT)/unbacked.o $(HVTT)/guest/notes.o $(HVTT)/abi.o $(HVTT)/spt/mft_none.o \
		$(HVTT)/buildinfo.o
	$(HVT_GUEST_LINK)

$(HVTT)/entry.hvt: $(HVTT)/entry.o $(HVTT)/guest/notes.o $(HVTT)/abi.o $(HVTT)/spt/mft_none.o \
		$(HVTT)/buildinfo.o
	$(HVT_GUEST_LINK)

HVT_RAW := $(HVTT)/guest/notes.o $(HVTT)/abi.o $(HVTT)/spt/mft_none.o $(HVTT)/buildinfo.o
$(HVTT)/triple.hvt: $(HVTT)/triple.o $(HVT_RAW)
	$(HVT_GUEST_LINK)
$(HVTT)/hlt.hvt: $(HVTT)/hlt.o $(HVT_RAW)
	$(HVT_GUEST_LINK)
$(HVTT)/sse0.hvt: $(HVTT)/sse0.o $(HVT_RAW)
	$(HVT_GUEST_LINK)

UNIT_BINS += $(patsubst %,$(HVTT)/%.hvt,$(HVT_TEST_GUESTS))
