/* Timers and the event loop on a fake platform (stubs.c): the timer heap
 * against a brute-force model under random arm/stop/re-arm, firing order
 * and times, periodic timers, watches, holds, ml_loop_stop, ml_exit,
 * ml_fatal, the log, and ml_plat_main's boot sequence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mlt.h"

static unsigned long long rng_state = 0xda942042e4dd58b5ULL;
static unsigned long long rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
static unsigned pick(unsigned n) { return (unsigned)(rnd() % n); }

#define N 3000
static struct ml_timer timers[N];
static int armed[N];
static ml_time_t when[N];
static unsigned long long order[N]; /* model's tie-break: arm order */
static unsigned long long arm_counter;
static int fired[N], nfired, fire_log[N * 2];
static ml_time_t fire_time[N * 2];

static void on_fire(struct ml_timer *t, void *arg)
{
    int i = (int)(intptr_t)arg;
    (void)t;
    fired[i]++;
    fire_time[nfired] = fake_now;
    fire_log[nfired++] = i;
}

static void model_arm(int i, ml_time_t at)
{
    mlt_ml_timer_start_at(&timers[i], at, 0);
    armed[i] = 1;
    when[i] = at;
    order[i] = arm_counter++;
}

static int model_min(void)
{
    int i, best = -1;
    for (i = 0; i < N; i++)
        if (armed[i] && (best < 0 || when[i] < when[best] ||
                         (when[i] == when[best] && order[i] < order[best])))
            best = i;
    return best;
}

/* Random arm / re-arm / stop, checking after each that the heap's first
 * timer is the model's and the count agrees; then the loop fires them all
 * in (deadline, arm order) order, each at its deadline. */
static void heap_vs_model(void)
{
    int op, i, count = 0, k;

    fake_now = 1000;
    for (i = 0; i < N; i++)
        mlt_ml_timer_init(&timers[i], on_fire, (void *)(intptr_t)i);
    for (op = 0; op < 20000; op++) {
        i = (int)pick(N);
        if (pick(3) == 0) {
            mlt_ml_timer_stop(&timers[i]);
            count -= armed[i];
            armed[i] = 0;
        } else {
            count += !armed[i];
            model_arm(i, 1000 + pick(pick(2) ? 50 : 1000000));
        }
        if (op % 7 == 0 || op < 500) {
            int m = model_min();
            CHECK(mlt_ml_timer_count() == (size_t)count, "count %zu vs %d",
                  mlt_ml_timer_count(), count);
            CHECK((m < 0 && !mlt_ml_timer_first()) ||
                      (m >= 0 && mlt_ml_timer_first() == &timers[m]),
                  "op %d: heap min is not the model's", op);
        }
    }
    memset(fired, 0, sizeof fired);
    nfired = 0;
    CHECK(mlt_ml_loop_run() == 0, "loop status");
    CHECK(nfired == count, "fired %d of %d", nfired, count);
    for (k = 0; k < nfired; k++) {
        int m = model_min();
        CHECK(fire_log[k] == m, "firing %d: timer %d, expected %d", k,
              fire_log[k], m);
        CHECK(m < 0 || fire_time[k] == when[m], "timer %d fired at %llu, due %llu",
              m, (unsigned long long)fire_time[k],
              (unsigned long long)(m < 0 ? 0 : when[m]));
        if (m >= 0)
            armed[m] = 0;
    }
    CHECK(mlt_ml_timer_count() == 0 && mlt_ml_loop_pending() == 0,
          "nothing pending after the loop");
}

/* Periodic timer: ticks at 10, 20, ... until a one-shot at 105 stops it. */
static struct ml_timer tick, stopper;
static int ticks;
static void on_tick(struct ml_timer *t, void *arg)
{
    (void)t; (void)arg;
    CHECK(fake_now % 10 == 0, "tick at %llu", (unsigned long long)fake_now);
    ticks++;
}
static void on_stop(struct ml_timer *t, void *arg)
{
    (void)t; (void)arg;
    mlt_ml_timer_stop(&tick);
}

static void periodic(void)
{
    fake_now = 0;
    ticks = 0;
    mlt_ml_timer_init(&tick, on_tick, NULL);
    mlt_ml_timer_init(&stopper, on_stop, NULL);
    mlt_ml_timer_start(&tick, 10, 10);
    mlt_ml_timer_start(&stopper, 105, 0);
    CHECK(mlt_ml_loop_run() == 0, "periodic: loop status");
    CHECK(ticks == 10, "periodic: %d ticks", ticks);
    CHECK(fake_now == 105, "periodic: ended at %llu", (unsigned long long)fake_now);
}

