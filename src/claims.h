/* Resources (pins, peripherals) claimed by device parameters: each used
 * once, none the target reserves. */
#ifndef MIRLEFT_CLAIMS_H
#define MIRLEFT_CLAIMS_H

#include "diag.h"
#include "model.h"

/* Reports each conflict at the later claimant's value (EXIT_CONFIG). */
void claims_check(const struct graph *g, struct diag *d);

#endif
