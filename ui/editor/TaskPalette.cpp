// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/editor/TaskPalette.h"

#include "engine/model/JsonFields.h"
#include "engine/model/TaskCatalog.h"
#include "ui/client/ConsoleClient.h"
#include "ui/client/Requests.h"
#include "ui/editor/TaskEntryMime.h"
#include "ui/forms/Replies.h"

#include <QApplication>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTreeView>
#include <QVBoxLayout>

#include <functional>
#include <map>

namespace flowdeck::ui::editor {

using nlohmann::json;

namespace {

constexpr int kEntryRole = Qt::UserRole + 1;  ///< the entry's JSON text; absent on groups
constexpr int kSearchRole = Qt::UserRole + 2; ///< what the filter matches
/// The lists the palette reads are asked for this many at a time (the routes' largest page).
constexpr int kListLimit = 1000;

/// Leaves drag their entry; groups do not drag.
class PaletteModel final : public QStandardItemModel
{
public:
    using QStandardItemModel::QStandardItemModel;

    QStringList mimeTypes() const override { return {kTaskEntryMimeType}; }

    QMimeData *mimeData(const QModelIndexList &indexes) const override
    {
        for (const QModelIndex &index : indexes) {
            const QString text = index.data(kEntryRole).toString();
            if (text.isEmpty())
                continue;
            const json entry = json::parse(text.toStdString(), nullptr, false);
            if (entry.is_object())
                return taskEntryMime(entry);
        }
        return nullptr;
    }
};

QString str(const json &doc, const char *field)
{
    return QString::fromStdString(fields::textAt(doc, field));
}

/// What a tooltip says of an entry: its description and its incoming values.
QString tooltipOf(const json &entry)
{
    QString text = str(entry, "description");
    const json variables = entry.value("variables", json::object());
    const json incoming = variables.is_object() ? variables.value("incoming", json()) : json();
    if (incoming.is_object() && !incoming.empty()) {
        QStringList names;
        for (const auto &[name, spec] : incoming.items()) {
            const bool required = spec.is_object() && spec.value("required", false) == true;
            names << QString::fromStdString(name) + (required ? QStringLiteral("*") : QString());
        }
        if (!text.isEmpty())
            text += QStringLiteral("\n");
        text += QObject::tr("In: %1").arg(names.join(QStringLiteral(", ")));
    }
    return text;
}

} // namespace

TaskPalette::TaskPalette(ConsoleClient &client, QString editing, QWidget *parent)
    : QWidget(parent), m_client(client), m_editing(std::move(editing)),
      m_search(new QLineEdit(this)), m_tree(new QTreeView(this)), m_hint(new QLabel(this)),
      m_model(new PaletteModel(this)), m_filter(new QSortFilterProxyModel(this))
{
    setObjectName(QStringLiteral("taskPalette"));
    m_search->setObjectName(QStringLiteral("paletteSearch"));
    m_search->setPlaceholderText(tr("Find a task (Ctrl+K)"));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this);

    m_filter->setSourceModel(m_model);
    m_filter->setFilterRole(kSearchRole);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_filter->setRecursiveFilteringEnabled(true);

    m_tree->setObjectName(QStringLiteral("paletteTree"));
    m_tree->setModel(m_filter);
    m_tree->setHeaderHidden(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setDragEnabled(true);
    m_tree->setDragDropMode(QAbstractItemView::DragOnly);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->installEventFilter(this);
    connect(m_tree, &QTreeView::doubleClicked, this,
            [this](const QModelIndex &) { placeCurrent(); });

    m_hint->setObjectName(QStringLiteral("paletteHint"));
    m_hint->setWordWrap(true);
    m_hint->setForegroundRole(QPalette::PlaceholderText);
    m_hint->setText(tr("Enter places after the selected task; drag to a cell to place there."));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_search);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_hint);

    connect(m_search, &QLineEdit::textChanged, this, &TaskPalette::filterChanged);
    reload();
}

TaskPalette::~TaskPalette() = default;

