/* Where mirleft's data (share/, targets/, templates/) lives: next to the
 * binary in a source tree (build/mirleft → ..), under PREFIX/share/mirleft
 * when installed, or $MIRLEFT_DATADIR when set. */
#ifndef MIRLEFT_PATHS_H
#define MIRLEFT_PATHS_H

/* The data root, absolute; NULL after printing why. Caller frees. */
char *data_root(void);
/* A helper program (e.g. mirleft-spt): beside mirleft first, then $PATH.
 * Returns an absolute path or the bare name. Caller frees. */
char *helper_path(const char *name);

/* A private shared object of mirleft's: beside the binary in a source
 * tree, PREFIX/lib/mirleft when installed. Caller frees. */
char *private_lib_path(const char *name);

#endif
