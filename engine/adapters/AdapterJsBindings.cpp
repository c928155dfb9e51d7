// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/adapters/AdapterJsBindings.h"

#include <QRegularExpression>

#include <algorithm>
#include <vector>

namespace flowdeck::adapters {

using nlohmann::json;

namespace {

std::string trimmed(const QString &s)
{
    return s.trimmed().toStdString();
}

std::string unquoted(std::string s)
{
    if (s.size() >= 2 && (s.front() == '\'' || s.front() == '"') && s.back() == s.front())
        return s.substr(1, s.size() - 2);
    return s;
}

bool isIdentifier(const std::string &s)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_$][\\w$]*$"));
    return re.match(QString::fromStdString(s)).hasMatch();
}

/// "{ a, b: c, 'd-e': f }" as [[a, a], [b, c], [d-e, f]]; false when an entry is not a plain
/// name or name: input.
bool objectEntries(const QString &literal, json &out)
{
    out = json::array();
    QString inner = literal.trimmed();
    if (!inner.startsWith(QLatin1Char('{')) || !inner.endsWith(QLatin1Char('}')))
        return false;
    inner = inner.mid(1, inner.size() - 2);
    for (const QString &entry : inner.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString e = entry.trimmed();
        if (e.isEmpty())
            continue;
        const qsizetype colon = e.indexOf(QLatin1Char(':'));
        const std::string key = unquoted(trimmed(colon < 0 ? e : e.left(colon)));
        const std::string value = trimmed(colon < 0 ? e : e.mid(colon + 1));
        if (!isIdentifier(value))
            return false;
        out.push_back({key, value});
    }
    return true;
}

/// What a reqObj field is given: an input ({"input"}), an object of inputs ({"object"}), or
/// nothing; false when it is something else.
bool valueShape(const QString &expression, json &out)
{
    const std::string e = trimmed(expression);
    if (e.empty() || e == "{}" || e == "null" || e == "undefined") {
        out = nullptr;
        return true;
    }
    if (isIdentifier(e)) {
        out = {{"input", e}};
        return true;
    }
    json entries;
    if (!objectEntries(expression, entries))
        return false;
    out = {{"object", entries}};
    return true;
}

/// The first capture of `pattern` in `body`, or a null QString.
QString capture(const QString &body, const QRegularExpression &pattern)
{
    const auto m = pattern.match(body);
    return m.hasMatch() ? m.captured(1) : QString();
}

