/* Interrupts on the RP2040 bindings: a device registers a handler for its
 * IRQ line, and an interrupt that has work for the event loop marks the
 * loop handle it owns as ready; ml_plat_yield returns the marked set. */
#ifndef ML_RP2040_IRQ_H
#define ML_RP2040_IRQ_H

#include <stdint.h>

#include "mirleft/platform.h"

typedef void (*ml_rp2040_irq_fn)(void);

/* Installs fn for external IRQ irq (0..31) and enables the line. */
void ml_rp2040_irq_set(unsigned irq, ml_rp2040_irq_fn fn);
/* From an interrupt handler: loop handle h has work. */
void ml_rp2040_event_raise(ml_handle_t h);
/* With interrupts masked: the raised set, cleared. */
ml_handle_set_t ml_rp2040_events_take(void);
/* A loop handle for a device (counting down from 63, below what the
 * portable runtime uses); -1 when none is left. */
int ml_rp2040_handle_alloc(void);

#endif
