// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/access/Roles.h"

#include <algorithm>

namespace flowdeck::access {
namespace {

// Reference §1 (jobs, tasks, automations, triggers, events) plus the Automation Studio
// workflow routes Flowdeck serves (engine/api/WorkflowsApi.cpp). Routes the reference marks
// "not in 2023.2" have no Itential method name; Flowdeck names them after the same pattern:
// bulkDeleteJobs, validateAutomation, validateTrigger.
const std::vector<std::string> kAllMethods = [] {
    std::vector<std::string> v{
        // jobs (§1a)
        "startJob", "getJobs", "getJob", "pauseJobs", "resumeJobs", "cancelJobs", "continueJobFrom",
        "revertJob", "deleteJob", "deleteJobs", "bulkDeleteJobs", "addJobGroup", "replaceJobGroups",
        "deleteJobGroup", "deleteJobGroups", "watchJob", "unwatchJob", "watchJobs", "unwatchJobs",
        "addWatchersToJob",
        // tasks and manual tasks (§1b)
        "getTasks", "getTask", "claimTask", "assignTask", "releaseTask", "getManualTaskController",
        "finishManualTask", "retryTask",
        // automations (§1c)
        "createAutomation", "getAutomations", "getAutomation", "updateAutomation",
        "deleteAutomation", "cloneAutomation", "exportAutomation", "importAutomations",
        "validateAutomation",
        // triggers (§1d)
        "createTrigger", "getTriggers", "getTrigger", "updateTrigger", "deleteTrigger",
        "exportTrigger", "deleteTriggersByActionId", "importTriggers", "validateTrigger",
        "runEndpointTriggerWithPost", "runManualTrigger",
        // events (§1e)
        "getEvents", "getEventDefinition", "postEvent",
        // workflows (Automation Studio)
        "getWorkflows", "createWorkflow", "updateWorkflow", "importWorkflows", "exportWorkflow",
        "deleteWorkflow",
        // transformations (JST documents, engine/api/TransformationsApi.cpp)
        "getTransformations", "createTransformation", "updateTransformation",
        "deleteTransformation", "runTransformation",
        // adapter instances (engine/api/AdaptersApi.cpp): reading shows no secret (masked);
        // changing one changes what every job's adapter tasks reach, so it is admin's.
        "getAdapters", "createAdapter", "updateAdapter", "deleteAdapter",
        // accounts (the authorization app's GET /authorization/accounts, engine/api/AccountsApi):
        // a read, so operators and viewers hold it too. Whoever can see a task can already
        // see who owns and works it; the list adds only names, groups and roles, never
        // secrets, and an operator needs it to see who a task could be handed to.
        "getAccounts",
        // service accounts and API tokens (engine/api/AccountsApi): admin only, since each
        // hands out lasting access; "list…" rather than "get…" keeps viewers from the list.
        "createServiceAccount", "listApiTokens", "createApiToken", "revokeApiToken"};
    std::sort(v.begin(), v.end());
    return v;
}();

// What a person who runs operations needs: everything that reads, plus starting and steering
// jobs and working manual tasks. Left to admin, because they change who can see or own
// something, or change what runs for everyone:
// - assignTask: makes *another* user the owner of a task (a supervisor's act); an operator
//   claims and releases their own tasks instead.
// - addJobGroup, replaceJobGroups, deleteJobGroup, deleteJobGroups: change a job's GBAC, which
//   could hide a job from the people meant to work it or show it to others.
// - addWatchersToJob: subscribes other people to notifications.
// - deleteJob, deleteJobs, bulkDeleteJobs: destroy history, which is evidence.
// - create/update/delete/import/clone/validate of workflows, automations, triggers and
//   transformations: they change what runs. (Running a transformation only computes an answer
//   from the caller's values, so operators may.)
// Posting an event (postEvent) starts what its event triggers start, as running an endpoint
// trigger does, so operators may.
const std::vector<std::string> kOperatorWrites{
    "startJob",         "pauseJobs",        "resumeJobs",       "cancelJobs",
    "continueJobFrom",  "revertJob",        "retryTask",        "claimTask",
    "releaseTask",      "finishManualTask", "watchJob",         "unwatchJob",
    "watchJobs",        "unwatchJobs",      "runManualTrigger", "runEndpointTriggerWithPost",
    "exportAutomation", "exportTrigger",    "exportWorkflow",   "runTransformation",
    "postEvent"};

bool isReadMethod(const std::string &name)
{
    // The reference has no search* method names (events are listed by getEvents); the prefix
    // is kept so a search route added later is readable by viewers without another change.
    return name.rfind("get", 0) == 0 || name.rfind("search", 0) == 0;
}

const std::vector<std::string> kRoles{"admin", "operator", "viewer"};

} // namespace

const std::vector<std::string> &allMethodNames()
{
    return kAllMethods;
}

const std::vector<std::string> &builtInRoles()
{
    return kRoles;
}

bool isKnownRole(std::string_view role)
{
    return std::find(kRoles.begin(), kRoles.end(), role) != kRoles.end();
}

bool isAdminRole(std::string_view role)
{
    return role == "admin";
}

Result<void> checkRoles(const std::vector<std::string> &roles)
{
    for (const auto &role : roles)
        if (!isKnownRole(role))
            return Error::invalid("unknown role \"" + role +
                                      "\"; the roles are admin, operator and viewer",
                                  {{"role", role}});
    return {};
}

std::set<std::string> permissionsForRoles(const std::vector<std::string> &roles)
{
    std::set<std::string> out;
    for (const auto &role : roles) {
        if (role == "admin") {
            out.insert(kAllMethods.begin(), kAllMethods.end());
        } else if (role == "operator" || role == "viewer") {
            for (const auto &m : kAllMethods)
                if (isReadMethod(m))
                    out.insert(m);
            if (role == "operator")
                out.insert(kOperatorWrites.begin(), kOperatorWrites.end());
        }
    }
    return out;
}

} // namespace flowdeck::access