/* A late loop collapses the missed ticks into one late tick, then keeps
 * the phase: ticks at 10, (slow callback until 45) 45, 50. */
static ml_time_t late_times[3];
static void on_late_tick(struct ml_timer *t, void *arg)
{
    (void)arg;
    late_times[ticks++] = fake_now;
    if (ticks == 1)
        fake_now += 35; /* a slow callback: misses ticks at 20, 30, 40 */
    if (ticks == 3)
        mlt_ml_timer_stop(t);
}

static void late_periodic(void)
{
    fake_now = 0;
    ticks = 0;
    mlt_ml_timer_init(&tick, on_late_tick, NULL);
    mlt_ml_timer_start(&tick, 10, 10);
    mlt_ml_loop_run();
    CHECK(ticks == 3 && late_times[0] == 10 && late_times[1] == 45 &&
              late_times[2] == 50, "late periodic: %d ticks at %llu %llu %llu",
          ticks, (unsigned long long)late_times[0],
          (unsigned long long)late_times[1], (unsigned long long)late_times[2]);
}

/* A timer re-arming itself with no delay must not starve the devices. */
static int spins;
static void on_spin(struct ml_timer *t, void *arg)
{
    (void)arg;
    if (++spins < 1000)
        mlt_ml_timer_start(t, 0, 0);
}

static void no_starvation(void)
{
    struct ml_timer t;
    int before;

    fake_now = 0;
    spins = 0;
    before = yields;
    mlt_ml_timer_init(&t, on_spin, NULL);
    mlt_ml_timer_start(&t, 0, 0);
    mlt_ml_loop_run();
    CHECK(spins == 1000 && yields - before >= 999,
          "zero-delay rearm: %d spins, %d yields", spins, yields - before);
}

/* Watches: device input at t=50 on handle 3 reaches its watcher. */
static int reads;
static void on_ready(ml_handle_t h, void *arg)
{
    CHECK(h == 3 && arg == (void *)&reads, "watch: handle %llu",
          (unsigned long long)h);
    CHECK(fake_now == 50, "watch: called at %llu", (unsigned long long)fake_now);
    if (++reads == 2)
        mlt_ml_loop_unwatch(3);
}

static void watches(void)
{
    fake_now = 0;
    reads = 0;
    CHECK(mlt_ml_loop_watch(64, on_ready, NULL) == -1, "handle 64 rejected");
    CHECK(mlt_ml_loop_watch(3, on_ready, &reads) == 0, "watch 3");
    CHECK(mlt_ml_loop_pending() == 1, "a watch is pending work");
    fake_event(50, (1u << 3) | (1u << 5)); /* 5 is not watched */
    fake_event(50, 1u << 3);
    CHECK(mlt_ml_loop_run() == 0, "watch: loop status");
    CHECK(reads == 2, "watch: %d reads", reads);
}

/* Holds keep the loop alive until released. */
static struct ml_timer releaser;
static void on_release(struct ml_timer *t, void *arg)
{
    (void)t; (void)arg;
    mlt_ml_loop_release();
}

static void holds(void)
{
    fake_now = 0;
    mlt_ml_loop_hold();
    mlt_ml_timer_init(&releaser, on_release, NULL);
    mlt_ml_timer_start(&releaser, 30, 0);
    fake_event(70, 0); /* the hold alone: yield wakes with nothing */
    CHECK(mlt_ml_loop_run() == 0 && fake_now == 30, "hold: ended at %llu",
          (unsigned long long)fake_now);
    /* Release without a hold is harmless. */
    mlt_ml_loop_release();
    CHECK(mlt_ml_loop_pending() == 0, "pending after release");
    fake_event(0, 0);
    mlt_ml_loop_hold();
    mlt_ml_loop_release();
}

/* ml_loop_stop returns its status from ml_loop_run; the rest stays armed. */
static struct ml_timer s1, s2;
static void on_s1(struct ml_timer *t, void *arg)
{
    (void)t; (void)arg;
    mlt_ml_loop_stop(7);
}

