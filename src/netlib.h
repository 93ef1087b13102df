/* The network, git and archive code (fetch.c, git.c, unpack.c) lives in a
 * private shared object, libmirleft-net.so, loaded on first use: libcurl,
 * libgit2 and libarchive bring some fifty shared libraries whose loading
 * would cost every mirleft command several milliseconds, while most
 * commands on most projects never fetch anything. The table below is the
 * object's only export; netlib.c forwards the usual functions to it. */
#ifndef MIRLEFT_NETLIB_H
#define MIRLEFT_NETLIB_H

#include <stdbool.h>

#include "fetch.h"

struct netlib_api {
    int (*fetch_url)(const char *url, const char *dest,
                     const struct fetch_opts *o, const char *label);
    int (*archive_extract_safe)(const char *path, const char *dir,
                                const char *label);
    int (*git_resolve)(const char *cache, const char *url, const char *rev,
                       bool offline, char commit[41], const char *label);
    int (*git_remote_rev)(const char *url, const char *rev, char commit[41],
                          const char *label);
    int (*git_export)(const char *cache, const char *url, const char *commit,
                      const char *dir, const char *label);
    int (*git_project_state)(const char *dir, char commit[41], bool *dirty);
};

#define NETLIB_SONAME "libmirleft-net.so"
#define NETLIB_SYMBOL "mirleft_netlib_api"

#endif
