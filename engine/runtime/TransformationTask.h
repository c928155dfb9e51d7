// SPDX-License-Identifier: GPL-3.0-or-later
// The WorkFlowEngine `transformation` task: runs a stored JST document on the task's
// variableMap. Its incoming values are tr_id (the JST's _id; its name is accepted too),
// variableMap (keyed by the JST's incoming $ids, references already resolved one level deep by
// the engine) and options {extractOutput, validateIncoming, revertToDefaultValue}. The outgoing
// values are keyed by the JST's outgoing $ids, so later tasks read `$var.<task>.<$id>` whether
// or not extractOutput is set (shared/reference/jst.md §3, docs/jst.md).
#pragma once

namespace flowdeck::store {
class Store;
}

namespace flowdeck::runtime {

class Engine;

/// Registers the task with `engine`. `store` must outlive it; JSTs are read from it on every
/// run (so an update takes effect at once) and compiled once per (id, version).
void installTransformationTask(Engine &engine, store::Store &store);

} // namespace flowdeck::runtime
