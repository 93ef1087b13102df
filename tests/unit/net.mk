# Host unit tests of the net device and of the net-ping template's ARP and
# ICMP handling. The template's unikernel.c is compiled as guest code
# against a hand-written devices.h (tests/unit/netping) and, like the
# runtime, gets the mlt_ prefix, so its start() is mlt_start and it calls
# the runtime under test, on stubs.c's fake net device.
UT_NET_DIR := $(B)/tests/unit
UNIT_BINS += $(UT_NET_DIR)/test_net

$(UT_NET_DIR)/netping.o: templates/net-ping/unikernel.c tests/unit/netping/devices.h
	@mkdir -p $(@D)
	$(CC) $(filter-out -MMD -MP,$(UT_GUEST_CFLAGS)) -I tests/unit/netping \
		-c $< -o $@.tmp
	objcopy --prefix-symbols=mlt_ $@.tmp $@
	rm -f $@.tmp

$(UT_NET_DIR)/test_net.o: tests/unit/fake_nic.h tests/unit/netping/devices.h

$(UT_NET_DIR)/test_net: $(UT_NET_DIR)/test_net.o $(UT_NET_DIR)/stubs.o \
		$(UT_NET_DIR)/runtime.o $(UT_NET_DIR)/netping.o
	$(CC) -o $@ $^

.SECONDARY: $(UT_NET_DIR)/test_net.o
