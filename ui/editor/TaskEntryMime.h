// SPDX-License-Identifier: GPL-3.0-or-later
// A palette entry (a GET /workflow_builder/tasks/list entry, engine/model/TaskCatalog.h) as it
// travels in a drag from the palette to the canvas: its JSON in a type of Flowdeck's own, so
// text dragged from elsewhere is not taken for a task.
#pragma once

#include "engine/model/JsonParse.h"

#include <QByteArray>
#include <QMimeData>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace flowdeck::ui::editor {

inline const QString kTaskEntryMimeType = QStringLiteral("application/x-flowdeck-task-entry");

inline QMimeData *taskEntryMime(const nlohmann::json &entry)
{
    auto *mime = new QMimeData;
    mime->setData(kTaskEntryMimeType, QByteArray::fromStdString(entry.dump()));
    return mime;
}

inline std::optional<nlohmann::json> taskEntryFrom(const QMimeData *mime)
{
    if (!mime || !mime->hasFormat(kTaskEntryMimeType))
        return std::nullopt;
    const QByteArray bytes = mime->data(kTaskEntryMimeType);
    // From another application, possibly: the depth-limited parser, and objects only.
    auto entry = parseJson(std::string_view(bytes.constData(), std::size_t(bytes.size())));
    if (!entry || !entry->is_object())
        return std::nullopt;
    return std::move(*entry);
}

} // namespace flowdeck::ui::editor
