// SPDX-License-Identifier: GPL-3.0-or-later
// Values kept secret at rest (adapter passwords and tokens, values under a workflow's
// encryption decorators): sealed with libsodium's secretbox (XSalsa20-Poly1305) under one key per
// store. The key lives in a file beside the store, readable by its owner only, created on first
// use; losing it makes every sealed value unreadable (docs/store.md says what to keep).
#pragma once

#include "engine/model/Error.h"

#include <array>
#include <string>
#include <string_view>

namespace flowdeck::access {

class SecretBox
{
public:
    /// Shown wherever a secret would be: answers, the window, logs.
    static constexpr const char *kMask = "********";

    /// The box of the store at `storePath`: its key read from `<storePath>.key`, or created
    /// there (0600) when there is none. A ":memory:" or empty path gets a random key that lives
    /// as long as the process. Fails when the key file cannot be read or made, or is not a key.
    static Result<SecretBox> forStore(const std::string &storePath);

    /// The path of the key file of the store at `storePath`.
    static std::string keyPath(const std::string &storePath);

    /// A printable token, "fdsec:v1:" + base64url(nonce + ciphertext); a fresh nonce each time,
    /// so sealing the same value twice gives two tokens.
    std::string seal(std::string_view plain) const;

    /// The value inside a token from seal(). Invalid when it is not such a token, or was sealed
    /// under another key or altered (the message never contains the token or the value).
    Result<std::string> open(std::string_view sealed) const;

    /// Whether `text` has the form of a sealed token.
    static bool isSealed(std::string_view text);

private:
    SecretBox() = default;
    std::array<unsigned char, 32> m_key{};
};

} // namespace flowdeck::access
