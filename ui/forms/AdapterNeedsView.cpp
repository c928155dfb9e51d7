// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/forms/AdapterNeedsView.h"

#include "ui/client/ConsoleClient.h"
#include "ui/client/JsonFields.h"
#include "ui/forms/Replies.h"

#include <QLabel>
#include <QTextDocumentFragment>
#include <QUrl>
#include <QVBoxLayout>

#include <map>

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace flowdeck::ui {

namespace {

QStringList names(const json &list)
{
    QStringList out;
    for (const auto &n : list)
        if (n.is_string())
            out << QString::fromStdString(n.get<std::string>());
    return out;
}

} // namespace

AdapterNeedsView::AdapterNeedsView(ConsoleClient &client, QWidget *parent)
    : QWidget(parent), m_client(client)
{
    setObjectName(u"adapterNeeds"_s);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 4);
    layout->setSpacing(2);
    auto *title = new QLabel(tr("Adapters"), this);
    QFont section = title->font();
    section.setWeight(QFont::DemiBold);
    title->setFont(section);
    layout->addWidget(title);
    m_lines = new QLabel(this);
    m_lines->setObjectName(u"adapterNeedsLines"_s);
    m_lines->setWordWrap(true);
    m_lines->setTextFormat(Qt::RichText);
    m_lines->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_lines);
    hide();
}

void AdapterNeedsView::load(const QString &workflowName)
{
    const quint64 token = ++m_token;
    // Asked again for the same workflow (a reload), what is shown stays until the answer.
    if (workflowName != m_name)
        hide();
    m_name = workflowName;
    api::ApiRequest request;
    request.method = api::Method::Get;
    // The router percent-decodes parameters, so a name with "/" or "%" must be encoded.
    request.path = "/adapters/needs/" + QUrl::toPercentEncoding(workflowName).toStdString();
    whenFinished(m_client.call(std::move(request)), this,
                 [this, token](const api::ApiResponse &response) {
                     if (token != m_token)
                         return; // another workflow was asked for meanwhile
                     // A Flowdeck without adapters (or an older one) has nothing to say.
                     show(response.ok() ? response.json : json::array());
                 });
}

std::vector<std::pair<QString, bool>> AdapterNeedsView::lines(const json &needs)
{
    // Per app, in the order the tasks list them: its instances and the first problem.
    std::vector<std::string> order;
    std::map<std::string, std::pair<json, QString>> byApp;
    std::map<std::string, QStringList> chosenLater;
    for (const auto &need : needs) {
        const std::string app = jsonfields::text(need, "app").toStdString();
        if (app.empty())
            continue;
        auto [it, fresh] = byApp.try_emplace(app, jsonfields::member(need, "instances"), QString());
        if (fresh)
            order.push_back(app);
        const QString problem = jsonfields::text(need, "problem");
        if (it->second.second.isEmpty() && !problem.isEmpty())
            it->second.second = problem;
        const QString id = jsonfields::text(need, "adapterId");
        if (id.startsWith(u"$var."_s))
            chosenLater[app] << id;
    }
    std::vector<std::pair<QString, bool>> out;
    for (const auto &app : order) {
        const auto &[instances, problem] = byApp[app];
        const QStringList have = names(instances);
        const QString name = QString::fromStdString(app);
        if (have.isEmpty()) {
            out.emplace_back(QObject::tr("%1 — no instance; add one in Adapters").arg(name), true);
        } else if (!problem.isEmpty()) {
            out.emplace_back(name + u" — "_s + problem, true);
        } else if (chosenLater.count(app)) {
            out.emplace_back(QObject::tr("%1 — chosen when the job runs (adapter_id %2); "
                                         "instances: %3")
                                 .arg(name, chosenLater[app].first(), have.join(u", "_s)),
                             false);
        } else {
            out.emplace_back(QObject::tr("%1 — instance %2", nullptr, int(have.size()))
                                 .arg(name, have.join(u", "_s)),
                             false);
        }
    }
    return out;
}

void AdapterNeedsView::show(const json &needs)
{
    const auto all = lines(needs.is_array() ? needs : json::array());
    m_problems = false;
    QStringList html;
    for (const auto &[text, problem] : all) {
        m_problems = m_problems || problem;
        const QString escaped = text.toHtmlEscaped();
        html << (problem ? QString(u"<span style=\"color:#d64541\">⚠ "_s + escaped + u"</span>"_s)
                         : QString(u"✓ "_s + escaped));
    }
    m_lines->setText(html.join(u"<br>"_s));
    setVisible(!all.empty());
    Q_EMIT loaded();
}

QString AdapterNeedsView::text() const
{
    if (isHidden())
        return {};
    return QTextDocumentFragment::fromHtml(m_lines->text()).toPlainText();
}

} // namespace flowdeck::ui
