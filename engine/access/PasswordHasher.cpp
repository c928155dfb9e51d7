// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/access/PasswordHasher.h"

#include "engine/access/Sodium.h"

#include <sodium.h>

namespace flowdeck::access {
namespace {

// INTERACTIVE: 2 passes over 64 MiB, about 50-100 ms per hash on a current core. That is what
// libsodium recommends for online sign-in: slow enough to make guessing a stolen hash costly,
// fast enough that a burst of sign-ins does not stall the server (sign-in is also throttled).
constexpr unsigned long long kOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr std::size_t kMemLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

} // namespace

Result<std::string> PasswordHasher::hash(std::string_view password)
{
    if (auto r = initSodium(); !r)
        return r.error();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return Error::unavailable("not enough memory to hash a password");
    return std::string(out);
}

bool PasswordHasher::verify(std::string_view hash, std::string_view password)
{
    if (!initSodium().ok())
        return false;
    // crypto_pwhash_str_verify needs a NUL-terminated string that fits its buffer.
    if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES)
        return false;
    const std::string terminated(hash);
    return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::needsRehash(std::string_view hash)
{
    if (!initSodium().ok() || hash.empty() || hash.size() >= crypto_pwhash_STRBYTES)
        return true;
    const std::string terminated(hash);
    // 0: current; 1: other parameters; -1: not an argon2id string at all.
    return crypto_pwhash_str_needs_rehash(terminated.c_str(), kOpsLimit, kMemLimit) != 0;
}

Result<std::string> PasswordHasher::randomPassword(int length)
{
    if (auto r = initSodium(); !r)
        return r.error();
    static constexpr std::string_view kAlphabet =
        "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    std::string out;
    out.reserve(std::size_t(length));
    for (int i = 0; i < length; ++i)
        out += kAlphabet[randombytes_uniform(std::uint32_t(kAlphabet.size()))];
    return out;
}

} // namespace flowdeck::access
