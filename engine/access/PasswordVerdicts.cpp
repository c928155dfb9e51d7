// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/access/PasswordVerdicts.h"

#include "engine/access/Sodium.h"

#include <sodium.h>

namespace flowdeck::access {

PasswordVerdicts::PasswordVerdicts()
{
    [[maybe_unused]] auto ready = initSodium();
    m_key.resize(crypto_generichash_KEYBYTES);
    randombytes_buf(m_key.data(), m_key.size());
}

std::string PasswordVerdicts::digest(std::string_view hash, std::string_view password) const
{
    crypto_generichash_state state;
    crypto_generichash_init(&state, reinterpret_cast<const unsigned char *>(m_key.data()),
                            m_key.size(), crypto_generichash_BYTES);
    // The length first, so no split of hash and password collides with another.
    const std::uint64_t hashSize = hash.size();
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char *>(&hashSize),
                              sizeof hashSize);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char *>(hash.data()),
                              hash.size());
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char *>(password.data()),
                              password.size());
    std::string out(crypto_generichash_BYTES, '\0');
    crypto_generichash_final(&state, reinterpret_cast<unsigned char *>(out.data()), out.size());
    return out;
}

void PasswordVerdicts::remember(std::string_view hash, std::string_view password, bool verified,
                                store::Millis now)
{
    const std::string key = digest(hash, password);
    std::lock_guard lock(m_mutex);
    if (m_waiting.size() >= kMaxWaiting) {
        std::erase_if(m_waiting, [now](const auto &kv) { return kv.second.until <= now; });
        if (m_waiting.size() >= kMaxWaiting)
            m_waiting.clear(); // only costs a second hash for those that were waiting
    }
    m_waiting[key] = {verified, now + kLifetimeMs};
}

std::optional<bool> PasswordVerdicts::take(std::string_view hash, std::string_view password,
                                           store::Millis now)
{
    const std::string key = digest(hash, password);
    std::lock_guard lock(m_mutex);
    auto it = m_waiting.find(key);
    if (it == m_waiting.end())
        return std::nullopt;
    const Verdict verdict = it->second;
    m_waiting.erase(it);
    if (verdict.until <= now)
        return std::nullopt;
    return verdict.verified;
}

} // namespace flowdeck::access
