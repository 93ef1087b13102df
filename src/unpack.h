/* Unpacking fetched archives with libarchive (tar in every compression
 * libarchive knows, zip, ...). Every entry is checked before anything is
 * written: an absolute path, a ".." component, a device node, fifo or
 * socket, or a link pointing outside the tree refuses the whole archive. */
#ifndef MIRLEFT_UNPACK_H
#define MIRLEFT_UNPACK_H

/* Extracts the archive at path into the existing directory dir. Returns 0,
 * or -1 after printing "mirleft: LABEL: why" (dir may hold debris). */
int archive_extract_safe(const char *path, const char *dir, const char *label);

#endif
