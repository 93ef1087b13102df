/* Resources (pins, peripherals) claimed by device parameters: each used
 * once, none the target reserves; and the values a target allows. */
#ifndef MIRLEFT_CLAIMS_H
#define MIRLEFT_CLAIMS_H

#include "diag.h"
#include "model.h"

/* Reports each conflict at the later claimant's value (EXIT_CONFIG). */
void claims_check(const struct graph *g, struct diag *d);
/* Each device's parameters against its target's `allowed` entries
 * (target.yml devices.TYPE.allowed): reported at the first parameter
 * that the nearest entry does not allow (EXIT_CONFIG). */
void allowed_check(const struct graph *g, struct diag *d);

#endif
