# Host unit tests of the network stack (share/lib/net): the stack is
# compiled as guest code like the runtime, gets the mlt_ prefix, and runs
# on stubs.c's fake platform and fake net device (tests.mk's scheme).
UT_NSD := $(B)/tests/unit
UT_NS_SRCS := $(sort $(wildcard share/lib/net/*.c))
UT_NS_OBJS := $(patsubst share/lib/net/%.c,$(UT_NSD)/netlib/%.o,$(UT_NS_SRCS))
UT_NS_TESTS := csum stack tcp
UNIT_BINS += $(patsubst %,$(UT_NSD)/test_%,$(UT_NS_TESTS))

$(UT_NSD)/netlib/%.o: share/lib/net/%.c
	@mkdir -p $(dir $@)
	$(CC) $(UT_GUEST_CFLAGS) -c $< -o $@

$(UT_NSD)/netlib.o: $(UT_NS_OBJS)
	$(CC) -r -nostdlib -o $@.tmp $^
	objcopy --prefix-symbols=mlt_ $@.tmp $@
	rm -f $@.tmp

$(patsubst %,$(UT_NSD)/test_%.o,$(UT_NS_TESTS)): tests/unit/netstack.h tests/unit/fake_nic.h

$(patsubst %,$(UT_NSD)/test_%,$(UT_NS_TESTS)): $(UT_NSD)/test_%: $(UT_NSD)/test_%.o \
		$(UT_NSD)/stubs.o $(UT_NSD)/runtime.o $(UT_NSD)/netlib.o
	$(CC) -o $@ $^

.SECONDARY: $(patsubst %,$(UT_NSD)/test_%.o,$(UT_NS_TESTS)) $(UT_NS_OBJS)
-include $(UT_NS_OBJS:.o=.d)
