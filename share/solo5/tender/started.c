/* Telling `mirleft run` that the guest is about to run. Until then every
 * failure exits 1, as the stock Solo5 tenders do; a unikernel may exit 1
 * too. mirleft run sets MIRLEFT_STARTED_FILE, and the tender creates that
 * file just before the guest runs (before its sandbox forbids creating
 * files), so a status that comes without the file is the tender's own
 * "could not start". A file rather than a descriptor: it also crosses
 * the emulated VM of `mirleft run --emulate`. Other callers never set it. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "tender.h"

void tender_started(void)
{
    const char *path = getenv("MIRLEFT_STARTED_FILE");
    if (!path || !*path)
        return;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0)
        close(fd);
    unsetenv("MIRLEFT_STARTED_FILE");
}
