/* RP2040 register facts the bindings use (addresses from the datasheet's
 * address map; see /work/shared/specs/rp2040.md), and the bindings'
 * internal interface between their files. */
#ifndef ML_RP2040_H
#define ML_RP2040_H

#include <stdint.h>

#define REG(addr) (*(volatile uint32_t *)(uintptr_t)(addr))
/* Atomic aliases of APB/AHB registers: +0x2000 sets, +0x3000 clears. */
#define REG_SET(addr) REG((addr) + 0x2000u)
#define REG_CLR(addr) REG((addr) + 0x3000u)

#define CLOCKS_BASE 0x40008000u
#define RESETS_BASE 0x4000C000u
#define IO_BANK0_BASE 0x40014000u
#define PADS_BANK0_BASE 0x4001C000u
#define XOSC_BASE 0x40024000u
#define PLL_SYS_BASE 0x40028000u
#define UART0_BASE 0x40034000u
#define UART1_BASE 0x40038000u
#define TIMER_BASE 0x40054000u
#define WATCHDOG_BASE 0x40058000u
#define SIO_BASE 0xD0000000u

/* RESETS bits */
#define RESET_IO_BANK0 (1u << 5)
#define RESET_PADS_BANK0 (1u << 8)
#define RESET_PLL_SYS (1u << 12)
#define RESET_TIMER (1u << 21)
#define RESET_UART0 (1u << 22)

/* TIMER */
#define TIMER_TIMEHR (TIMER_BASE + 0x08u)
#define TIMER_TIMELR (TIMER_BASE + 0x0Cu)
#define TIMER_ALARM0 (TIMER_BASE + 0x10u)
#define TIMER_ARMED (TIMER_BASE + 0x20u)
#define TIMER_TIMERAWH (TIMER_BASE + 0x24u)
#define TIMER_TIMERAWL (TIMER_BASE + 0x28u)
#define TIMER_INTR (TIMER_BASE + 0x34u)
#define TIMER_INTE (TIMER_BASE + 0x38u)

/* UART (PL011) offsets */
#define UART_DR 0x00u
#define UART_FR 0x18u
#define UART_IBRD 0x24u
#define UART_FBRD 0x28u
#define UART_LCR_H 0x2Cu
#define UART_CR 0x30u
#define UART_FR_TXFF (1u << 5)
#define UART_FR_RXFE (1u << 4)
#define UART_FR_BUSY (1u << 3)

/* Cortex-M0+ system control */
#define NVIC_ISER 0xE000E100u
#define NVIC_ICER 0xE000E180u
#define NVIC_ICPR 0xE000E280u

#define IRQ_TIMER0 0

#define ML_RP2040_XOSC_HZ 12000000u
#define ML_RP2040_CLK_SYS_HZ 125000000u
#define ML_RP2040_CONSOLE_BAUD 115200u

/* clocks.c: XOSC, PLL_SYS at 125 MHz, clk_ref, clk_sys, clk_peri and the
 * 1 µs watchdog tick; then the blocks the console and clock need. */
void ml_rp2040_clocks_init(void);
void ml_rp2040_unreset(uint32_t mask);
/* platform.c */
void ml_rp2040_console_init(void);
void ml_rp2040_uart_setup(uint32_t base, uint32_t baud);
/* cmdline.c: the argument block's text, "" when it holds none. */
const char *ml_rp2040_cmdline(void);
/* vectors.c: the exit sequence (breakpoint, status in r0). */
_Noreturn void ml_rp2040_exit(int status);

#endif
