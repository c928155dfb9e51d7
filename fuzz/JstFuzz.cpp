// SPDX-License-Identifier: GPL-3.0-or-later
#include "fuzz/FuzzTargets.h"

#include "engine/jst/JstDocument.h"
#include "engine/jst/JstEvaluator.h"
#include "engine/jst/JstValidator.h"
#include "engine/model/JsonParse.h"

namespace flowdeck::fuzz {

int jst(const std::uint8_t *data, std::size_t size)
{
    auto input = parseJson(std::string_view(reinterpret_cast<const char *>(data), size));
    if (!input)
        return 0;
    // {document, incoming, options} runs one case; anything else is the document, run on
    // nothing and on every incoming variable set to the document itself.
    const bool isCase = input->is_object() && input->contains("document");
    const nlohmann::json &json = isCase ? (*input)["document"] : *input;
    if (!jst::validate(json).empty())
        return 0;
    auto document = jst::JstDocument::parse(json);
    if (!document)
        return 0;
    const jst::JstEvaluator evaluator(std::move(*document));
    if (isCase) {
        const auto options = jst::JstOptions::fromJson(input->value("options", nlohmann::json()));
        (void)evaluator.run(input->value("incoming", nlohmann::json::object()), options);
        return 0;
    }
    (void)evaluator.run(nlohmann::json::object(), {});
    nlohmann::json incoming = nlohmann::json::object();
    for (const auto &schema : evaluator.document().graph().incoming)
        incoming[jst::JstGraph::schemaId(schema)] = json;
    jst::JstOptions checked;
    checked.validateIncoming = true;
    checked.revertToDefaultValue = true;
    (void)evaluator.run(incoming, checked);
    return 0;
}

} // namespace flowdeck::fuzz
