/* The runtime's entry from the bindings: heap, generated boot (arguments,
 * devices, the application's start), then the event loop. */
#include <stdio.h>
#include <mirleft/runtime.h>

int ml_plat_main(const struct ml_start_info *si)
{
    int status;

    /* The stack grows down from the top of the region: keep it out. */
    ml_heap_init(si->heap_start,
                 si->heap_size - ml_heap_stack_reserve(si->heap_size));
    status = mlgen_boot(si->cmdline ? si->cmdline : "");
    if (status == 0)
        status = ml_loop_run();
    fflush(stdout);
    return ml_exit_status(status);
}
