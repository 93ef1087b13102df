/* The mirleft runtime in one include: the event loop, timers, clocks,
 * logging, the heap, and the ways out. */
#ifndef MIRLEFT_RUNTIME_H
#define MIRLEFT_RUNTIME_H

#include <mirleft/platform.h>
#include <mirleft/clock.h>
#include <mirleft/heap.h>
#include <mirleft/log.h>
#include <mirleft/loop.h>
#include <mirleft/timer.h>

/* A unikernel's own exit statuses are 0..ML_EXIT_MAX. `mirleft run` keeps
 * 125 for "the unikernel did not start" and 128+N for "a signal killed
 * the tender"; 255 is an abort (a trap, a failed check, ml_plat_abort). */
#define ML_EXIT_MAX 124
/* Ends the unikernel now with `status`, from anywhere: flushes stdout and
 * calls ml_plat_exit. Use ml_loop_stop to leave the loop gracefully. A
 * status outside 0..ML_EXIT_MAX is reported on the console and becomes
 * 255. */
_Noreturn void ml_exit(int status);
/* status if it is a unikernel's (0..ML_EXIT_MAX or 255); else says so on
 * the console and returns 255. Used by ml_exit and the boot path. */
int ml_exit_status(int status);
/* Prints "fatal: <message>\n" and exits with status ML_EXIT_FATAL. */
#define ML_EXIT_FATAL 1
_Noreturn void ml_fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Generated per application by mirleft: parses the runtime arguments,
 * initialises the devices and calls the application's entry. Returns 0 to
 * enter the event loop or an exit status. */
extern int mlgen_boot(const char *cmdline);

#endif
