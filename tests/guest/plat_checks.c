/*
 * The clock and heap checks of the platform contract. They do not depend
 * on the target, so this one copy is linked into both the spt guest
 * (tests/spt/faults.c) and the hvt guest (tests/hvt/traps.c); the e2e
 * tests expect the same output from both.
 */
#include "guest.h"
#include "plat_checks.h"

int check_time(void)
{
    ml_time_t t0 = ml_plat_clock_monotonic();
    ml_time_t t1 = ml_plat_clock_monotonic();
    CHECK(1, t1 >= t0);
    ml_handle_set_t ready = 99;
    ml_plat_yield(t0, &ready);                    /* in the past: at once */
    CHECK(2, ready == 0);
    CHECK(3, ml_plat_clock_monotonic() - t0 < 50000000ull);
    for (int i = 0; i < 3; i++) {
        ml_time_t a = ml_plat_clock_monotonic();
        ml_plat_yield(a + 100000000ull, &ready);  /* 100 ms */
        ml_time_t slept = ml_plat_clock_monotonic() - a;
        CHECK(4, slept >= 95000000ull && slept < 300000000ull);
        CHECK(5, ready == 0);
    }
    ml_plat_yield(0, NULL);
    CHECK(6, ml_plat_clock_wall() / 1000000000ull >= 1483228800ull);
    say("SUCCESS\n");
    return 0;
}

int check_heap(const struct ml_start_info *si)
{
    extern char _end[];
    CHECK(1, si->heap_start >= (uintptr_t)_end);
    CHECK(2, si->heap_start % 4096 == 0);
    volatile uint8_t *lo = (uint8_t *)si->heap_start;
    volatile uint8_t *hi = lo + si->heap_size - 65536;
    *lo = 1;
    *hi = 2;
    CHECK(3, *lo == 1 && *hi == 2);
    uint8_t here;
    CHECK(4, (uintptr_t)&here > (uintptr_t)hi &&
             (uintptr_t)&here < si->heap_start + si->heap_size);
    say("heap ");
    say_hex(si->heap_start);
    say(" + ");
    say_u64(si->heap_size);
    say("\nSUCCESS\n");
    return 0;
}
