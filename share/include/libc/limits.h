/* GCC's own <limits.h> (first on the include path) defines every C limit
 * and then asks for "the system's" with #include_next, which lands here.
 * We have nothing to add but the few POSIX limits code commonly expects. */
#ifndef _ML_LIMITS_H
#define _ML_LIMITS_H

#define PATH_MAX 256
#define NAME_MAX 255

#endif
