// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/store/StoreLock.h"

#include "engine/store/PrivateFile.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <ctime>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace flowdeck::store {
namespace {

std::string nowIso()
{
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

std::string hostName()
{
    char buffer[256] = {};
    if (::gethostname(buffer, sizeof buffer - 1) != 0)
        return "this machine";
    return buffer;
}

StoreLock::Holder readHolder(int fd)
{
    StoreLock::Holder out;
    std::string text;
    char buffer[512];
    ssize_t n = 0;
    off_t at = 0;
    while ((n = ::pread(fd, buffer, sizeof buffer, at)) > 0 && text.size() < 4096) {
        text.append(buffer, std::size_t(n));
        at += n;
    }
    const auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_object())
        return out;
    if (const auto pid = doc.find("pid"); pid != doc.end() && pid->is_number_integer())
        out.pid = pid->get<long>();
    if (const auto host = doc.find("host"); host != doc.end() && host->is_string())
        out.host = host->get<std::string>();
    if (const auto since = doc.find("since"); since != doc.end() && since->is_string())
        out.since = since->get<std::string>();
    return out;
}

int openLockFile(const std::string &path)
{
    return ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
}

} // namespace

std::string StoreLock::lockPath(const std::string &storePath)
{
    return storePath + ".lock";
}

Result<StoreLock> StoreLock::acquire(const std::string &storePath)
{
    if (!isPlainPath(storePath))
        return StoreLock();
    const std::string path = lockPath(storePath);
    const int fd = openLockFile(path);
    if (fd < 0)
        return Error::unavailable("the lock file " + path +
                                  " cannot be opened: " + std::strerror(errno));
    keepPrivate(path);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int why = errno;
        const Holder h = why == EWOULDBLOCK ? readHolder(fd) : Holder{};
        ::close(fd);
        if (why != EWOULDBLOCK)
            return Error::unavailable("the store " + storePath +
                                      " cannot be locked: " + std::strerror(why));
        std::string who = "another Flowdeck process";
        if (h.pid > 0)
            who = "Flowdeck process " + std::to_string(h.pid) + " on " +
                  (h.host.empty() ? std::string("an unknown host") : h.host) +
                  (h.since.empty() ? std::string() : " since " + h.since);
        Error e = Error::conflict(
            "the store " + storePath + " is in use by " + who +
            "; a store runs in one engine at a time. Stop that process, or open another store");
        e.details = {{"pid", h.pid}, {"host", h.host}, {"since", h.since}};
        return e;
    }
    const std::string text =
        nlohmann::json{{"pid", long(::getpid())}, {"host", hostName()}, {"since", nowIso()}}
            .dump() +
        "\n";
    // Best effort: the lock is what excludes; the text only names the holder.
    if (::ftruncate(fd, 0) == 0) [[maybe_unused]]
        auto n = ::pwrite(fd, text.data(), text.size(), 0);
    return StoreLock(fd);
}

Result<StoreLock::Holder> StoreLock::holder(const std::string &storePath)
{
    const std::string path = lockPath(storePath);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return Error::notFound("nobody holds the store " + storePath);
    // Taking a shared lock succeeds only when nobody holds the exclusive one.
    if (::flock(fd, LOCK_SH | LOCK_NB) == 0) {
        ::close(fd);
        return Error::notFound("nobody holds the store " + storePath);
    }
    Holder h = readHolder(fd);
    ::close(fd);
    return h;
}

StoreLock::StoreLock(StoreLock &&other) noexcept : m_fd(other.m_fd)
{
    other.m_fd = -1;
}

StoreLock &StoreLock::operator=(StoreLock &&other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = other.m_fd;
        other.m_fd = -1;
    }
    return *this;
}

StoreLock::~StoreLock()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

} // namespace flowdeck::store