QStandardItem *TaskPalette::group(const QString &title, const QString &objectName)
{
    auto *item = new QStandardItem(title);
    item->setData(objectName, Qt::AccessibleDescriptionRole);
    item->setFlags(Qt::ItemIsEnabled);
    QFont bold = font();
    bold.setBold(true);
    item->setFont(bold);
    m_model->appendRow(item);
    return item;
}

void TaskPalette::reload()
{
    ++m_generation;
    m_model->clear();
    m_engine = group(tr("WorkFlowEngine"), QStringLiteral("engine"));
    m_manual = group(tr("Operator tasks"), QStringLiteral("manual"));
    m_adapters = group(tr("Adapters"), QStringLiteral("adapters"));
    m_transformations = group(tr("Transformations (JST)"), QStringLiteral("transformations"));
    m_workflows = group(tr("Child workflows"), QStringLiteral("workflows"));
    m_pending = 3;
    const int generation = m_generation;

    api::ApiRequest tasks;
    tasks.method = api::Method::Get;
    tasks.path = "/workflow_builder/tasks/list";
    whenFinished(m_client.call(std::move(tasks)), this,
                 [this, generation](const api::ApiResponse &response) {
                     if (generation != m_generation)
                         return;
                     if (response.ok() && response.json.is_array())
                         fillTasks(response.json);
                     else
                         failed(m_engine, failureText(response));
                     answered();
                 });

    api::ApiRequest jsts;
    jsts.method = api::Method::Get;
    jsts.path = "/transformations";
    jsts.query.emplace("limit", std::to_string(kListLimit));
    whenFinished(m_client.call(std::move(jsts)), this,
                 [this, generation](const api::ApiResponse &response) {
                     if (generation != m_generation)
                         return;
                     if (response.ok())
                         fillTransformations(envelopeData(response));
                     else
                         failed(m_transformations, failureText(response));
                     answered();
                 });

    whenFinished(m_client.call(requests::listWorkflows(0, kListLimit)), this,
                 [this, generation](const api::ApiResponse &response) {
                     if (generation != m_generation)
                         return;
                     if (response.ok())
                         fillWorkflows(envelopeData(response));
                     else
                         failed(m_workflows, failureText(response));
                     answered();
                 });
}

void TaskPalette::addEntry(QStandardItem *parent, const json &entry, const QString &detail)
{
    const QString summary = str(entry, "summary");
    const QString name = str(entry, "name");
    auto *item = new QStandardItem(detail.isEmpty() || detail == summary
                                       ? summary
                                       : summary + QStringLiteral("  ·  ") + detail);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled);
    item->setData(QString::fromStdString(entry.dump()), kEntryRole);
    item->setData(QString(summary + u' ' + name + u' ' + str(entry, "app") + u' ' + detail),
                  kSearchRole);
    item->setToolTip(tooltipOf(entry));
    parent->appendRow(item);
}

const json *TaskPalette::entryFor(const std::string &app, const std::string &name) const
{
    for (const json &entry : m_tasks)
        if (fields::textAt(entry, "app") == app && fields::textAt(entry, "name") == name)
            return &entry;
    return nullptr;
}

void TaskPalette::fillTasks(const json &list)
{
    m_tasks = list;
    std::map<QString, QStandardItem *> instances;
    for (const json &entry : list) {
        if (!entry.is_object())
            continue;
        const QString name = str(entry, "name");
        if (str(entry, "location") == QLatin1String("Adapter")) {
            // One branch per instance: the entry's adapter_id names it.
            const QString instance = str(entry, "adapterId");
            QStandardItem *&branch = instances[instance];
            if (!branch) {
                branch =
                    new QStandardItem(instance + QStringLiteral("  (") + str(entry, "app") + u')');
                branch->setFlags(Qt::ItemIsEnabled);
                branch->setData(instance, kSearchRole);
                m_adapters->appendRow(branch);
            }
            addEntry(branch, entry, name);
        } else if (str(entry, "type") == QLatin1String("manual")) {
            addEntry(m_manual, entry, name);
        } else if (name != QLatin1String("transformation") && name != QLatin1String("childJob")) {
            addEntry(m_engine, entry, name);
        }
    }
    // The generic forms, for a JST or workflow chosen later in the task's properties.
    for (const char *generic : {"transformation", "childJob"})
        for (const json &entry : list)
            if (entry.is_object() && entry.value("name", json()) == generic &&
                entry.value("app", json()) == "WorkFlowEngine")
                addEntry(m_engine, entry, QString::fromLatin1(generic));
    if (m_adapters->rowCount() == 0) {
        auto *none = new QStandardItem(tr("No adapter instances yet (Adapters page)"));
        none->setFlags(Qt::ItemIsEnabled);
        m_adapters->appendRow(none);
    }
}

