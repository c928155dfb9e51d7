// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer's entry point for one target, chosen at build time (FLOWDECK_FUZZ_TARGET).
#include "fuzz/FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    return flowdeck::fuzz::FLOWDECK_FUZZ_TARGET(data, size);
}
