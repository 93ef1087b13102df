# mirleft-spt: the spt tender. Included by the top-level Makefile.
# Shared tender code lives in share/solo5/tender; it is built as PIE so
# that it loads far above the identity-mapped guest memory (spec §5.2).

SPT_TENDER_SRCS := $(wildcard targets/spt/tender/*.c) \
	$(wildcard share/solo5/tender/*.c)
SPT_TENDER_OBJS := $(patsubst %.c,$(B)/spt-tender/%.o,$(SPT_TENDER_SRCS))
SPT_TENDER_CFLAGS := $(HOST_CFLAGS) -fPIE -Ishare/solo5/tender \
	-Ishare/solo5/include -Itargets/spt/tender

BINS += $(B)/mirleft-spt

$(B)/spt-tender/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(SPT_TENDER_CFLAGS) -c $< -o $@

# A static PIE (glibc and libseccomp linked in): no dynamic loader at
# all, which is a fifth of a hello run (0.2 ms of 1.1 ms measured; hello
# is then 1.18x /bin/true against 1.42x), for ~0.8 MB of binary. It is
# still PIE, so it still loads far above the guest (spec §5.2).
$(B)/mirleft-spt: $(SPT_TENDER_OBJS)
	$(CC) $(HOST_LDFLAGS) -static-pie -o $@ $^ -lseccomp
