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

# libseccomp is linked statically: it saves the dynamic loader ~0.15 ms
# per run (about 15% of a hello run) for 120 KB of binary.
$(B)/mirleft-spt: $(SPT_TENDER_OBJS)
	$(CC) $(HOST_LDFLAGS) -pie -o $@ $^ -Wl,-Bstatic -lseccomp -Wl,-Bdynamic
