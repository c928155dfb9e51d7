// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/runtime/SecretValues.h"

namespace flowdeck::runtime {

using nlohmann::json;

json sealLeaves(const json &value, const SecretCodec &codec)
{
    if (value.is_object()) {
        json out = json::object();
        for (auto it = value.begin(); it != value.end(); ++it)
            out[it.key()] = sealLeaves(it.value(), codec);
        return out;
    }
    if (value.is_array()) {
        json out = json::array();
        for (const auto &v : value)
            out.push_back(sealLeaves(v, codec));
        return out;
    }
    if (value.is_string() && codec.isSealed(value.get_ref<const std::string &>()))
        return value;
    return codec.seal(value.dump());
}

Result<json> openLeaves(const json &value, const SecretCodec &codec)
{
    if (value.is_object() || value.is_array()) {
        json out = value;
        for (auto it = out.begin(); it != out.end(); ++it) {
            auto opened = openLeaves(it.value(), codec);
            if (!opened)
                return opened.error();
            it.value() = std::move(*opened);
        }
        return out;
    }
    if (!value.is_string() || !codec.isSealed(value.get_ref<const std::string &>()))
        return value;
    auto plain = codec.open(value.get_ref<const std::string &>());
    if (!plain)
        return Error::invalid("an encrypted value cannot be decrypted with this store's key "
                              "(was the key file replaced or lost? docs/engine.md, \"Secrets\")");
    json parsed = json::parse(*plain, nullptr, false);
    if (parsed.is_discarded())
        return Error::invalid("an encrypted value holds no JSON value");
    return parsed;
}

bool hasSealed(const json &value, const SecretCodec &codec)
{
    if (value.is_string())
        return codec.isSealed(value.get_ref<const std::string &>());
    if (value.is_object() || value.is_array())
        for (const auto &v : value)
            if (hasSealed(v, codec))
                return true;
    return false;
}

std::vector<std::string> encryptionPointers(const json &decorators)
{
    std::vector<std::string> pointers;
    if (!decorators.is_array())
        return pointers;
    for (const auto &d : decorators)
        if (d.is_object() && d.value("type", json()) == "encryption" && d.contains("pointer") &&
            d["pointer"].is_string())
            pointers.push_back(d["pointer"].get<std::string>());
    return pointers;
}

std::vector<std::string> jobVariablePointers(const json &workflowDocument)
{
    std::vector<std::string> pointers;
    if (!workflowDocument.is_object())
        return pointers;
    for (const auto &pointer : encryptionPointers(workflowDocument.value("decorators", json())))
        pointers.push_back(pointer.rfind("/variables/", 0) == 0 ? pointer : "/variables" + pointer);
    return pointers;
}

void sealAt(json &document, const std::vector<std::string> &pointers, const SecretCodec &codec)
{
    for (const auto &text : pointers) {
        // nlohmann reports a malformed pointer, or an array index that is not a number, by
        // throwing; the validator reports those to the author, so here they seal nothing.
        try {
            const json::json_pointer pointer(text);
            if (!document.contains(pointer))
                continue;
            json &target = document.at(pointer);
            target = sealLeaves(target, codec);
        } catch (const json::exception &) {
            continue;
        }
    }
}

} // namespace flowdeck::runtime
