/*
 * The platform interface (share/include/mirleft/platform.h) on the RP2040:
 * the console is UART0 at 115200 8N1 on GPIO0 (TX) and GPIO1 (RX), the
 * monotonic clock is the TIMER's 64-bit microsecond count, and yield
 * sleeps in WFI until TIMER alarm 0 or a device interrupt. There is no
 * real-time clock: wall time is the time since boot. The chip has no net
 * or block device; their calls answer ML_R_EINVAL.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mirleft/platform.h"
#include "rp2040.h"
#include "rp2040_irq.h"

#define FUNCSEL_UART 2u
#define IO_CTRL(pin) (IO_BANK0_BASE + 8u * (pin) + 4u)
#define NS_PER_US 1000u

void ml_rp2040_uart_setup(uint32_t base, uint32_t baud)
{
    /* divisor = clk_peri / (16 baud) in 16.6 fixed point, rounded */
    uint32_t d64 = (4u * ML_RP2040_CLK_SYS_HZ + baud / 2u) / baud;
    uint32_t ibrd = d64 >> 6, fbrd = d64 & 63u;
    if (ibrd == 0) {
        ibrd = 1;
        fbrd = 0;
    } else if (ibrd >= 65535u) {
        ibrd = 65535u;
        fbrd = 0;
    }
    REG(base + UART_CR) = 0;
    REG(base + UART_IBRD) = ibrd;
    REG(base + UART_FBRD) = fbrd;
    REG(base + UART_LCR_H) = 0x70u;            /* 8N1, FIFOs on; latches */
    REG(base + UART_CR) = 0x301u;              /* UARTEN, TXE, RXE */
}

void ml_rp2040_console_init(void)
{
    ml_rp2040_uart_setup(UART0_BASE, ML_RP2040_CONSOLE_BAUD);
    REG(IO_CTRL(0)) = FUNCSEL_UART;
    REG(IO_CTRL(1)) = FUNCSEL_UART;
}

void ml_plat_console_write(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        while (REG(UART0_BASE + UART_FR) & UART_FR_TXFF)
            ;
        REG(UART0_BASE + UART_DR) = (uint8_t)buf[i];
    }
}

/* Microseconds since boot: the unlatched halves, high read twice so a
 * carry between the two reads is seen and retried. */
static uint64_t time_us(void)
{
    uint32_t hi, lo, again;
    do {
        hi = REG(TIMER_TIMERAWH);
        lo = REG(TIMER_TIMERAWL);
        again = REG(TIMER_TIMERAWH);
    } while (hi != again);
    return ((uint64_t)hi << 32) | lo;
}

ml_time_t ml_plat_clock_monotonic(void)
{
    return time_us() * NS_PER_US;
}

ml_time_t ml_plat_clock_wall(void)
{
    return ml_plat_clock_monotonic();
}

/* Alarm 0 fired: acknowledge it (its IRQ is a level). */
static void alarm_irq(void)
{
    REG(TIMER_INTR) = 1u;
}

void ml_plat_yield(ml_time_t deadline, ml_handle_set_t *ready)
{
    static bool armed_irq;
    uint64_t until = deadline / NS_PER_US + (deadline % NS_PER_US != 0);
    ml_handle_set_t set = 0;

    if (!armed_irq) {
        ml_rp2040_irq_set(IRQ_TIMER0, alarm_irq);
        REG_SET(TIMER_INTE) = 1u;
        armed_irq = true;
    }
    __asm__ volatile("cpsid i" ::: "memory");
    for (;;) {
        set = ml_rp2040_events_take();
        uint64_t now = time_us();
        if (set || now >= until)
            break;
        /* The alarm compares the low 32 bits: at most ~35 min at once. */
        uint64_t step = until - now;
        if (step > 0x7FFFFFFFu)
            step = 0x7FFFFFFFu;
        REG(TIMER_ALARM0) = (uint32_t)(now + step);
        /* WFI wakes on a pending IRQ even with PRIMASK set; the handler
         * runs when interrupts are enabled again below. */
        __asm__ volatile("wfi" ::: "memory");
        __asm__ volatile("cpsie i" ::: "memory");
        __asm__ volatile("cpsid i" ::: "memory");
    }
    __asm__ volatile("cpsie i" ::: "memory");
    REG(TIMER_ARMED) = 1u;
    if (ready)
        *ready = set;
}

_Noreturn void ml_plat_exit(int status)
{
    ml_rp2040_exit(status);
}

_Noreturn void ml_plat_abort(void)
{
    static const char msg[] = "mirleft: ABORT: ml_plat_abort() called\n";
    ml_plat_console_write(msg, sizeof msg - 1);
    ml_rp2040_exit(255);
}

ml_result_t ml_plat_net_acquire(const char *name, ml_handle_t *h,
                                struct ml_net_info *info)
{
    (void)name, (void)h, (void)info;
    return ML_R_EINVAL;
}

ml_result_t ml_plat_net_write(ml_handle_t h, const uint8_t *buf, size_t len)
{
    (void)h, (void)buf, (void)len;
    return ML_R_EINVAL;
}

ml_result_t ml_plat_net_read(ml_handle_t h, uint8_t *buf, size_t size,
                             size_t *read_size)
{
    (void)h, (void)buf, (void)size, (void)read_size;
    return ML_R_EINVAL;
}

ml_result_t ml_plat_block_acquire(const char *name, ml_handle_t *h,
                                  struct ml_block_info *info)
{
    (void)name, (void)h, (void)info;
    return ML_R_EINVAL;
}

ml_result_t ml_plat_block_write(ml_handle_t h, uint64_t off,
                                const uint8_t *buf, size_t len)
{
    (void)h, (void)off, (void)buf, (void)len;
    return ML_R_EINVAL;
}

ml_result_t ml_plat_block_read(ml_handle_t h, uint64_t off, uint8_t *buf,
                               size_t len)
{
    (void)h, (void)off, (void)buf, (void)len;
    return ML_R_EINVAL;
}
