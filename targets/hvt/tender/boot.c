/*
 * What the guest finds below its image (spec §4.3, §4.6): the boot info at
 * 0x10000, the tender's copy of the manifest (devices filled in) right
 * after it, then the command line. We implement no ring extension, so
 * host_features and net_ring are 0 and Solo5 >= 0.11 guests use the NET
 * hypercalls.
 */
#include <string.h>

#include "hvt.h"

#define MFT_COPY_BASE (HVT_BOOT_INFO_BASE + sizeof(struct hvt_boot_info))

_Static_assert(MFT_COPY_BASE == 0x10038, "manifest copy at 0x10038");
_Static_assert(MFT_COPY_BASE + 8 + MFT_MAX_ENTRIES * 104 + HVT_CMDLINE_SIZE
               <= HVT_GUEST_MIN_BASE, "boot area fits below the image");

void hvt_boot_info(struct hvt *h, size_t mft_size, const char *cmdline,
                   uint64_t kernel_end)
{
    struct hvt_boot_info bi;
    uint64_t cmd_gpa = MFT_COPY_BASE + mft_size;

    memcpy(h->mem + MFT_COPY_BASE, h->mft, mft_size);
    memcpy(h->mem + cmd_gpa, cmdline, strlen(cmdline) + 1);
    memset(&bi, 0, sizeof bi);
    bi.mem_size = h->mem_size;
    bi.kernel_end = kernel_end;
    bi.cpu_cycle_freq = h->tsc_hz;
    bi.cmdline = cmd_gpa;
    bi.mft = MFT_COPY_BASE;
    bi.host_features = 0;
    bi.guest_features = 0;
    bi.net_ring = 0;
    memcpy(h->mem + HVT_BOOT_INFO_BASE, &bi, sizeof bi);
}
