// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/runtime/TransformationTask.h"

#include "engine/jst/JstEvaluator.h"
#include "engine/model/Ids.h"
#include "engine/runtime/Engine.h"
#include "engine/store/Store.h"

#include <map>
#include <memory>
#include <mutex>

namespace flowdeck::runtime {
namespace {

using nlohmann::json;

/// Compiled JSTs by id. Building an evaluator parses the document and plans every graph;
/// keyed by version, so a JST saved again is compiled again on its next run.
class EvaluatorCache
{
public:
    Result<std::shared_ptr<const jst::JstEvaluator>> get(const store::TransformationRecord &record)
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_entries.find(record.id);
            it != m_entries.end() && it->second.version == record.version)
            return it->second.evaluator;
        auto doc = jst::JstDocument::parse(record.document);
        if (!doc)
            return doc.error();
        auto evaluator = std::make_shared<const jst::JstEvaluator>(std::move(*doc));
        m_entries[record.id] = {record.version, evaluator};
        return evaluator;
    }

private:
    struct Entry
    {
        int version = 0;
        std::shared_ptr<const jst::JstEvaluator> evaluator;
    };
    std::mutex m_mutex;
    std::map<std::string, Entry> m_entries;
};

/// By _id, as Itential's tasks name a JST; by name as well, for hand-written workflows.
Result<store::TransformationRecord> findJst(store::Store &store, const std::string &trId)
{
    if (ids::isObjectId(trId)) {
        auto byId = store.transformationById(trId);
        if (byId || byId.error().code != ErrorCode::NotFound)
            return byId;
    }
    auto byName = store.transformationByName(trId);
    if (byName || byName.error().code != ErrorCode::NotFound)
        return byName;
    return Error::notFound("the JST \"" + trId + "\" (tr_id) is not in the store");
}

tasks::MethodResult runTransformation(store::Store &store, EvaluatorCache &cache,
                                      const tasks::MethodContext &ctx)
{
    const json trId = ctx.incoming.value("tr_id", json());
    if (!trId.is_string() || trId.get<std::string>().empty())
        return tasks::MethodResult::error("transformation: \"tr_id\" must name a JST (its _id), "
                                          "not " +
                                          (trId.is_null() ? std::string("nothing") : trId.dump()));
    auto record = findJst(store, trId.get<std::string>());
    if (!record)
        return tasks::MethodResult::error("transformation: " + record.error().message);
    const std::string label = "transformation \"" + record->name + "\" (" + record->id + ")";

    const json variableMap = ctx.incoming.value("variableMap", json::object());
    if (!variableMap.is_object())
        return tasks::MethodResult::error(label +
                                          ": \"variableMap\" must be an object keyed by "
                                          "the JST's incoming variables, not " +
                                          variableMap.dump());
    auto evaluator = cache.get(*record);
    if (!evaluator)
        return tasks::MethodResult::error(label + ": " + evaluator.error().message);
    const auto options = jst::JstOptions::fromJson(ctx.incoming.value("options", json()));
    auto out = (*evaluator)->run(variableMap, options);
    if (!out)
        return tasks::MethodResult::error(label + ": " + out.error().message);

    tasks::MethodResult result;
    const auto &outgoing = (*evaluator)->document().graph().outgoing;
    if (options.extractOutput && outgoing.size() == 1)
        // The bare value, under the one outgoing $id: $var.<task>.<$id> reads the same either way.
        result.outgoing[jst::JstGraph::schemaId(outgoing.front())] = std::move(*out);
    else
        result.outgoing = std::move(*out);
    return result;
}

} // namespace

void installTransformationTask(Engine &engine, store::Store &store)
{
    auto cache = std::make_shared<EvaluatorCache>();
    engine.registerTaskHandler("WorkFlowEngine", "transformation",
                               [&store, cache](const tasks::MethodContext &ctx) {
                                   return runTransformation(store, *cache, ctx);
                               });
}

} // namespace flowdeck::runtime
