/* A directory embedded in the image by `mirleft configure` (the crunch
 * backend of kv_ro): the generated C data the tool emits, and the contract
 * between the tool and the runtime. Keys are '/'-separated paths relative
 * to the embedded directory. */
#ifndef MIRLEFT_KV_TREE_H
#define MIRLEFT_KV_TREE_H

#include <stddef.h>
#include <stdint.h>

struct ml_kv_file { const char *key; const unsigned char *data; uint64_t size; unsigned char sha256[32]; };
struct ml_kv_tree { const struct ml_kv_file *files; size_t n; };   /* files sorted by strcmp(key) */

#endif
