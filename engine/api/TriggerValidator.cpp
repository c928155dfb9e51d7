// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/TriggerValidator.h"

#include "engine/model/Ids.h"
#include "engine/scheduler/Schedule.h"
#include "engine/validate/JsonSchema.h"

#include <map>
#include <regex>
#include <set>

namespace flowdeck::api {
namespace {

using nlohmann::json;
using validate::ValidationIssue;

// One minute: a schedule that fires more often would flood the job list, and Itential's own
// UI offers nothing shorter.
constexpr store::Millis kMinInterval = 60'000;
// processMissedRuns "all" starts at most this many missed runs of one trigger after downtime.
constexpr std::int64_t kMaxMissedRuns = 1000;

const std::set<std::string> kServerFields = {"_id",         "created",          "createdBy",
                                             "lastUpdated", "lastUpdatedBy",    "lastExecuted",
                                             "nextRunAt",   "migrationVersion", "workflowVersion"};
const std::set<std::string> kCommonFields = {"name",       "description", "type",   "enabled",
                                             "actionType", "actionId",    "options"};
const std::map<std::string, std::set<std::string>> kTypeFields = {
    {"endpoint", {"routeName", "verb", "schema", "jst"}},
    {"manual", {"formId", "formData", "formSchemaHash", "legacyWrapper"}},
    {"schedule",
     {"firstRunAt", "repeatUnit", "repeatFrequency", "repeatInterval", "processMissedRuns",
      "maxMissedRuns", "cron", "timezone", "formId", "formData", "formSchemaHash",
      "legacyWrapper"}},
    {"eventSystem", {"source", "topic", "schema", "jst", "legacyWrapper"}}};

struct Checker
{
    const json &doc;
    std::vector<ValidationIssue> issues;

    void add(const std::string &field, const std::string &keyword, const std::string &message,
             json params = json::object())
    {
        issues.push_back({keyword, field.empty() ? "" : validate::appendPointer("", field),
                          "#/flowdeck/trigger/" + (field.empty() ? keyword : field),
                          std::move(params), message, validate::Severity::Error});
    }
    bool has(const char *field) const { return doc.contains(field); }
    const json &at(const char *field) const { return doc[field]; }

