// SPDX-License-Identifier: GPL-3.0-or-later
#include "fuzz/FuzzTargets.h"

#include "engine/api/WorkflowCatalog.h"
#include "engine/model/JsonParse.h"
#include "engine/model/Workflow.h"
#include "engine/store/SqliteStore.h"
#include "engine/validate/WorkflowValidator.h"

#include <memory>

namespace flowdeck::fuzz {

int workflow(const std::uint8_t *data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    (void)validate::validateWorkflowText(text);
    auto document = parseJson(text);
    if (!document)
        return 0;
    (void)model::Workflow::fromJson(*document);
    // The importer validates again and writes in one transaction; a fresh in-memory store now
    // and then keeps each run as fast as the first.
    static std::unique_ptr<store::SqliteStore> store;
    static int uses = 0;
    if (!store || ++uses % 500 == 0) {
        store.reset();
        auto opened = store::SqliteStore::open(":memory:");
        if (!opened)
            return 0;
        store = std::move(*opened);
    }
    api::WorkflowCatalog catalog(*store);
    api::ImportItem item{"fuzz", *document, {}};
    (void)catalog.import({item}, std::nullopt, api::OnExisting::NewVersion);
    return 0;
}

} // namespace flowdeck::fuzz
