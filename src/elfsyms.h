/* The functions an object file defines, read from its ELF symbol table:
 * how build checks that some source defines the entry function before the
 * linker would report it as an undefined reference from generated code. */
#ifndef MIRLEFT_ELFSYMS_H
#define MIRLEFT_ELFSYMS_H

#include <stdbool.h>

#include "util.h"

/* Appends the global and weak functions defined in the ELF32 or ELF64
 * little-endian object at path; false if it cannot be read as one. */
bool elf_defined_functions(const char *path, struct strlist *out);

#endif
