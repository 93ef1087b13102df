/*
 * The argument block: the last 4 KiB sector of the 2 MiB flash
 * (0x101FF000, __args_block in rp2040.ld) holds the command line. The
 * emulator runner writes `mirleft run -- ARGS` there; `tools/rp2040-image
 * args` bakes arguments into a copy of the UF2 for a board; the UF2 the
 * build writes carries an empty block, so that arguments baked earlier do
 * not outlive a new image. Layout: u32 magic 0x5347524D ("MRGS"), u32
 * length, then the text and a NUL. Anything else, or erased flash (all
 * 0xFF), means no arguments: the compiled-in defaults apply. The text is
 * used where it lies, in flash: no RAM is spent on it.
 */
#include <stddef.h>
#include <stdint.h>

#include "rp2040.h"

#define ARGS_MAGIC 0x5347524Du

extern const uint8_t __args_block[];
extern const uint8_t __args_size[];

const char *ml_rp2040_cmdline(void)
{
    const volatile uint32_t *hdr = (const volatile uint32_t *)__args_block;
    uint32_t room = (uint32_t)(uintptr_t)__args_size - 8u;
    uint32_t len = hdr[1];
    if (hdr[0] != ARGS_MAGIC || len >= room || __args_block[8 + len] != 0)
        return "";
    return (const char *)__args_block + 8;
}
