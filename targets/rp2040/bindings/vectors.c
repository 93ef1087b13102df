/*
 * The vector table (at 0x10000100, where boot2 points VTOR), the reset
 * handler and the fault handler, and the way out.
 *
 * Exit: ml_plat_exit executes BKPT with the status in r0. Under a debugger
 * or the emulator runner (runner/run.js) the breakpoint halts the core and
 * the host reads r0. On a board with no debugger attached, ARMv6-M turns
 * the BKPT into a HardFault; the fault handler recognises its own exit
 * breakpoint (the stacked PC points at a BKPT 0xAB instruction), records
 * the status in watchdog SCRATCH0 with 0x6D6C6578 ("mlex") in SCRATCH1,
 * and halts the core: interrupts masked, sleeping in WFI, the UART
 * drained. Any other fault records 0x6D6C6661 ("mlfa") and the faulting
 * PC in SCRATCH0 and halts the same way. SCRATCH0-3 survive a watchdog or
 * debugger reset, so a debugger can read why the board stopped.
 */
#include <stddef.h>
#include <stdint.h>

#include "mirleft/platform.h"
#include "rp2040.h"

#define SCRATCH0 (WATCHDOG_BASE + 0x0Cu)
#define SCRATCH1 (WATCHDOG_BASE + 0x10u)
#define EXIT_MAGIC 0x6D6C6578u   /* "mlex" */
#define FAULT_MAGIC 0x6D6C6661u  /* "mlfa" */
#define BKPT_EXIT 0xBEABu        /* bkpt 0xab */

extern uint32_t __data_start[], __data_end[], __data_load[];
extern uint32_t __bss_start[], __bss_end[], __heap_start[], __ram_end[];
extern void (*__init_array_start[])(void), (*__init_array_end[])(void);

void ml_rp2040_reset(void);
void ml_rp2040_irq_dispatch(void);
static void fault(void);
static void unexpected(void);

typedef void (*vector_fn)(void);

/* 16 system entries and 32 IRQs; IRQs the bindings do not use go to
 * ml_rp2040_irq_dispatch, which calls the handler a device registered. */
__attribute__((section(".vectors"), used))
static const vector_fn vectors[48] = {
    [0] = (vector_fn)(uintptr_t)__ram_end,
    [1] = ml_rp2040_reset,
    [2] = unexpected,           /* NMI */
    [3] = fault,                /* HardFault */
    [11] = unexpected,          /* SVCall */
    [14] = unexpected,          /* PendSV */
    [15] = unexpected,          /* SysTick */
    [16 ... 47] = ml_rp2040_irq_dispatch,
};

/* Copy .data, zero .bss, run constructors; then clocks, the console and
 * the runtime. Written without calls to memcpy/memset: none is set up. */
__attribute__((noreturn, used))
void ml_rp2040_reset(void)
{
    volatile uint32_t *src = __data_load, *dst = __data_start;
    while (dst < __data_end)
        *dst++ = *src++;
    for (dst = __bss_start; dst < __bss_end; dst++)
        *dst = 0;
    ml_rp2040_clocks_init();
    ml_rp2040_console_init();
    for (void (**f)(void) = __init_array_start; f < __init_array_end; f++)
        (*f)();
    struct ml_start_info si = {
        .cmdline = ml_rp2040_cmdline(),
        .heap_start = (uintptr_t)__heap_start,
        .heap_size = (size_t)((uintptr_t)__ram_end - (uintptr_t)__heap_start),
    };
    ml_rp2040_exit(ml_plat_main(&si));
}

static void wait_uart_idle(void)
{
    while (REG(UART0_BASE + UART_FR) & UART_FR_BUSY)
        ;
}

/* Halted in low power: nothing runs again until a reset. */
static _Noreturn void halt(uint32_t magic, uint32_t value)
{
    REG(SCRATCH0) = value;
    REG(SCRATCH1) = magic;
    wait_uart_idle();
    __asm__ volatile("cpsid i");
    REG(NVIC_ICER) = 0xFFFFFFFFu;
    for (;;)
        __asm__ volatile("wfi");
}

_Noreturn void ml_rp2040_exit(int status)
{
    wait_uart_idle();
    register int r0 __asm__("r0") = status;
    __asm__ volatile("bkpt 0xab" : : "r"(r0) : "memory");
    /* A debugger that resumes past the breakpoint lands here. */
    halt(EXIT_MAGIC, (uint32_t)status);
}

/* HardFault: the exception frame is on the stack that was in use
 * (EXC_RETURN bit 2 picks MSP or PSP); its PC is word 6. */
__attribute__((naked)) static void fault(void)
{
    __asm__ volatile(
        "movs r0, #4\n"
        "mov  r1, lr\n"
        "tst  r0, r1\n"
        "beq  1f\n"
        "mrs  r0, psp\n"
        "b    2f\n"
        "1: mrs r0, msp\n"
        "2: ldr r1, =ml_rp2040_fault_frame\n"
        "bx   r1\n");
}

__attribute__((noreturn, used))
void ml_rp2040_fault_frame(const uint32_t *frame)
{
    uint32_t pc = frame[6];
    const uint16_t *insn = (const uint16_t *)(uintptr_t)(pc & ~1u);
    if ((pc >= 0x10000000u && pc < 0x11000000u) && *insn == BKPT_EXIT)
        halt(EXIT_MAGIC, frame[0]);      /* r0: the exit status */
    halt(FAULT_MAGIC, pc);
}

static void unexpected(void)
{
    halt(FAULT_MAGIC, 0);
}
