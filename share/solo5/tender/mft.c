/*
 * The manifest (spec §3.4): validated like any untrusted input, then used
 * as the tender's own record of which devices exist and are attached.
 */
#include <err.h>
#include <string.h>

#include "tender.h"

bool mft_validate(const struct mft *m, size_t size)
{
    if (size < sizeof *m)
        return false;
    if (m->version != MFT_VERSION || m->entries > MFT_MAX_ENTRIES ||
        m->entries < 1)
        return false;
    if (size != sizeof *m + m->entries * sizeof(struct mft_entry))
        return false;
    if (m->e[0].type != MFT_RESERVED_FIRST || m->e[0].name[0] != '\0')
        return false;
    for (uint32_t i = 0; i < m->entries; i++)
        if (m->e[i].name[MFT_NAME_SIZE - 1] != '\0' || m->e[i].attached)
            return false;
    return true;
}

int mft_find(const struct mft *m, const char *name, uint32_t type)
{
    for (uint32_t i = 1; i < m->entries; i++)
        if (m->e[i].type == type && strcmp(m->e[i].name, name) == 0)
            return (int)i;
    return -1;
}

const char *mft_type_name(uint32_t type)
{
    switch (type) {
    case MFT_DEV_BLOCK_BASIC:
        return "BLOCK_BASIC";
    case MFT_DEV_NET_BASIC:
        return "NET_BASIC";
    default:
        return "UNKNOWN";
    }
}

void mft_check_attached(const struct mft *m)
{
    bool missing = false;
    for (uint32_t i = 1; i < m->entries; i++) {
        const struct mft_entry *e = &m->e[i];
        if (e->type >= MFT_RESERVED_FIRST || e->attached)
            continue;
        warnx("Device '%s' of type %s declared but not attached.", e->name,
              mft_type_name(e->type));
        missing = true;
    }
    if (missing)
        errx(1, "All declared devices must be attached. "
             "See --help for syntax.");
}
