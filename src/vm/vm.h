/* mirleft-vm: runs one command inside a Linux virtual machine emulated by
 * QEMU (TCG), whose kernel is Debian's and whose root file system is the
 * host's own, shared read-only over 9p. It serves hosts that lack a
 * feature a tender needs: with `-cpu max`, QEMU emulates AMD SVM, so the
 * guest's kvm-amd gives an hvt tender a working /dev/kvm.
 *
 * The assets (a kernel from Debian's linux-image package, the modules the
 * caller asks for and their dependencies, busybox, an init script) are
 * prepared once into mirleft's cache (cache.h): vm/ holds
 *
 *   kernel-STEM/pkg.deb      the package, as apt-get downloaded it
 *   kernel-STEM/vmlinuz      its kernel
 *   kernel-STEM/modules      NAME PATH DEP,DEP... for every module in it
 *   initrd-KEY.cpio.gz       an initramfs per module set and init script
 *
 * so that nothing is installed on the host. */
#ifndef MIRLEFT_VM_H
#define MIRLEFT_VM_H

#include <stdbool.h>

#include "util.h"

/* Exit status of mirleft-vm when the VM itself failed (assets missing,
 * QEMU failed, the guest never ran the command): the status a runner
 * uses for "could not start", never one of the command's. */
#define VM_EXIT_NOSTART 125

struct vm_assets {
    char *kernel;   /* vmlinuz */
    char *initrd;   /* initramfs (cpio, gzip) */
};

/* Makes sure the kernel and an initramfs loading `modules` (and what they
 * depend on) are in the cache; progress and problems go to stderr, with
 * the command that installs a missing piece. Returns 0, or
 * VM_EXIT_NOSTART after saying why. */
int vm_prepare(const struct strlist *modules, bool quiet, struct vm_assets *out);

struct vm_job {
    char **argv;             /* the command, run in the host's root */
    const char *cwd;         /* its working directory (absolute) */
    struct strlist rw;       /* host directories the guest may write */
    struct strlist tmpfs;    /* directories that are empty tmpfs in the guest */
    struct strlist taps;     /* host tap devices, bridged to a tap of the
                              * same name inside the guest */
    int mem_mib;             /* guest memory */
    int timeout_s;           /* 0: none */
    bool quiet;              /* no "emulated" notice */
};

/* Boots the VM, runs job->argv in it with this process's environment,
 * its output on this process's stdout and stderr. Returns the command's
 * exit status (128+N if a signal ended it), or VM_EXIT_NOSTART. */
int vm_run(const struct vm_assets *a, const struct vm_job *job);

/* The .deb side of vm_prepare (vm_deb.c). */
/* Extracts the kernel into dir/vmlinuz and writes dir/modules from the
 * package deb. Returns 0 or -1 after saying why. */
int vm_deb_index(const char *deb, const char *dir);
/* Reads the files `paths` (package paths, as in dir/modules) from deb,
 * calling fn for each with its contents. Returns 0 or -1. */
int vm_deb_extract(const char *deb, const struct strlist *paths,
                   int (*fn)(void *ctx, const char *path, const void *data,
                             size_t len),
                   void *ctx);

/* The init script of the initramfs (vm_init.sh, built into vm_init.c). */
extern const char vm_init_script[];

void vm_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
