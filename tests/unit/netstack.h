/* The network stack under test (mlt_-prefixed, see netstack.mk), and
 * helpers shared by its unit tests. */
#ifndef NETSTACK_H
#define NETSTACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mirleft/stack.h>
#include <mirleft/udp.h>
#include <mirleft/tcp.h>
#include <mirleft/heap.h>

uint32_t mlt_ml_csum_add(uint32_t, const void *, size_t);
int mlt_ml_net_init(struct ml_net *, const struct ml_net_config *);
int mlt_ml_stack_init(struct ml_stack *, const struct ml_stack_config *);
void mlt_ml_stack_input(struct ml_stack *, uint8_t *, size_t);
void mlt_ml_stack_fini(struct ml_stack *);
ml_ipv4_addr_t mlt_ml_stack_addr(const struct ml_stack *);
void mlt_ml_stack_on_address(struct ml_stack *, ml_stack_addr_fn, void *);
const struct ml_stack_stats *mlt_ml_stack_stats(const struct ml_stack *);
void mlt_ml_udp_on_error(struct ml_udp_sock *, ml_udp_error_fn);
int mlt_ml_udp_bind(struct ml_udp_sock *, struct ml_stack *, uint16_t,
                    ml_udp_recv_fn, void *);
int mlt_ml_udp_sendto(struct ml_udp_sock *, ml_ipv4_addr_t, uint16_t,
                      const void *, size_t);
void mlt_ml_udp_close(struct ml_udp_sock *);
void mlt_ml_timer_run_due(ml_time_t);
void mlt_ml_heap_init(uintptr_t, size_t);
void mlt_ml_heap_stats(struct ml_heap_stats *);



int mlt_ml_tcp_listen(struct ml_tcp_listener *, struct ml_stack *, uint16_t,
                      unsigned, ml_tcp_accept_fn, void *);
void mlt_ml_tcp_unlisten(struct ml_tcp_listener *);
int mlt_ml_tcp_connect(struct ml_stack *, ml_ipv4_addr_t, uint16_t,
                       const struct ml_tcp_callbacks *, void *,
                       struct ml_tcp_conn **);
void mlt_ml_tcp_set_callbacks(struct ml_tcp_conn *,
                              const struct ml_tcp_callbacks *, void *);
long mlt_ml_tcp_write(struct ml_tcp_conn *, const void *, size_t);
size_t mlt_ml_tcp_send_space(const struct ml_tcp_conn *);
void mlt_ml_tcp_read_resume(struct ml_tcp_conn *);
int mlt_ml_tcp_shutdown(struct ml_tcp_conn *);
void mlt_ml_tcp_close(struct ml_tcp_conn *);
void mlt_ml_tcp_abort(struct ml_tcp_conn *);
void mlt_ml_tcp_nodelay(struct ml_tcp_conn *, bool);
void mlt_ml_tcp_keepalive(struct ml_tcp_conn *, unsigned, unsigned, unsigned);
void mlt_ml_tcp_set_buffers(struct ml_stack *, size_t, size_t);
size_t mlt_ml_timer_count(void);
#endif
