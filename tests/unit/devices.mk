# Host unit tests of the block and kv_ro devices, SHA-256 and the random
# generator (ChaCha20, SipHash, seeding), built like
# the other runtime tests (tests.mk's pattern rules: the runtime with
# mlt_-prefixed symbols, stubs.c's fake platform and fake block device).
UT_DEV_TESTS := sha256 block kvro random
UNIT_BINS += $(patsubst %,$(B)/tests/unit/test_%,$(UT_DEV_TESTS))
$(patsubst %,$(B)/tests/unit/test_%.o,$(UT_DEV_TESTS)): tests/unit/mlt_dev.h
.SECONDARY: $(patsubst %,$(B)/tests/unit/test_%.o,$(UT_DEV_TESTS))
