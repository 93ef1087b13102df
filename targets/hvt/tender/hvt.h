/*
 * mirleft-hvt: the hvt-specific parts of the tender (spec §4). The guest
 * is a KVM virtual machine with one vCPU; guest memory is one host
 * mapping registered as memory slot 0 at guest-physical address 0.
 */
#ifndef MIRLEFT_HVT_TENDER_H
#define MIRLEFT_HVT_TENDER_H

#include <linux/kvm.h>
#include <stdint.h>

#include "solo5_hvt.h"
#include "tender.h"

struct hvt {
    int kvm, vm, vcpu;
    struct kvm_run *run;
    uint8_t *mem;              /* host address of guest-physical 0 */
    uint64_t mem_size;         /* guest memory (no ring): pointer checks */
    uint64_t tsc_hz;
    struct mft *mft;           /* the tender's own copy */
    int epollfd, timerfd;
    unsigned n_block, n_net;   /* attached devices */
    struct { uint64_t start, end; } ro[16];  /* host read-only segments */
    unsigned n_ro;
    bool hide_cpu_rng;         /* clear CPUID's RDRAND and RDSEED bits */
};

/* kvm.c */
void hvt_vm_init(struct hvt *h, uint64_t mem_size);
void hvt_protect(uint64_t start, uint64_t end, int prot);
void hvt_vcpu_init(struct hvt *h, uint64_t entry);
/* Returns the guest's exit status; any fault or tender error exits 1. */
int hvt_vcpu_loop(struct hvt *h);

/* hypercalls.c */
void hvt_events(struct hvt *h);
/* Handle an OUT to port; returns 1 when the guest halted (*status set). */
int hvt_hypercall(struct hvt *h, uint16_t port, uint32_t gpa, int *status);
/* A checked host pointer to guest range [gpa, gpa + sz); exits otherwise. */
void *hvt_checked(const struct hvt *h, uint64_t gpa, uint64_t sz);
/* The same for a range the tender writes: never a read-only segment. */
void *hvt_checked_w(const struct hvt *h, uint64_t gpa, uint64_t sz);

/* boot.c */
void hvt_boot_info(struct hvt *h, size_t mft_size, const char *cmdline,
                   uint64_t kernel_end);

/* seccomp.c */
void hvt_sandbox(const struct hvt *h);

#endif
