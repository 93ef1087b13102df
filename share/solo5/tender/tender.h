/*
 * Tender code shared by mirleft-spt and (later) mirleft-hvt: command-line
 * parsing, the ELF loader, Solo5 notes, manifest checks and device attach.
 * Behaviour follows shared/specs/solo5-abi.md §3 so that our tenders accept
 * and refuse exactly what the stock Solo5 tenders do, with the same messages.
 *
 * Every error is fatal: it prints a message (errx style, prefixed with the
 * program name) and exits with status 1. The image is treated as hostile.
 */
#ifndef MIRLEFT_TENDER_H
#define MIRLEFT_TENDER_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "solo5_mft.h"

#define TENDER_GUEST_MIN_BASE 0x100000ull
#define TENDER_CMDLINE_SIZE 8192u      /* 8191 characters plus the NUL */
#define TENDER_DEFAULT_MEM_MIB 512u
#define TENDER_MIN_MEM_MIB 2u           /* room for 0x100000 + image + stack */
#define TENDER_BLOCK_MIN 512u
#define TENDER_BLOCK_MAX 32768u         /* block_size is a u16 in the manifest */

/* ---- what the target provides ---------------------------------------- */

/* A target describes itself to the shared code with this. */
struct tender_target {
    const char *prog;          /* "mirleft-spt" */
    const char *solo5_name;    /* "solo5-spt": used in ABI mismatch messages */
    uint32_t abi_target;       /* SOLO5_ABI_TARGET_SPT */
    uint32_t abi_version;
    const char *extra_usage;   /* target-specific core options, or NULL */
    bool hide_cpu_rng_option;  /* accepts --hide-cpu-rng (hvt: CPUID) */
};

/* ---- options.c -------------------------------------------------------- */

/* Per manifest entry, what the command line asked for. */
struct dev_opt {
    const char *block_path;     /* --block:NAME=PATH */
    unsigned sector_size;       /* --block-sector-size:NAME=N, 0 = default */
    const char *net_spec;       /* --net:NAME=IFACE or @FD */
    uint8_t mac[6];             /* --net-mac:NAME=MAC */
    bool mac_set;
};

struct tender_args {
    int nopts;                  /* options before KERNEL */
    char **opts;
    const char *kernel;
    char cmdline[TENDER_CMDLINE_SIZE];  /* ARGS joined by single spaces */
    uint64_t mem_size;          /* bytes; set by options_apply */
    bool hide_cpu_rng;          /* --hide-cpu-rng */
    struct dev_opt dev[MFT_MAX_ENTRIES];
};

/* First pass: find KERNEL, handle --help/--version, build the command line. */
void options_split(const struct tender_target *t, int argc, char **argv,
                   struct tender_args *a);
/* Second pass, once the manifest is known: --mem and the module options. */
void options_apply(const struct tender_target *t, struct tender_args *a,
                   const struct mft *m);
_Noreturn void options_usage(const struct tender_target *t);

/* ---- elf_file.c: header and program headers ---------------------------- */

struct elf_file {
    int fd;
    const char *name;
    uint64_t size;              /* file size in bytes */
    Elf64_Ehdr eh;
    Elf64_Phdr *ph;             /* eh.e_phnum entries, bounds-checked */
};

void elf_open(const char *path, struct elf_file *f);
void elf_close(struct elf_file *f);
/* Read exactly len bytes at off, refusing anything outside the file. */
void elf_read(const struct elf_file *f, uint64_t off, void *buf, size_t len);

/* ---- elf_load.c ------------------------------------------------------- */

/* Apply protections to [start, end) (guest addresses); prot is PROT_*
 * derived from the segment's p_flags. Each target decides what to map. */
typedef void (*elf_protect_fn)(uint64_t start, uint64_t end, int prot);

struct elf_loaded {
    uint64_t entry;
    uint64_t kernel_end;        /* largest end of the loaded segments */
};

/* mem is the host address of guest address 0 (0 when identity-mapped);
 * guest memory is [0, mem_size). */
void elf_load(const struct elf_file *f, uintptr_t mem, uint64_t mem_size,
              elf_protect_fn protect, struct elf_loaded *out);

/* ---- notes.c ---------------------------------------------------------- */

/* Return a malloc'ed copy of the descriptor of the first Solo5 note of
 * `type` (read as the first note of each PT_NOTE), after its alignment
 * padding, with its size in *size; NULL if there is none. */
void *elf_note(const struct elf_file *f, uint32_t type, size_t align,
               size_t max_descsz, size_t *size);
/* Check the ABI1 note for the target's ABI; exits with Solo5's messages. */
void elf_check_abi(const struct tender_target *t, const struct elf_file *f);
/* Read and validate the manifest; the result is the tender's own copy. */
struct mft *elf_manifest(const struct elf_file *f, size_t *size);

/* ---- mft.c ------------------------------------------------------------ */

bool mft_validate(const struct mft *m, size_t size);
/* The index of entry `name` of `type`, or -1. */
int mft_find(const struct mft *m, const char *name, uint32_t type);
const char *mft_type_name(uint32_t type);
/* Exit with Solo5's messages unless every declared device is attached. */
void mft_check_attached(const struct mft *m);

/* ---- block_attach.c, net_attach.c -------------------------------------- */

void block_attach(struct mft_entry *e, const struct dev_opt *o);
void net_attach(struct mft_entry *e, const struct dev_opt *o);
/* Attach every device the options name (filling in the entries), then
 * exit unless every declared device is attached. */
void devices_attach(struct mft *m, const struct tender_args *a);

/* ---- helpers (options.c) ----------------------------------------------- */

/* Parse a whole decimal number; false on junk or overflow. */
bool parse_u64(const char *s, uint64_t *out);

/* ---- started.c -------------------------------------------------------- */

/* Marks, for mirleft run, that the guest is about to run (see started.c).
 * Called last before the sandbox and the jump. */
void tender_started(void);
/* NAME is [A-Za-z0-9]{1,67}. */
bool valid_dev_name(const char *s, size_t len);

#endif
