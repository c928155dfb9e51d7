// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/StoreSecrets.h"

#include "engine/access/SecretBox.h"

#include <memory>

namespace flowdeck::app {

Result<runtime::SecretCodec> storeSecrets(const std::string &storePath)
{
    auto box = access::SecretBox::forStore(storePath);
    if (!box)
        return box.error();
    auto shared = std::make_shared<const access::SecretBox>(std::move(*box));
    return runtime::SecretCodec{
        [shared](std::string_view plain) { return shared->seal(plain); },
        [shared](std::string_view sealed) { return shared->open(sealed); },
        [](std::string_view text) { return access::SecretBox::isSealed(text); }};
}

} // namespace flowdeck::app
