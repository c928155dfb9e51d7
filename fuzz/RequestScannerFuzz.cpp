// SPDX-License-Identifier: GPL-3.0-or-later
#include "fuzz/FuzzTargets.h"

#include "engine/http/RequestScanner.h"

#include <cstdlib>

namespace flowdeck::fuzz {

int requestScanner(const std::uint8_t *data, std::size_t size)
{
    if (size < 2)
        return 0;
    // The first byte chooses how the rest is cut into reads, the second the body limit:
    // whatever the cuts, the scanner must reach the same verdict and count.
    const std::size_t step = std::size_t(data[0] % 17) + 1;
    const std::int64_t maxBody = std::int64_t(data[1]) * 4;
    const char *bytes = reinterpret_cast<const char *>(data + 2);
    const std::int64_t length = std::int64_t(size - 2);

    http::RequestScanner whole(maxBody, 1024);
    const auto once = whole.feed(bytes, length);

    http::RequestScanner pieces(maxBody, 1024);
    auto verdict = http::RequestScanner::Verdict::Continue;
    for (std::int64_t at = 0; at < length; at += std::int64_t(step)) {
        verdict = pieces.feed(bytes + at, std::min<std::int64_t>(std::int64_t(step), length - at));
        if (verdict != http::RequestScanner::Verdict::Continue)
            break;
    }
    if (verdict != once)
        std::abort();
    if (once == http::RequestScanner::Verdict::Continue &&
        (whole.requestsCompleted() != pieces.requestsCompleted() ||
         whole.phase() != pieces.phase() || whole.bodyReceived() != pieces.bodyReceived()))
        std::abort();
    // A verdict other than Continue is final.
    if (once != http::RequestScanner::Verdict::Continue && whole.feed("x", 1) != once)
        std::abort();
    return 0;
}

} // namespace flowdeck::fuzz
