// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/adapters/AdapterProperties.h"

#include "engine/validate/JsonSchema.h"

namespace flowdeck::adapters {

using nlohmann::json;

namespace {

constexpr const char *kMask = "********";

// "ui:order" and the titles are for the window's form (ui/forms/SchemaForm): where the system
// is first, then how to sign in; the validator ignores both.
const char *const kSchema = R"json({
  "type": "object",
  "required": ["host"],
  "ui:order": ["host", "port", "protocol", "base_path", "version", "authentication",
               "healthcheck", "request", "throttle", "ssl", "proxy", "*"],
  "properties": {
    "host": {"type": "string", "minLength": 1, "description": "host name or address of the system"},
    "port": {"type": "integer", "minimum": 1, "maximum": 65535, "default": 443},
    "base_path": {"type": "string", "default": "", "description": "prefix of every path, e.g. /api"},
    "version": {"type": "string", "default": "", "description": "inserted after base_path when set"},
    "protocol": {"enum": ["http", "https"], "default": "https"},
    "stub": {"type": "boolean", "default": false,
             "description": "Itential packages: answer from the package's mock data, send nothing"},
    "encode_pathvars": {"type": "boolean", "default": true},
    "encode_queryvars": {"type": "boolean", "default": true},
    "region": {"type": "string", "default": "us-east-1", "description": "AWS region (aws_authentication)"},
    "service": {"type": "string", "default": "ec2", "description": "AWS service (aws_authentication)"},
    "authentication": {
      "type": "object",
      "ui:order": ["auth_method", "username", "password", "token", "client_id", "client_secret",
                   "scope", "auth_field", "auth_field_format", "token_URI_path",
                   "token_URI_method", "*"],
      "properties": {
        "auth_method": {"enum": ["basic user_password", "static_token", "request_token",
                                 "no_authentication", "client_credentials",
                                 "aws_authentication"],
                        "default": "no_authentication"},
        "username": {"type": "string", "default": ""},
        "password": {"type": "string", "default": "", "format": "password"},
        "token": {"type": "string", "default": "", "format": "password"},
        "token_timeout": {"type": "integer", "minimum": 0, "default": 0,
                          "description": "ms a requested token is used; 0: until refused"},
        "invalid_token_error": {"type": "integer", "default": 401},
        "auth_field": {"type": ["string", "array"], "items": {"type": "string"},
                       "default": "header.headers.Authorization"},
        "auth_field_format": {"type": ["string", "array"], "items": {"type": "string"},
                              "default": ""},
        "token_URI_path": {"type": "string", "default": ""},
        "token_URI_method": {"enum": ["POST", "GET", "PUT"], "default": "POST"},
        "token_user_field": {"type": "string", "default": "username"},
        "token_password_field": {"type": "string", "default": "password"},
        "token_result_field": {"type": "string", "default": "token"},
        "client_id": {"type": "string", "default": ""},
        "client_secret": {"type": "string", "default": "", "format": "password"},
        "scope": {"type": "string", "default": ""},
        "grant_type": {"type": "string", "default": "client_credentials"},
        "aws_access_key": {"type": "string", "default": ""},
        "aws_secret_key": {"type": "string", "default": "", "format": "password"},
        "aws_session_token": {"type": "string", "default": "", "format": "password"}
      }
    },
    "healthcheck": {
      "type": "object",
      "title": "Health check",
      "ui:order": ["type", "URI_path", "method", "frequency", "*"],
      "properties": {
        "type": {"enum": ["startup", "intermittent", "none"], "default": "none"},
        "frequency": {"type": "integer", "minimum": 1000, "default": 300000,
                      "description": "ms between intermittent checks"},
        "method": {"type": "string", "default": "", "description": "a method of the definition"},
        "URI_path": {"type": "string", "default": "", "title": "URI path",
                     "description": "GET of this path when no method is named"},
        "query_object": {"type": "object", "default": {}}
      }
    },
    "throttle": {
      "type": "object",
      "properties": {
        "throttle_enabled": {"type": "boolean", "default": false},
        "concurrent_max": {"type": "integer", "minimum": 0, "default": 0}
      }
    },
    "request": {
      "type": "object",
      "properties": {
        "number_retries": {"type": "integer", "minimum": 0, "maximum": 100, "default": 3},
        "limit_retry_error": {"type": ["integer", "array"], "items": {"type": "integer"},
                              "default": 0},
        "failover_codes": {"type": "array", "items": {"type": "integer"}, "default": []},
        "attempt_timeout": {"type": "integer", "minimum": 1, "default": 5000},
        "number_redirects": {"type": "integer", "minimum": 0, "maximum": 50, "default": 0},
        "retry_backoff": {"type": "integer", "minimum": 0, "default": 1000,
                          "description": "ms before the first retry; doubles each time, with jitter"},
        "response_limit": {"type": "integer", "minimum": 1024, "default": 10485760,
                           "description": "largest answer in bytes; larger ones are refused"},
        "global_request": {"type": "object", "default": {},
                           "description": "Itential packages: addlHeaders sent with every call"}
      }
    },
    "ssl": {
      "type": "object",
      "title": "TLS",
      "properties": {
        "enabled": {"type": "boolean", "default": false},
        "accept_invalid_cert": {"type": "boolean", "default": false},
        "ca_file": {"type": "string", "default": ""}
      }
    },
    "proxy": {
      "type": "object",
      "properties": {
        "enabled": {"type": "boolean", "default": false},
        "host": {"type": "string", "default": ""},
        "port": {"type": "integer", "minimum": 0, "maximum": 65535, "default": 0},
        "protocol": {"enum": ["http", "socks5"], "default": "http"},
        "username": {"type": "string", "default": ""},
        "password": {"type": "string", "default": "", "format": "password"}
      }
    }
  }
})json";

