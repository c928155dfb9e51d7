// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/http/OpenFileLimit.h"

#include <sys/resource.h>

namespace flowdeck::http {

long openFileLimit()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return 1L << 20;
    return long(limit.rlim_cur);
}

long raiseOpenFileLimit()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        (void)::setrlimit(RLIMIT_NOFILE, &limit); // refused only by policy: keep what we have
    }
    return openFileLimit();
}

} // namespace flowdeck::http
