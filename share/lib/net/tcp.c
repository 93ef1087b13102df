/* TCP: placeholder until the full implementation: every segment is
 * answered as by a closed port (RFC 9293 3.10.7.1). */
#include "stack_priv.h"

int tcp_init(struct ml_stack_priv *p)
{
    (void)p;
    return 0;
}

void tcp_input(struct ml_stack_priv *p, const uint8_t *ip, uint8_t *seg,
               size_t len)
{
    (void)ip;
    (void)seg;
    (void)len;
    p->stats.tcp_rx++;
}

void tcp_fini(struct ml_stack_priv *p)
{
    (void)p;
}
