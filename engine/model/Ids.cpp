// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/model/Ids.h"

#include <array>
#include <atomic>
#include <chrono>
#include <mutex>
#include <random>

namespace flowdeck::ids {
namespace {

constexpr char kHex[] = "0123456789abcdef";

std::mt19937_64 &threadRng()
{
    // One generator per thread, each seeded from the OS; ids are not secrets (tokens and
    // passwords use libsodium in engine/access), they only must not collide.
    thread_local std::mt19937_64 rng{[] {
        std::random_device rd;
        std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
        return std::mt19937_64(seq);
    }()};
    return rng;
}

struct ProcessPart
{
    std::array<std::uint8_t, 5> random{};
    std::atomic<std::uint32_t> counter{0};
    ProcessPart()
    {
        auto &rng = threadRng();
        for (auto &b : random)
            b = static_cast<std::uint8_t>(rng());
        counter = static_cast<std::uint32_t>(rng()) & 0xffffffu;
    }
};

ProcessPart &processPart()
{
    static ProcessPart part;
    return part;
}

void appendHex(std::string &out, std::uint8_t byte)
{
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xf]);
}

bool isLowerHex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}
bool isHex(char c)
{
    return isLowerHex(c) || (c >= 'A' && c <= 'F');
}

} // namespace

std::string newObjectId(std::uint32_t epochSeconds)
{
    auto &part = processPart();
    const std::uint32_t count = part.counter.fetch_add(1, std::memory_order_relaxed) & 0xffffffu;
    std::string out;
    out.reserve(24);
    for (int shift = 24; shift >= 0; shift -= 8)
        appendHex(out, static_cast<std::uint8_t>(epochSeconds >> shift));
    for (auto b : part.random)
        appendHex(out, b);
    for (int shift = 16; shift >= 0; shift -= 8)
        appendHex(out, static_cast<std::uint8_t>(count >> shift));
    return out;
}

std::string newObjectId()
{
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return newObjectId(
        static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(now).count()));
}

std::string newUuid()
{
    auto &rng = threadRng();
    std::array<std::uint8_t, 16> b{};
    for (std::size_t i = 0; i < b.size(); i += 8) {
        const std::uint64_t r = rng();
        for (std::size_t j = 0; j < 8; ++j)
            b[i + j] = static_cast<std::uint8_t>(r >> (8 * j));
    }
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40); // version 4
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80); // RFC 4122 variant
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out.push_back('-');
        appendHex(out, b[i]);
    }
    return out;
}

bool isObjectId(std::string_view s)
{
    if (s.size() != 24)
        return false;
    for (char c : s)
        if (!isLowerHex(c))
            return false;
    return true;
}

bool isUuid(std::string_view s)
{
    if (s.size() != 36)
        return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !isHex(s[i]))
            return false;
    }
    return true;
}

bool isTaskKey(std::string_view s)
{
    if (s == "workflow_start" || s == "workflow_end")
        return true;
    if (s.empty() || s.size() > 4)
        return false;
    for (char c : s)
        if (!isHex(c))
            return false;
    return true;
}

} // namespace flowdeck::ids