/// Fills what `value` lacks from the schema's defaults, through nested objects.
void fillDefaults(json &value, const json &schema)
{
    if (!value.is_object() || !schema.is_object())
        return;
    const json properties = schema.value("properties", json::object());
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        const json &sub = it.value();
        if (!value.contains(it.key())) {
            if (sub.contains("default"))
                value[it.key()] = sub["default"];
            else if (sub.value("type", json()) == "object")
                value[it.key()] = json::object();
            else
                continue;
        }
        fillDefaults(value[it.key()], sub);
    }
}

} // namespace

const json &propertiesSchema()
{
    static const json schema = json::parse(kSchema);
    return schema;
}

Result<json> normalizeProperties(const json &properties)
{
    static const auto compiled = validate::JsonSchema::compile(propertiesSchema());
    if (!compiled)
        return Error::internal("the adapter properties schema does not compile");
    if (!properties.is_object())
        return Error::invalid(
            "adapter properties must be a JSON object",
            json::array({{{"instancePath", ""}, {"message", "must be an object"}}}));
    auto issues = compiled->validate(properties);
    if (!issues.empty()) {
        json details = json::array();
        for (const auto &issue : issues)
            details.push_back(issue.toJson());
        std::string message =
            "the adapter properties are not valid: " +
            (issues.front().instancePath.empty() ? std::string("(the whole document)")
                                                 : issues.front().instancePath) +
            " " + issues.front().message;
        if (issues.size() > 1)
            message += " (and " + std::to_string(issues.size() - 1) + " more)";
        return Error::invalid(message, details);
    }
    json out = properties;
    fillDefaults(out, propertiesSchema());
    const json &auth = out["authentication"];
    const std::string method = auth.value("auth_method", std::string());
    auto need = [&](const char *field, const char *why) -> Result<void> {
        if (auth.value(field, std::string()).empty())
            return Error::invalid(
                std::string("the adapter properties are not valid: "
                            "/authentication/") +
                    field + " is needed by auth_method \"" + method + "\" " + why,
                json::array({{{"instancePath", std::string("/authentication/") + field},
                              {"message", "is required"}}}));
        return {};
    };
    if (method == "request_token")
        if (auto r = need("token_URI_path", "(where the token is requested)"); !r)
            return r.error();
    if (method == "client_credentials") {
        for (const char *f : {"client_id", "client_secret", "token_URI_path"})
            if (auto r = need(f, "(OAuth 2 client credentials)"); !r)
                return r.error();
    }
    if (method == "aws_authentication") {
        for (const char *f : {"aws_access_key", "aws_secret_key"})
            if (auto r = need(f, "(AWS Signature Version 4)"); !r)
                return r.error();
    }
    return out;
}

const std::vector<std::string> &secretPointers()
{
    static const std::vector<std::string> pointers = {
        "/authentication/password",          "/authentication/token",
        "/authentication/client_secret",     "/authentication/aws_secret_key",
        "/authentication/aws_session_token", "/proxy/password"};
    return pointers;
}

Result<json> mapSecrets(
    json properties,
    const std::function<Result<std::string>(const std::string &, const std::string &)> &change)
{
    for (const auto &p : secretPointers()) {
        const json::json_pointer pointer(p);
        if (!properties.contains(pointer))
            continue;
        json &value = properties[pointer];
        if (!value.is_string() || value.get_ref<const std::string &>().empty())
            continue;
        auto changed = change(p, value.get<std::string>());
        if (!changed)
            return changed.error();
        value = std::move(*changed);
    }
    return properties;
}

json maskSecrets(json properties)
{
    auto masked = mapSecrets(std::move(properties),
                             [](const std::string &, const std::string &) -> Result<std::string> {
                                 return std::string(kMask);
                             });
    return masked ? std::move(*masked) : json::object();
}

} // namespace flowdeck::adapters
