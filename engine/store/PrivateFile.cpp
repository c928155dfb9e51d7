// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/store/PrivateFile.h"

#include <cerrno>
#include <cstdio>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace flowdeck::store {

bool isPlainPath(const std::string &path)
{
    return !path.empty() && path != ":memory:" && !path.starts_with("file:");
}

bool createPrivate(const std::string &path)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        ::close(fd);
        syncDirectoryOf(path);
        return true;
    }
    return errno == EEXIST;
}

bool keepPrivate(const std::string &path)
{
    struct stat st
    {};
    // Only a store's own files: a folder given by mistake is not the store's to change.
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 077) == 0)
        return false;
    const mode_t before = st.st_mode & 0777;
    if (::chmod(path.c_str(), before & 0700) != 0)
        return false;
    std::fprintf(stderr,
                 "flowdeck: %s was readable by other users (mode %04o); it is now %04o, for its "
                 "owner only\n",
                 path.c_str(), unsigned(before), unsigned(before & 0700));
    return true;
}

void syncDirectoryOf(const std::string &path)
{
    const auto slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "."
                            : slash == 0               ? "/"
                                                       : path.substr(0, slash);
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return;
    ::fsync(fd);
    ::close(fd);
}

} // namespace flowdeck::store
