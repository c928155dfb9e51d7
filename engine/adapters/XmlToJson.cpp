// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/adapters/XmlToJson.h"

#include "engine/model/JsonParse.h"

#include <QXmlStreamReader>

#include <vector>

namespace flowdeck::adapters {

using nlohmann::json;

namespace {

/// An element being read: its attributes, its children so far, its text.
struct Open
{
    std::string name;
    json attributes = json::object();
    json children = json::object();
    std::string text;
};

/// The value an element closes to, in xml2js's shape.
json closed(Open &e)
{
    const bool blank = e.text.find_first_not_of(" \t\r\n") == std::string::npos;
    if (e.attributes.empty() && e.children.empty())
        return blank ? json("") : json(e.text);
    json value = std::move(e.children);
    if (!e.attributes.empty())
        value["_attr"] = std::move(e.attributes);
    if (!blank)
        value["_"] = e.text;
    return value;
}

void addChild(json &children, const std::string &name, json value)
{
    if (!children.contains(name)) {
        children[name] = std::move(value);
        return;
    }
    json &slot = children[name];
    if (!slot.is_array()) { // an element's own value is never an array: this is the second
        json first = std::move(slot);
        slot = json::array({std::move(first)});
    }
    slot.push_back(std::move(value));
}

} // namespace

Result<json> xmlToJson(std::string_view xml)
{
    QXmlStreamReader reader(QByteArray(xml.data(), qsizetype(xml.size())));
    std::vector<Open> stack;
    json root;
    bool haveRoot = false;
    while (!reader.atEnd()) {
        switch (reader.readNext()) {
        case QXmlStreamReader::StartElement: {
            // The JSON it becomes is written and read recursively later: the same depth bound
            // as JSON bodies, so a hostile answer nested 100,000 deep is an error, not a crash.
            if (stack.size() >= std::size_t(kMaxJsonDepth))
                return Error::invalid("the XML answer nests deeper than " +
                                      std::to_string(kMaxJsonDepth) + " elements");
            Open e;
            e.name = reader.qualifiedName().toString().toStdString();
            for (const auto &a : reader.attributes())
                e.attributes[a.qualifiedName().toString().toStdString()] =
                    a.value().toString().toStdString();
            stack.push_back(std::move(e));
            break;
        }
        case QXmlStreamReader::Characters:
            if (!stack.empty())
                stack.back().text += reader.text().toString().toStdString();
            break;
        case QXmlStreamReader::EndElement: {
            Open e = std::move(stack.back());
            stack.pop_back();
            json value = closed(e);
            if (stack.empty()) {
                root = {{e.name, std::move(value)}};
                haveRoot = true;
            } else {
                addChild(stack.back().children, e.name, std::move(value));
            }
            break;
        }
        default:
            break;
        }
    }
    if (reader.hasError())
        return Error::invalid("the answer is not well-formed XML (line " +
                              std::to_string(reader.lineNumber()) + ", column " +
                              std::to_string(reader.columnNumber()) +
                              "): " + reader.errorString().toStdString());
    if (!haveRoot)
        return Error::invalid("the answer is an XML document without an element");
    return root;
}

} // namespace flowdeck::adapters
