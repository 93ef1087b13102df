/*
 * The parts of the platform interface (mirleft/platform.h) that are the
 * same on spt and hvt: both tenders hand over a Solo5 manifest (spec §2.3)
 * whose index is the device handle, so finding and checking devices, and
 * acquiring them, need no host call. The I/O itself is per target.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "solo5_guest.h"

static const struct mft *mft;

unsigned mlsolo5_mft_init(const struct mft *m)
{
    unsigned n_net = 0;
    mft = m;
    if (m->entries > MFT_MAX_ENTRIES)
        ml_plat_abort();
    for (uint32_t i = 1; i < m->entries; i++)
        if (m->e[i].type == MFT_DEV_NET_BASIC && m->e[i].attached)
            n_net++;
    return n_net;
}

static bool name_eq(const char *a, const char *b)
{
    size_t i;
    for (i = 0; i < MFT_NAME_SIZE && a[i] && a[i] == b[i]; i++)
        ;
    return i < MFT_NAME_SIZE && a[i] == b[i];
}

const struct mft_entry *mlsolo5_mft_lookup(const char *name, uint32_t type,
                                           ml_handle_t *h)
{
    if (name == NULL || h == NULL)
        return NULL;
    for (uint32_t i = 1; i < mft->entries; i++) {
        const struct mft_entry *e = &mft->e[i];
        if (e->type == type && e->attached && name_eq(e->name, name)) {
            *h = i;
            return e;
        }
    }
    return NULL;
}

const struct mft_entry *mlsolo5_mft_entry(ml_handle_t h, uint32_t type)
{
    if (h == 0 || h >= mft->entries)
        return NULL;
    const struct mft_entry *e = &mft->e[h];
    return (e->type == type && e->attached) ? e : NULL;
}

ml_result_t ml_plat_net_acquire(const char *name, ml_handle_t *h,
                                struct ml_net_info *info)
{
    const struct mft_entry *e = mlsolo5_mft_lookup(name, MFT_DEV_NET_BASIC, h);
    if (e == NULL || info == NULL)
        return ML_R_EINVAL;
    for (int i = 0; i < 6; i++)
        info->mac[i] = e->u.net_basic.mac[i];
    info->mtu = e->u.net_basic.mtu;
    return ML_R_OK;
}

ml_result_t ml_plat_block_acquire(const char *name, ml_handle_t *h,
                                  struct ml_block_info *info)
{
    const struct mft_entry *e =
        mlsolo5_mft_lookup(name, MFT_DEV_BLOCK_BASIC, h);
    if (e == NULL || info == NULL)
        return ML_R_EINVAL;
    info->capacity = e->u.block_basic.capacity;
    info->block_size = e->u.block_basic.block_size;
    return ML_R_OK;
}

_Noreturn void ml_plat_abort(void)
{
    static const char msg[] = "mirleft: ABORT: ml_plat_abort() called\n";
    ml_plat_console_write(msg, sizeof msg - 1);
    ml_plat_exit(255);
}
