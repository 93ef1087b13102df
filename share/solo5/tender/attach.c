/*
 * Attach every device the command line names, then insist that every
 * device the manifest declares is attached (spec §3.1).
 */
#include "tender.h"

void devices_attach(struct mft *m, const struct tender_args *a)
{
    for (uint32_t i = 1; i < m->entries; i++) {
        struct mft_entry *e = &m->e[i];
        if (e->type == MFT_DEV_BLOCK_BASIC && a->dev[i].block_path)
            block_attach(e, &a->dev[i]);
        else if (e->type == MFT_DEV_NET_BASIC && a->dev[i].net_spec)
            net_attach(e, &a->dev[i]);
    }
    mft_check_attached(m);
}