    void required(const char *field)
    {
        if (!has(field))
            add(field, "required", "\"" + std::string(field) + "\" is required",
                {{"missingProperty", field}});
    }
    void nonEmptyString(const char *field)
    {
        if (has(field) && (!at(field).is_string() || at(field).get<std::string>().empty()))
            add(field, "type", std::string(field) + " must be a non-empty string");
    }
    void stringOrNull(const char *field)
    {
        if (has(field) && !at(field).is_string() && !at(field).is_null())
            add(field, "type", std::string(field) + " must be a string or null");
    }
    void boolean(const char *field)
    {
        if (has(field) && !at(field).is_boolean())
            add(field, "type", std::string(field) + " must be true or false");
    }
    void objectOrNull(const char *field)
    {
        if (has(field) && !at(field).is_object() && !at(field).is_null())
            add(field, "type", std::string(field) + " must be an object or null");
    }
    void oneOf(const char *field, const std::set<std::string> &values)
    {
        if (!has(field))
            return;
        if (!at(field).is_string() || !values.count(at(field).get<std::string>()))
            add(field, "enum", std::string(field) + " must be one of " + json(values).dump(),
                {{"allowedValues", values}});
    }
    void objectId(const char *field)
    {
        if (has(field) &&
            (!at(field).is_string() || !ids::isObjectId(at(field).get<std::string>())))
            add(field, "format", std::string(field) + " must be a 24-hex-character ObjectId");
    }
    void integer(const char *field, std::int64_t min)
    {
        if (!has(field))
            return;
        if (!at(field).is_number_integer() || at(field).get<std::int64_t>() < min)
            add(field, "minimum",
                std::string(field) + " must be a whole number of at least " + std::to_string(min),
                {{"limit", min}});
    }
    void schema(const char *field)
    {
        if (!has(field) || at(field).is_null())
            return;
        if (!at(field).is_object()) {
            add(field, "type", std::string(field) + " must be a JSON schema object or null");
            return;
        }
        for (auto &issue : validate::JsonSchema::check(at(field), "/" + std::string(field)))
            issues.push_back(std::move(issue));
    }
};

void checkSchedule(Checker &c)
{
    // Flowdeck's cron shape: the expression and its zone say when; firstRunAt, when given, says
    // from when. It does not mix with Itential's interval fields.
    const bool cron = c.has("cron") && !c.at("cron").is_null();
    if (cron) {
        for (const char *field : {"repeatUnit", "repeatFrequency", "repeatInterval"})
            if (c.has(field))
                c.add(field, "not",
                      std::string(field) + " does not go with cron: give a cron expression "
                                           "or repeatUnit/repeatFrequency/repeatInterval");
        auto schedule = scheduler::Schedule::fromTrigger(c.doc);
        if (!schedule) {
            const std::string pointer = schedule.error().details.value("pointer", "/cron");
            c.add(pointer.substr(1), "format", schedule.error().message);
        } else if (!schedule->nextAfter(0)) {
            c.add("cron", "format", "the cron expression never fires (no such date)");
        }
    } else {
        c.required("firstRunAt");
        if (c.has("timezone"))
            c.add("timezone", "dependencies", "timezone goes with cron");
    }
    c.integer("firstRunAt", 0);
    c.integer("maxMissedRuns", 1);
    if (c.has("maxMissedRuns") && c.at("maxMissedRuns").is_number_integer() &&
        c.at("maxMissedRuns").get<std::int64_t>() > kMaxMissedRuns)
        c.add("maxMissedRuns", "maximum",
              "maxMissedRuns is at most " + std::to_string(kMaxMissedRuns),
              {{"limit", kMaxMissedRuns}});
    c.oneOf("repeatUnit", {"minute", "hour", "day", "week"});
    c.integer("repeatFrequency", 1);
    c.integer("repeatInterval", kMinInterval);
    c.oneOf("processMissedRuns", {"none", "last", "all"});
    if (c.has("repeatUnit") != c.has("repeatFrequency"))
        c.add(c.has("repeatUnit") ? "repeatUnit" : "repeatFrequency", "dependencies",
              "repeatUnit and repeatFrequency go together");
    if (c.has("repeatUnit") && c.has("repeatFrequency") && c.has("repeatInterval") &&
        c.at("repeatUnit").is_string() && c.at("repeatFrequency").is_number_integer() &&
        c.at("repeatInterval").is_number_integer()) {
        const auto expected = TriggerValidator::unitMillis(c.at("repeatUnit").get<std::string>()) *
                              c.at("repeatFrequency").get<std::int64_t>();
        if (expected != c.at("repeatInterval").get<std::int64_t>())
            c.add("repeatInterval", "const",
                  "repeatInterval must be repeatFrequency × repeatUnit = " +
                      std::to_string(expected) + " ms",
                  {{"allowedValue", expected}});
    }
    if (c.has("repeatUnit") && c.has("repeatFrequency") && !c.has("repeatInterval") &&
        c.at("repeatUnit").is_string() && c.at("repeatFrequency").is_number_integer() &&
        TriggerValidator::unitMillis(c.at("repeatUnit").get<std::string>()) *
                c.at("repeatFrequency").get<std::int64_t>() <
            kMinInterval)
        c.add("repeatFrequency", "minimum", "a schedule repeats at most once a minute");
}

} // namespace

std::vector<ValidationIssue> TriggerValidator::check(const json &trigger)
{
    if (!trigger.is_object())
        return {{"type", "", "#/flowdeck/trigger/type", json::object(),
                 "a trigger must be a JSON object", validate::Severity::Error}};
    Checker c{trigger, {}};
    c.required("name");
    c.required("type");
    c.required("actionId");
    c.nonEmptyString("name");
    if (c.has("name") && c.at("name").is_string() && c.at("name").get<std::string>().size() > 256)
        c.add("name", "maxLength", "name is longer than 256 characters");
    c.stringOrNull("description");
    c.boolean("enabled");
    c.oneOf("actionType", {"automations"});
    c.objectId("actionId");
    c.objectOrNull("options");
    c.oneOf("type", {"endpoint", "manual", "schedule", "eventSystem"});

    const std::string type =
        c.has("type") && c.at("type").is_string() ? c.at("type").get<std::string>() : "";
    auto typeFields = kTypeFields.find(type);
    if (typeFields != kTypeFields.end()) {
        for (const auto &[key, value] : trigger.items()) {
            if (kServerFields.count(key) || kCommonFields.count(key) ||
                typeFields->second.count(key))
                continue;
            std::string message = "\"" + key + "\" is not a field of " + type + " triggers";
            if (key == "repeat")
                message += "; schedules repeat with repeatUnit, repeatFrequency and repeatInterval";
            c.add(key, "additionalProperties", message, {{"additionalProperty", key}});
        }
    }

    if (type == "endpoint") {
        c.required("routeName");
        if (c.has("routeName")) {
            static const std::regex kRoute("[A-Za-z0-9_-]{1,128}");
            if (!c.at("routeName").is_string() ||
                !std::regex_match(c.at("routeName").get<std::string>(), kRoute))
                c.add("routeName", "pattern",
                      "routeName must be 1 to 128 letters, digits, \"_\" or \"-\"",
                      {{"pattern", "^[A-Za-z0-9_-]{1,128}$"}});
        }
        c.oneOf("verb", {"POST"});
        c.schema("schema");
        if (c.has("jst") && !c.at("jst").is_null())
            c.objectId("jst");
    } else if (type == "manual" || type == "schedule") {
        c.stringOrNull("formId");
        c.objectOrNull("formData");
        c.stringOrNull("formSchemaHash");
        c.boolean("legacyWrapper");
        if (type == "schedule")
            checkSchedule(c);
    } else if (type == "eventSystem") {
        c.required("source");
        c.required("topic");
        c.nonEmptyString("source");
        c.nonEmptyString("topic");
        c.schema("schema");
        if (c.has("jst") && !c.at("jst").is_null())
            c.objectId("jst");
        c.boolean("legacyWrapper");
    }
    for (const auto &field : {"lastExecuted", "nextRunAt"})
        if (c.has(field) && !c.at(field).is_null() && !c.at(field).is_number_integer())
            c.add(field, "type", std::string(field) + " must be epoch milliseconds or null");
    return std::move(c.issues);
}

json TriggerValidator::withDefaults(json t)
{
    const std::string type = t.value("type", "");
    auto fill = [&](const char *key, json value) {
        if (!t.contains(key))
            t[key] = std::move(value);
    };
    fill("description", "");
    fill("enabled", true);
    fill("actionType", "automations");
    if (type == "endpoint") {
        fill("verb", "POST");
        fill("schema", nullptr);
        fill("jst", nullptr);
    } else if (type == "manual" || type == "schedule") {
        fill("formData", json::object());
        fill("legacyWrapper", true);
        if (type == "schedule") {
            fill("processMissedRuns", "none");
            if (t.value("processMissedRuns", json()) == "all")
                fill("maxMissedRuns", 10);
            if (t.contains("repeatUnit") && t.contains("repeatFrequency") &&
                t["repeatUnit"].is_string() && t["repeatFrequency"].is_number_integer())
                fill("repeatInterval", unitMillis(t["repeatUnit"].get<std::string>()) *
                                           t["repeatFrequency"].get<std::int64_t>());
        }
    } else if (type == "eventSystem") {
        fill("schema", nullptr);
        fill("jst", nullptr);
        // An event's payload is already structured data: it becomes the variables as it is.
        fill("legacyWrapper", false);
    }
    return t;
}

std::vector<std::string> TriggerValidator::serverFields(const json &body)
{
    std::vector<std::string> out;
    if (body.is_object())
        for (const auto &field : kServerFields)
            if (body.contains(field))
                out.push_back(field);
    return out;
}

std::optional<store::Millis> TriggerValidator::nextRunAt(const json &trigger, store::Millis now)
{
    if (!trigger.is_object() || trigger.value("type", "") != "schedule" ||
        trigger.value("enabled", true) != true)
        return std::nullopt;
    auto schedule = scheduler::Schedule::fromTrigger(trigger);
    if (!schedule)
        return std::nullopt;
    return schedule->nextAfter(now - 1); // at or after now
}

store::Millis TriggerValidator::unitMillis(const std::string &unit)
{
    static const std::map<std::string, store::Millis> kUnits = {
        {"minute", 60'000}, {"hour", 3'600'000}, {"day", 86'400'000}, {"week", 604'800'000}};
    auto it = kUnits.find(unit);
    return it == kUnits.end() ? 0 : it->second;
}

} // namespace flowdeck::api
