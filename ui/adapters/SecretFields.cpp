// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/adapters/SecretFields.h"

using nlohmann::json;

namespace flowdeck::ui::secretfields {
namespace {

void collect(const json &schema, const QString &at, QStringList &out)
{
    if (!schema.is_object())
        return;
    const json properties = schema.value("properties", json());
    if (!properties.is_object())
        return;
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        const QString pointer = at + u'/' + QString::fromStdString(it.key());
        if (it->is_object() && it->value("format", json()) == "password")
            out << pointer;
        collect(*it, pointer, out);
    }
}

json::json_pointer jsonPointer(const QString &pointer)
{
    return json::json_pointer(pointer.toStdString());
}

} // namespace

QStringList pointers(const json &schema)
{
    QStringList out;
    collect(schema, QString(), out);
    return out;
}

bool isStored(const json &stored, const QString &pointer)
{
    const auto p = jsonPointer(pointer);
    return stored.is_object() && stored.contains(p) && stored[p].is_string() &&
           !stored[p].get_ref<const std::string &>().empty();
}

json withoutSecrets(json stored, const QStringList &pointers)
{
    for (const QString &pointer : pointers)
        if (isStored(stored, pointer))
            stored[jsonPointer(pointer)] = "";
    return stored;
}

json forSave(json edited, const json &stored, const QStringList &pointers)
{
    if (!edited.is_object())
        edited = json::object();
    for (const QString &pointer : pointers) {
        if (!isStored(stored, pointer))
            continue;
        const auto p = jsonPointer(pointer);
        const bool typed = edited.contains(p) && edited[p].is_string() &&
                           !edited[p].get_ref<const std::string &>().empty();
        if (!typed)
            edited[p] = kMask; // creates the enclosing objects when the form left them out
    }
    return edited;
}

} // namespace flowdeck::ui::secretfields
