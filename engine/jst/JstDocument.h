// SPDX-License-Identifier: GPL-3.0-or-later
// A JST (JSON Schema Transformation) document: the dataflow graph Itential's transformation
// task runs. Parsing splits the flat `steps` list into nodes and assign edges (the array order
// is not execution order) and keeps the document's JSON verbatim for export. Parsing checks
// only the shape the evaluator needs; JstValidator reports everything else with pointers.
#pragma once

#include "engine/model/Error.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace flowdeck::jst {

/// One end of an assign edge: {location, name, ptr}.
struct JstPort
{
    std::string location; ///< "incoming", "outgoing", "method", "declaration", "template", …
    nlohmann::json name;  ///< a schema $id (string) or a node id (integer)
    std::string ptr;      ///< a JSON pointer: "/return/…", "/args/<i>/value", "/context", "/a"
    bool isNode() const { return location != "incoming" && location != "outgoing"; }
};

/// A node: method, declaration, template, custom-function call or switch (type "context").
struct JstNode
{
    long long id = 0;
    std::string type;
    std::string library;
    std::string method;
    nlohmann::json args = nlohmann::json::array();    ///< static literals; null = no static value
    std::string context = "#";                        ///< "#" or "#/<switchId>[<case>]"…
    std::string function;                             ///< callee id of a "function" node
    std::string templateText;                         ///< text of a "template" node
    nlohmann::json returns = nlohmann::json::array(); ///< case values of a switch node
    int polymorphIndex = 0;                           ///< which overload of a constructor
    std::size_t stepIndex = 0;                        ///< position in the owning `steps` array
};

/// An assign step: copy the value at `from` to `to`.
struct JstEdge
{
    long long id = 0;
    JstPort from;
    JstPort to;
    std::size_t stepIndex = 0;
};

/// A graph: the document itself or one of its `functions`.
struct JstGraph
{
    std::string id; ///< the function id callers use; empty for the document
    std::string name;
    std::string pointer; ///< where the graph sits in the document: "" or "/functions/<k>"
    std::vector<nlohmann::json> incoming; ///< schemas, one per variable, named by "$id"
    std::vector<nlohmann::json> outgoing;
    std::vector<JstNode> nodes;
    std::vector<JstEdge> edges;
    std::vector<JstGraph> functions;

    static std::string schemaId(const nlohmann::json &schema);
};

class JstDocument
{
public:
    /// The document, or Error::invalid when its shape cannot be evaluated (steps that are not
    /// objects, an assign without from/to, a node without an integer id, …).
    static Result<JstDocument> parse(const nlohmann::json &document);

    const nlohmann::json &json() const { return m_json; }
    const JstGraph &graph() const { return m_graph; }
    std::string id() const;
    std::string name() const;
    std::string version() const;

    /// The function a node in `from` calls by `id`: its own functions first, then the
    /// document's (functions nest one level deep). nullptr when there is none.
    const JstGraph *findFunction(const JstGraph &from, const std::string &id) const;

private:
    nlohmann::json m_json;
    JstGraph m_graph;
};

/// The distinct `${name}` placeholders of a template, in order of first appearance: the
/// template node has one argument slot per entry.
std::vector<std::string> templatePlaceholders(const std::string &text);

/// RFC 6901 tokens of a JSON pointer; Error::invalid when it is not one ("a", "/~2").
Result<std::vector<std::string>> pointerTokens(const std::string &pointer);

} // namespace flowdeck::jst
