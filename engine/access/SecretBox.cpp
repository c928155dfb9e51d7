// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/access/SecretBox.h"

#include "engine/access/Sodium.h"
#include "engine/store/PrivateFile.h"

#include <sodium.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace flowdeck::access {
namespace {

constexpr std::string_view kPrefix = "fdsec:v1:";
constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
static_assert(crypto_secretbox_KEYBYTES == 32);

bool inMemory(const std::string &path)
{
    return path.empty() || path == ":memory:" || path.starts_with("file::memory:");
}

Result<void> readKey(const std::string &path, std::array<unsigned char, 32> &key)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return Error::unavailable("the key file " + path +
                                  " cannot be read: " + std::strerror(errno));
    unsigned char buffer[33];
    ssize_t total = 0;
    while (total < ssize_t(sizeof buffer)) {
        const ssize_t n = ::read(fd, buffer + total, sizeof buffer - std::size_t(total));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        total += n;
    }
    ::close(fd);
    if (total != ssize_t(key.size()))
        return Error::invalid("the key file " + path + " is not a Flowdeck key (" +
                              std::to_string(total) + " bytes instead of 32)");
    std::memcpy(key.data(), buffer, key.size());
    sodium_memzero(buffer, sizeof buffer);
    return {};
}

/// Writes a new key to `path` atomically: a temporary file made 0600, synced, then linked
/// into place so that two processes racing to create it end up with the same key.
Result<void> createKey(const std::string &path, std::array<unsigned char, 32> &key)
{
    randombytes_buf(key.data(), key.size());
    const std::string temp = path + ".new." + std::to_string(::getpid());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return Error::unavailable("the key file " + path +
                                  " cannot be created: " + std::strerror(errno));
    const bool written = ::write(fd, key.data(), key.size()) == ssize_t(key.size()) &&
                         ::fchmod(fd, 0600) == 0 && ::fsync(fd) == 0;
    ::close(fd);
    if (!written) {
        ::unlink(temp.c_str());
        return Error::unavailable("the key file " + path + " cannot be written");
    }
    // link() fails if another process made the key first: then that key is the key.
    const int linked = ::link(temp.c_str(), path.c_str());
    const int linkErrno = errno;
    ::unlink(temp.c_str());
    if (linked != 0) {
        if (linkErrno == EEXIST)
            return readKey(path, key);
        return Error::unavailable("the key file " + path +
                                  " cannot be created: " + std::strerror(linkErrno));
    }
    store::syncDirectoryOf(path);
    return {};
}

} // namespace

std::string SecretBox::keyPath(const std::string &storePath)
{
    return storePath + ".key";
}

Result<SecretBox> SecretBox::forStore(const std::string &storePath)
{
    if (auto s = initSodium(); !s)
        return s.error();
    SecretBox box;
    if (inMemory(storePath)) {
        randombytes_buf(box.m_key.data(), box.m_key.size());
        return box;
    }
    const std::string path = keyPath(storePath);
    struct stat st
    {};
    if (::stat(path.c_str(), &st) == 0) {
        store::keepPrivate(path);
        if (auto r = readKey(path, box.m_key); !r)
            return r.error();
        return box;
    }
    if (auto r = createKey(path, box.m_key); !r)
        return r.error();
    return box;
}

std::string SecretBox::seal(std::string_view plain) const
{
    std::vector<unsigned char> packed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                      plain.size());
    unsigned char *nonce = packed.data();
    randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(packed.data() + crypto_secretbox_NONCEBYTES,
                          reinterpret_cast<const unsigned char *>(plain.data()), plain.size(),
                          nonce, m_key.data());
    std::string out(kPrefix);
    std::string encoded(sodium_base64_encoded_len(packed.size(), kVariant), '\0');
    sodium_bin2base64(encoded.data(), encoded.size(), packed.data(), packed.size(), kVariant);
    encoded.resize(std::strlen(encoded.c_str()));
    return out + encoded;
}

Result<std::string> SecretBox::open(std::string_view sealed) const
{
    if (!isSealed(sealed))
        return Error::invalid("the value is not a sealed secret");
    sealed.remove_prefix(kPrefix.size());
    std::vector<unsigned char> packed(sealed.size());
    std::size_t length = 0;
    if (sodium_base642bin(packed.data(), packed.size(), sealed.data(), sealed.size(), nullptr,
                          &length, nullptr, kVariant) != 0 ||
        length < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        return Error::invalid("the sealed secret is damaged");
    std::string plain(length - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char *>(plain.data()),
                                   packed.data() + crypto_secretbox_NONCEBYTES,
                                   length - crypto_secretbox_NONCEBYTES, packed.data(),
                                   m_key.data()) != 0)
        return Error::invalid("the sealed secret cannot be opened with this store's key (it was "
                              "sealed under another key, or altered)");
    return plain;
}

bool SecretBox::isSealed(std::string_view text)
{
    return text.starts_with(kPrefix) && text.size() > kPrefix.size();
}

} // namespace flowdeck::access
