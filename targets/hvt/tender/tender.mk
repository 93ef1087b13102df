# mirleft-hvt: the hvt (KVM) tender. Included by the top-level Makefile.
# Shared tender code lives in share/solo5/tender.

HVT_TENDER_SRCS := $(wildcard targets/hvt/tender/*.c) \
	$(wildcard share/solo5/tender/*.c)
HVT_TENDER_OBJS := $(patsubst %.c,$(B)/hvt-tender/%.o,$(HVT_TENDER_SRCS))
HVT_TENDER_CFLAGS := $(HOST_CFLAGS) -Ishare/solo5/tender \
	-Ishare/solo5/include -Itargets/hvt/tender

BINS += $(B)/mirleft-hvt

$(B)/hvt-tender/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HVT_TENDER_CFLAGS) -c $< -o $@

# Linked statically, libc included: on a nested host (kvm_pvm) the dynamic
# loader's work cost ~0.6 ms of a ~2.7 ms bare-VM run (measured).
$(B)/mirleft-hvt: $(HVT_TENDER_OBJS)
	$(CC) $(HOST_LDFLAGS) -static -o $@ $^ -lseccomp
