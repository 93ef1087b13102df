/* IRQ dispatch: every external vector goes through one function that
 * reads the active exception number (IPSR) and calls what a device
 * registered; events raised by handlers wait for ml_plat_yield. */
#include <stddef.h>

#include "rp2040.h"
#include "rp2040_irq.h"

static ml_rp2040_irq_fn handlers[32];
static volatile ml_handle_set_t raised;
static int next_handle = 63;

void ml_rp2040_irq_set(unsigned irq, ml_rp2040_irq_fn fn)
{
    if (irq >= 32)
        return;
    handlers[irq] = fn;
    REG(NVIC_ICPR) = 1u << irq;
    REG(NVIC_ISER) = 1u << irq;
}

void ml_rp2040_irq_dispatch(void)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    unsigned irq = (ipsr & 0x3Fu) - 16u;
    if (irq < 32 && handlers[irq])
        handlers[irq]();
    else if (irq < 32)
        REG(NVIC_ICER) = 1u << irq;   /* nobody owns it: silence it */
}

void ml_rp2040_event_raise(ml_handle_t h)
{
    /* handlers run with the loop's code preempted, never the reverse:
     * the read-modify-write is safe against the loop, which takes the
     * set with interrupts masked */
    raised |= (ml_handle_set_t)1 << h;
}

ml_handle_set_t ml_rp2040_events_take(void)
{
    ml_handle_set_t s = raised;
    raised = 0;
    return s;
}

int ml_rp2040_handle_alloc(void)
{
    return next_handle >= 32 ? next_handle-- : -1;
}