json bindOne(const QString &body, const json &params)
{
    json binding = {{"params", params}};
    auto unbound = [&](const std::string &why) {
        binding["unbound"] = why;
        return binding;
    };
    static const QRegularExpression identify(QStringLiteral(
        R"(identifyRequest\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*,\s*reqObj\s*,\s*(true|false))"));
    auto it = identify.globalMatch(body);
    std::vector<QRegularExpressionMatch> calls;
    while (it.hasNext())
        calls.push_back(it.next());
    if (calls.empty())
        return unbound("custom code: it makes no identifyRequest call");
    if (calls.size() > 1)
        return unbound("custom code: it calls " + std::to_string(calls.size()) + " actions");
    // Code the generator never writes means someone changed the method by hand.
    static const QRegularExpression custom(QStringLiteral(
        R"((\bawait\b|\.then\(|new Promise|JSON\.parse\(|\.map\(|\.filter\(|\.reduce\(|\bfor \(|\bwhile \(|\bswitch \())"));
    if (const auto m = custom.match(body); m.hasMatch())
        return unbound("custom code: it uses " + m.captured(1).trimmed().toStdString());

    binding["entity"] = calls[0].captured(1).toStdString();
    binding["action"] = calls[0].captured(2).toStdString();
    binding["returnData"] = calls[0].captured(3) == QLatin1String("true");

    json required = json::array();
    static const QRegularExpression requiredCheck(
        QStringLiteral(R"(if \(\s*([A-Za-z_$][\w$]*)\s*===\s*undefined\s*\|\|)"));
    auto req = requiredCheck.globalMatch(body);
    while (req.hasNext()) {
        const std::string name = req.next().captured(1).toStdString();
        if (std::find(required.begin(), required.end(), json(name)) == required.end())
            required.push_back(name);
    }
    binding["required"] = required;

    static const QRegularExpression queryDecl(
        QStringLiteral(R"(const\s+queryParamsAvailable\s*=\s*(\{[^}]*\})\s*;)"));
    static const QRegularExpression pathDecl(
        QStringLiteral(R"(const\s+pathVars\s*=\s*\[([^\]]*)\]\s*;)"));
    static const QRegularExpression bodyDecl(QStringLiteral(R"(const\s+bodyVars\s*=\s*([^;]*);)"));
    static const QRegularExpression headersField(QStringLiteral(
        R"((?:addlHeaders\s*:\s*|reqObj\.addlHeaders\s*=\s*)(\{[^}]*\}|[A-Za-z_$][\w$]*))"));

    const QString query = capture(body, queryDecl);
    json queryEntries = json::array();
    if (!query.isNull() && !objectEntries(query, queryEntries))
        return unbound("custom code: its queryParamsAvailable is not a list of inputs");
    binding["query"] = queryEntries;

    const QString path = capture(body, pathDecl);
    if (path.isNull())
        return unbound("custom code: it declares no pathVars");
    json pathVars = json::array();
    for (const QString &p : path.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const std::string name = trimmed(p);
        if (name.empty())
            continue;
        if (!isIdentifier(name))
            return unbound("custom code: a path variable is the expression " + name);
        pathVars.push_back(name);
    }
    binding["pathVars"] = pathVars;

    json bodyShape;
    const QString bodyExpr = capture(body, bodyDecl);
    if (bodyExpr.isNull() || !valueShape(bodyExpr, bodyShape))
        return unbound("custom code: its body is built by an expression");
    binding["body"] = bodyShape;

    json headerShape = nullptr;
    const QString headers = capture(body, headersField);
    if (!headers.isNull() && !valueShape(headers, headerShape))
        return unbound("custom code: its headers are built by an expression");
    binding["headers"] = headerShape;

    // Everything a binding names must be one of the method's parameters.
    auto known = [&](const std::string &name) {
        return std::find(params.begin(), params.end(), json(name)) != params.end();
    };
    std::vector<std::string> named;
    for (const auto &p : pathVars)
        named.push_back(p.get<std::string>());
    for (const auto &q : queryEntries)
        named.push_back(q[1].get<std::string>());
    for (const json *shape : {&bodyShape, &headerShape}) {
        if (shape->contains("input"))
            named.push_back((*shape)["input"].get<std::string>());
        else if (shape->contains("object"))
            for (const auto &e : (*shape)["object"])
                named.push_back(e[1].get<std::string>());
    }
    for (const auto &name : named)
        if (!known(name))
            return unbound("custom code: it sends \"" + name +
                           "\", which is not one of its inputs");
    return binding;
}

} // namespace

json readAdapterJs(std::string_view source)
{
    const QString text = QString::fromUtf8(source.data(), qsizetype(source.size()));
    // Class methods sit at two spaces of indentation in generated adapters.
    static const QRegularExpression header(
        QStringLiteral(R"(^  (?:async\s+)?([A-Za-z_$][\w$]*)\s*\(([^)]*)\)\s*\{)"),
        QRegularExpression::MultilineOption);
    static const std::vector<std::string> keywords = {"if",    "for",   "while",       "switch",
                                                      "catch", "super", "constructor", "function"};
    struct Found
    {
        std::string name;
        json params;
        qsizetype start;
        qsizetype bodyStart;
    };
    std::vector<Found> found;
    auto it = header.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        const std::string name = m.captured(1).toStdString();
        if (std::find(keywords.begin(), keywords.end(), name) != keywords.end())
            continue;
        json params = json::array();
        for (const QString &p : m.captured(2).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            std::string param = trimmed(p.section(QLatin1Char('='), 0, 0));
            if (!param.empty() && param != "callback")
                params.push_back(param);
        }
        found.push_back({name, params, m.capturedStart(), m.capturedEnd()});
    }
    json methods = json::object();
    for (std::size_t i = 0; i < found.size(); ++i) {
        const qsizetype end = i + 1 < found.size() ? found[i + 1].start : text.size();
        const QString body = text.mid(found[i].bodyStart, end - found[i].bodyStart);
        methods[found[i].name] = bindOne(body, found[i].params);
    }
    return methods;
}

} // namespace flowdeck::adapters
