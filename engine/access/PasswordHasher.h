// SPDX-License-Identifier: GPL-3.0-or-later
// Password hashing with argon2id (libsodium's crypto_pwhash_str). Passwords pass through and
// are never logged, stored or returned; only the self-describing hash string is kept.
#pragma once

#include "engine/model/Error.h"

#include <string>
#include <string_view>

namespace flowdeck::access {

class PasswordHasher
{
public:
    /// The argon2id string ("$argon2id$v=19$m=...") for `password`. Unavailable when the
    /// process cannot get the memory the hash needs.
    static Result<std::string> hash(std::string_view password);
    /// True when `password` matches `hash`; false for a wrong password or a malformed hash.
    static bool verify(std::string_view hash, std::string_view password);
    /// True when `hash` was made with other parameters than hash() uses now (or is not an
    /// argon2id string): the caller re-hashes after the next successful verify.
    static bool needsRehash(std::string_view hash);

    /// A random password of `length` characters from an alphabet without look-alikes (no
    /// 0/O, 1/l/I), for accounts Flowdeck creates itself.
    static Result<std::string> randomPassword(int length);
};

} // namespace flowdeck::access
