/* The one symbol libmirleft-net.so exports (it is built with hidden
 * visibility, so its own calls never bind to mirleft's forwarders). */
#include "git.h"
#include "netlib.h"
#include "unpack.h"

__attribute__((visibility("default")))
const struct netlib_api mirleft_netlib_api = {
    fetch_url, archive_extract_safe, git_resolve, git_remote_rev, git_export,
    git_project_state,
};