void TaskPalette::fillTransformations(const json &answer)
{
    const json results = answer.is_object() ? answer.value("results", json()) : json();
    if (!results.is_array())
        return;
    for (const json &jst : results)
        addEntry(m_transformations, model::transformationTaskEntry(jst), QStringLiteral("JST"));
}

void TaskPalette::fillWorkflows(const json &answer)
{
    const json items = answer.is_object() ? answer.value("items", json()) : json();
    if (!items.is_array())
        return;
    for (const json &workflow : items)
        if (str(workflow, "name") != m_editing)
            addEntry(m_workflows, model::childJobTaskEntry(workflow), QStringLiteral("childJob"));
}

void TaskPalette::failed(QStandardItem *parent, const QString &why)
{
    auto *item = new QStandardItem(tr("Could not load: %1").arg(why));
    item->setFlags(Qt::ItemIsEnabled);
    item->setToolTip(why);
    parent->appendRow(item);
}

void TaskPalette::answered()
{
    if (--m_pending > 0)
        return;
    // Entries by summary within each group; the groups keep their order.
    for (QStandardItem *g : {m_engine, m_manual, m_adapters, m_transformations, m_workflows}) {
        g->sortChildren(0);
        for (int row = 0; row < g->rowCount(); ++row)
            g->child(row)->sortChildren(0); // an adapter instance's methods
    }
    m_tree->expand(m_filter->mapFromSource(m_engine->index()));
    m_tree->expand(m_filter->mapFromSource(m_manual->index()));
    filterChanged(m_search->text());
    Q_EMIT loaded();
}

void TaskPalette::filterChanged(const QString &text)
{
    m_filter->setFilterFixedString(text.trimmed());
    if (!text.trimmed().isEmpty())
        m_tree->expandAll();
    selectFirstEntry();
}

void TaskPalette::selectFirstEntry()
{
    // Depth first, in the order shown.
    std::function<QModelIndex(const QModelIndex &)> first = [&](const QModelIndex &parent) {
        for (int row = 0; row < m_filter->rowCount(parent); ++row) {
            const QModelIndex index = m_filter->index(row, 0, parent);
            if (!index.data(kEntryRole).toString().isEmpty())
                return index;
            if (const QModelIndex inner = first(index); inner.isValid())
                return inner;
        }
        return QModelIndex();
    };
    const QModelIndex index = first(QModelIndex());
    if (index.isValid())
        m_tree->setCurrentIndex(index);
}

std::optional<json> TaskPalette::currentEntry() const
{
    const QString text = m_tree->currentIndex().data(kEntryRole).toString();
    if (text.isEmpty())
        return std::nullopt;
    json entry = json::parse(text.toStdString(), nullptr, false);
    if (!entry.is_object())
        return std::nullopt;
    return entry;
}

void TaskPalette::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void TaskPalette::placeCurrent()
{
    if (auto entry = currentEntry())
        Q_EMIT placeRequested(*entry);
}

bool TaskPalette::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    auto *key = static_cast<QKeyEvent *>(event);
    const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
    if (watched == m_search) {
        if (enter) {
            placeCurrent();
            m_search->selectAll(); // typing again starts the next search
            return true;
        }
        if (key->key() == Qt::Key_Down || key->key() == Qt::Key_Up) {
            // The list moves under the cursor while the search keeps the keyboard.
            QApplication::sendEvent(m_tree, event);
            return true;
        }
    } else if (watched == m_tree && enter) {
        placeCurrent();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace flowdeck::ui::editor