static void stop(void)
{
    fake_now = 0;
    mlt_ml_timer_init(&s1, on_s1, NULL);
    mlt_ml_timer_init(&s2, on_s1, NULL);
    mlt_ml_timer_start(&s1, 5, 0);
    mlt_ml_timer_start(&s2, 500, 0);
    CHECK(mlt_ml_loop_run() == 7, "stop status");
    CHECK(mlt_ml_timer_count() == 1 && fake_now == 5, "stop: the rest stays");
    mlt_ml_timer_stop(&s2);
}

/* ml_exit flushes stdout then exits; ml_fatal says why and exits 1. */
static void exits(void)
{
    int r;

    exit_armed = 1;
    console_reset();
    if ((r = setjmp(exit_jmp)) == 0) {
        mlt_printf("partial line");
        mlt_ml_exit(3);
    }
    CHECK(r == 3 + 1 && strcmp(console, "partial line") == 0,
          "ml_exit: status %d, console \"%s\"", r - 1, console);
    console_reset();
    if ((r = setjmp(exit_jmp)) == 0) {
        mlt_printf("out ");
        mlt_ml_fatal("bad %s %d", "thing", 42);
    }
    CHECK(r == 1 + 1 && strcmp(console, "out fatal: bad thing 42\n") == 0,
          "ml_fatal: status %d, console \"%s\"", r - 1, console);
    console_reset();
    if ((r = setjmp(exit_jmp)) == 0)
        mlt_ml_assert_fail("x > 0", "app.c", 12, "start");
    CHECK(r == 256 + 1 && strcmp(console, "app.c:12: start: assertion "
                                          "\"x > 0\" failed\n") == 0,
          "assert: %d, console \"%s\"", r, console);
    exit_armed = 0;
}

static void logging(void)
{
    console_reset();
    CHECK(mlt_ml_log_set_level("nonsense") == -1, "unknown level");
    CHECK(mlt_ml_log_set_level("WARNING") == 0 && mlt_ml_log_threshold == 1,
          "warning");
    mlt_ml_log(2, "not shown %d", 1);
    mlt_ml_log(0, "shown %d", 2);
    CHECK(mlt_ml_log_set_level("debug") == 0, "debug");
    mlt_ml_log(3, "dbg");
    CHECK(strcmp(console, "[ERROR] shown 2\n[DEBUG] dbg\n") == 0,
          "log: \"%s\"", console);
    mlt_ml_log_set_level("info");
}

/* ml_plat_main: heap first, then the generated boot, then the loop. */
extern int (*fake_boot)(const char *);
static struct ml_timer boot_timer;
static int boot_calls;
static void on_boot_timer(struct ml_timer *t, void *arg)
{
    (void)t; (void)arg;
    mlt_printf("timer fired");
    mlt_ml_loop_stop(5);
}
static int boot_ok(const char *cmdline)
{
    void *p = mlt_malloc(1000);
    boot_calls++;
    CHECK(strcmp(cmdline, "--hello=x") == 0, "cmdline \"%s\"", cmdline);
    CHECK(p != NULL, "malloc works in boot");
    mlt_free(p);
    mlt_ml_timer_init(&boot_timer, on_boot_timer, NULL);
    mlt_ml_timer_start(&boot_timer, 1, 0);
    return 0;
}
static int boot_fail(const char *cmdline)
{
    (void)cmdline;
    return 64;
}

static void booting(void)
{
    static _Alignas(16) unsigned char mem[2 << 20];
    struct ml_start_info si = { "--hello=x", (uintptr_t)mem, sizeof mem };
    struct ml_heap_stats st;

    console_reset();
    fake_boot = boot_ok;
    CHECK(mlt_ml_plat_main(&si) == 5, "boot: loop status");
    CHECK(boot_calls == 1 && strcmp(console, "timer fired") == 0,
          "boot: flushed at the end: \"%s\"", console);
    mlt_ml_heap_stats(&st);
    /* 2 MiB: the stack takes a quarter (512 KiB is more than 256 KiB, so
     * 256 KiB), the heap the rest. */
    CHECK(st.total <= sizeof mem - 256 * 1024 &&
          st.total > sizeof mem - 256 * 1024 - 64, "heap total %zu", st.total);
    fake_boot = boot_fail;
    CHECK(mlt_ml_plat_main(&si) == 64, "boot failure status");
}

int main(void)
{
    heap_vs_model();
    periodic();
    late_periodic();
    no_starvation();
    watches();
    holds();
    stop();
    exits();
    logging();
    booting();
    return report("loop");
}
