/* Values from unikernel.yml and mirleft-lib.yml on their way into the
 * generated Makefile, and the rule for flags a library's own metadata may
 * give. Every value reaches the compiler as exactly the word written:
 * neither make nor the shell gets to interpret it. */
#ifndef MIRLEFT_MKQUOTE_H
#define MIRLEFT_MKQUOTE_H

#include <stdbool.h>

#include "util.h"

/* Appends s as one shell word inside a make variable defined with := (or
 * +=): single-quoted for the shell, '$' doubled and '#' spelled
 * $(ML_HASH) for make. s must hold no control character. */
void mk_sh_word(struct strbuf *sb, const char *s);
/* Appends s as one file name in a rule's prerequisite list. */
void mk_prereq(struct strbuf *sb, const char *s);
/* The first control character (newline, tab, ...) of s, or NULL: such a
 * value cannot be written on one Makefile line. */
const char *mk_control_char(const char *s);
/* Only these characters in a path that make must name as a target or a
 * prerequisite (make cannot quote the others there). */
bool mk_plain_path(const char *s);
/* Why a library's metadata (mirleft-lib.yml) may not give the compiler
 * flag f, or NULL when it may: a flag from a fetched library must not be
 * able to change where output goes, load plugins or run programs. */
const char *lib_flag_refusal(const char *f);

#endif
