/*
 * Platform contract checks that every Solo5 target's test guests run the
 * same way (tests/guest/plat_checks.c). Each returns 0 after printing
 * SUCCESS, or the number of the first check that failed.
 */
#ifndef TESTS_GUEST_PLAT_CHECKS_H
#define TESTS_GUEST_PLAT_CHECKS_H

#include "mirleft/platform.h"

/* Monotonic clock, yield with deadlines, wall clock. */
int check_time(void);
/* The heap region: above the image, page-aligned, writable end to end,
 * with the stack at its top. */
int check_heap(const struct ml_start_info *si);

#endif
