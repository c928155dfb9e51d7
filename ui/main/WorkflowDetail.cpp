// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/main/WorkflowDetail.h"

#include "engine/model/GridPosition.h"
#include "engine/model/WorkflowEdit.h"
#include "ui/canvas/WorkflowCanvas.h"
#include "ui/client/Requests.h"
#include "ui/editor/WorkflowEditor.h"
#include "ui/forms/AdapterNeedsView.h"
#include "ui/main/TableStyle.h"

#include <QDateTime>
#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QShortcut>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

namespace flowdeck::ui {

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace {

constexpr int kLoadingDelayMs = 250;
/// The canvas's share of the splitter when a workflow opens; the tables get the rest.
constexpr int kCanvasStretch = 3;
constexpr int kTablesStretch = 2;
/// The most the tasks table gives a method or app name before eliding it.
constexpr int kIdentifierWidth = 150;
const std::string kStart = "workflow_start";
const std::string kEnd = "workflow_end";

QString text(const json &object, const char *key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                                 : QString();
}

/// A grid position as an operator counts it on the canvas: cells from 1 at the workflow's
/// top-left task, to the nearest cell. Canvas-3 documents place tasks at pixels that fall
/// between cells and far from the origin ("-12.2"), which says nothing to a reader.
QString cell(double value, double first)
{
    return QString::number(qRound(value - first) + 1);
}

QLabel *sectionHeading(QWidget *parent)
{
    auto *label = new QLabel(parent);
    QFont font = label->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.1);
    label->setFont(font);
    return label;
}

QLabel *mutedLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setForegroundRole(QPalette::PlaceholderText);
    label->setWordWrap(true);
    return label;
}

/// A read-only table that is exactly as tall as its rows: the page scrolls, not each table.
QTableWidget *detailTable(const QStringList &headers, const QString &objectName, QWidget *parent)
{
    auto *table = new QTableWidget(0, int(headers.size()), parent);
    table->setObjectName(objectName);
    table->setHorizontalHeaderLabels(headers);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    table->setFocusPolicy(Qt::NoFocus);
    table->setShowGrid(false);
    table->setAlternatingRowColors(true);
    table->setWordWrap(false);
    table->setTextElideMode(Qt::ElideRight);
    table->verticalHeader()->hide();
    table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 12);
    table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    table->horizontalHeader()->setHighlightSections(false);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    TableStyle::apply(table);
    table->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    return table;
}

/// Exactly the header and the rows, so no table shows an empty band under its last row.
void fitHeight(QTableWidget *table)
{
    table->setFixedHeight(table->horizontalHeader()->sizeHint().height() +
                          table->rowCount() * table->verticalHeader()->defaultSectionSize() +
                          2 * table->frameWidth());
}

QTableWidgetItem *item(const QString &value, const QString &toolTip = {})
{
    auto *cellItem = new QTableWidgetItem(value);
    cellItem->setToolTip(toolTip.isEmpty() ? value : toolTip);
    return cellItem;
}

QTableWidgetItem *mutedItem(const QString &value, const QPalette &palette)
{
    auto *cellItem = item(value);
    cellItem->setForeground(palette.color(QPalette::PlaceholderText));
    return cellItem;
}

QString typeText(const json &schema)
{
    const json type = schema.is_object() ? schema.value("type", json()) : json();
    if (type.is_string())
        return QString::fromStdString(type.get<std::string>());
    if (type.is_array()) {
        QStringList names;
        for (const json &name : type)
            if (name.is_string())
                names.append(QString::fromStdString(name.get<std::string>()));
        return names.join(u" | "_s);
    }
    return QObject::tr("any");
}

QString who(const json &user)
{
    const QString name = text(user, "username");
    return name.isEmpty() ? text(user, "firstname") : name;
}

} // namespace

WorkflowDetail::WorkflowDetail(ConsoleClient &client, QWidget *parent)
    : QWidget(parent), m_client(client)
{
    m_loadingDelay.setSingleShot(true);
    m_loadingDelay.setInterval(kLoadingDelayMs);
    connect(&m_loadingDelay, &QTimer::timeout, this,
            [this] { showMessage(tr("Loading “%1”…").arg(m_name)); });

    m_stack = new QStackedWidget(this);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_stack);

    m_message = mutedLabel(m_stack);
    m_message->setObjectName(u"detailMessage"_s);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setContentsMargins(32, 32, 32, 32);
    m_stack->addWidget(m_message);

    // The title on top, then the canvas and the tables in a splitter: the canvas can grow to
    // the whole page (or give it back), and the tables scroll below it.
    m_body = new QWidget(m_stack);
    m_body->setObjectName(u"workflowBody"_s);
    m_body->setBackgroundRole(QPalette::Window);
    auto *bodyLayout = new QVBoxLayout(m_body);
    bodyLayout->setContentsMargins(28, 22, 28, 0);
    bodyLayout->setSpacing(6);
    m_stack->addWidget(m_body);

    m_title = new QLabel(m_body);
    m_title->setObjectName(u"workflowTitle"_s);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setWordWrap(true);
    bodyLayout->addWidget(m_title);

    m_description = new QLabel(m_body);
    m_description->setObjectName(u"workflowDescription"_s);
    m_description->setWordWrap(true);
    m_description->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bodyLayout->addWidget(m_description);

    m_meta = mutedLabel(m_body);
    m_meta->setObjectName(u"workflowMeta"_s);
    bodyLayout->addWidget(m_meta);
    m_adapterNeeds = new AdapterNeedsView(m_client, m_body);
    bodyLayout->addWidget(m_adapterNeeds);

    bodyLayout->addSpacing(12);
    auto *canvasBar = new QHBoxLayout;
    m_canvasHeading = sectionHeading(m_body);
    m_canvasHeading->setText(tr("Canvas"));
    canvasBar->addWidget(m_canvasHeading);
    canvasBar->addStretch(1);
    m_edit = new QToolButton(m_body);
    m_edit->setObjectName(u"editWorkflow"_s);
    m_edit->setAutoRaise(true);
    m_edit->setText(tr("Edit…"));
    m_edit->setToolTip(tr("Open this workflow in the editor: move and join tasks, undo, save "
                          "as a new version"));
    connect(m_edit, &QToolButton::clicked, this, &WorkflowDetail::openEditor);
    canvasBar->addWidget(m_edit);
    m_fullSize = new QToolButton(m_body);
    m_fullSize->setObjectName(u"canvasFullSize"_s);
    m_fullSize->setCheckable(true);
    m_fullSize->setAutoRaise(true);
    m_fullSize->setText(tr("Full size"));
    m_fullSize->setToolTip(tr("Give the canvas the whole page (F11 inside the page)"));
    canvasBar->addWidget(m_fullSize);
    bodyLayout->addLayout(canvasBar);

    m_splitter = new QSplitter(Qt::Vertical, m_body);
    m_splitter->setObjectName(u"workflowSplitter"_s);
    m_splitter->setChildrenCollapsible(true);
    bodyLayout->addWidget(m_splitter, 1);

    m_canvas = new canvas::WorkflowCanvas(m_splitter);
    m_canvas->setObjectName(u"workflowCanvasPreview"_s);
    m_canvas->setFrameShape(QFrame::StyledPanel);
    m_canvas->setMinimumHeight(120);
    m_splitter->addWidget(m_canvas);

    m_scroll = new QScrollArea(m_splitter);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_splitter->addWidget(m_scroll);
    m_splitter->setStretchFactor(0, kCanvasStretch);
    m_splitter->setStretchFactor(1, kTablesStretch);
    connect(m_fullSize, &QToolButton::toggled, this, &WorkflowDetail::setCanvasFullSize);
    connect(m_splitter, &QSplitter::splitterMoved, this, [this] {
        const QSignalBlocker block(m_fullSize);
        m_fullSize->setChecked(m_splitter->sizes().value(1) == 0);
    });
    auto *fullSizeKey = new QShortcut(QKeySequence(Qt::Key_F11), m_body);
    fullSizeKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(fullSizeKey, &QShortcut::activated, m_fullSize, &QToolButton::toggle);

    auto *page = new QWidget(m_scroll);
    page->setBackgroundRole(QPalette::Window);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 28);
    layout->setSpacing(6);

    auto addSection = [&](QLabel *&heading, QTableWidget *table, QLabel *empty) {
        layout->addSpacing(20);
        heading = sectionHeading(page);
        layout->addWidget(heading);
        layout->addSpacing(2);
        layout->addWidget(table);
        if (empty)
            layout->addWidget(empty);
    };

    m_tasks = detailTable(
        {tr("Key"), tr("Summary"), tr("Method"), tr("App"), tr("Type"), tr("Row"), tr("Column")},
        u"tasksTable"_s, page);
    m_tasks->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    // Method and App are long identifiers ("ConfigurationManager"): they get a fair share and
    // elide, so the summary an operator reads keeps the room.
    for (int column : {2, 3})
        m_tasks->horizontalHeader()->setSectionResizeMode(column, QHeaderView::Interactive);
    m_tasks->horizontalHeaderItem(5)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_tasks->horizontalHeaderItem(6)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_tasks->horizontalHeaderItem(5)->setToolTip(
        tr("Grid row on the canvas, counted from 1 at the top task"));
    m_tasks->horizontalHeaderItem(6)->setToolTip(
        tr("Grid column on the canvas, counted from 1 at the leftmost task"));
    addSection(m_tasksHeading, m_tasks, nullptr);

    m_transitions =
        detailTable({tr("From"), tr("To"), tr("On"), tr("Type")}, u"transitionsTable"_s, page);
    m_transitions->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_transitions->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_transitions->horizontalHeaderItem(2)->setToolTip(
        tr("The task's finish state that takes this transition"));
    m_noTransitions = mutedLabel(page);
    m_noTransitions->setText(tr("No transitions: no task follows another yet."));
    addSection(m_transitionsHeading, m_transitions, m_noTransitions);

    m_inputs = detailTable({tr("Name"), tr("Type"), tr("Required"), tr("Description")},
                           u"inputsTable"_s, page);
    m_inputs->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
    m_noInputs = mutedLabel(page);
    m_noInputs->setText(tr("This workflow declares no input variables."));
    addSection(m_inputsHeading, m_inputs, m_noInputs);

    layout->addStretch(1);
    m_scroll->setWidget(page);

    showWorkflow({});
}

void WorkflowDetail::showWorkflow(const QString &name)
{
    const bool sameWorkflow = name == m_name && !m_document.is_null();
    m_name = name;
    ++m_serial;
    if (name.isEmpty()) {
        m_loadingDelay.stop();
        showMessage(tr("Select a workflow to see its tasks, transitions and input variables."));
        return;
    }
    if (!sameWorkflow)
        m_loadingDelay.start();
    request();
}

void WorkflowDetail::reload()
{
    if (m_name.isEmpty())
        return;
    ++m_serial;
    request();
}

void WorkflowDetail::request()
{
    ApiReply *reply = m_client.call(requests::workflowDetail(m_name));
    const quint64 serial = m_serial;
    connect(reply, &ApiReply::finished, this, [this, reply, serial] {
        reply->deleteLater();
        if (serial != m_serial)
            return;
        m_loadingDelay.stop();
        const api::ApiResponse &response = reply->response();
        if (response.ok() && response.json.is_object()) {
            showDocument(response.json);
            Q_EMIT loaded(m_name);
            return;
        }
        QString message = text(response.json, "message");
        if (response.status == 404)
            message = tr("The workflow “%1” is not in the store any more.").arg(m_name);
        else if (message.isEmpty())
            message = tr("The engine answered %1.").arg(response.status);
        showMessage(tr("“%1” could not be shown.\n%2").arg(m_name, message));
        Q_EMIT loadFailed(m_name, message);
    });
}

void WorkflowDetail::showMessage(const QString &message)
{
    m_document = nullptr;
    m_message->setText(message);
    m_stack->setCurrentWidget(m_message);
}

editor::WorkflowEditor *WorkflowDetail::openEditor()
{
    if (!m_document.is_object())
        return nullptr;
    return editorFor(m_name, m_document, false);
}

editor::WorkflowEditor *WorkflowDetail::openNewEditor(const QString &name)
{
    return editorFor(name, model::emptyWorkflow(name.toStdString()), true);
}

editor::WorkflowEditor *WorkflowDetail::editorFor(const QString &name, const json &document,
                                                  bool isNew)
{
    // One editor per workflow: two would each save their own next version over the other's.
    if (editor::WorkflowEditor *open = m_editors.value(name)) {
        open->raise();
        open->activateWindow();
        return open;
    }
    auto *window = new editor::WorkflowEditor(m_client, document, this->window(), isNew);
    m_editors.insert(name, window);
    // A saved version shows here at once; jobs already running keep theirs.
    connect(window, &editor::WorkflowEditor::saved, this, [this](const QString &saved) {
        if (saved == m_name)
            reload();
        Q_EMIT this->saved(saved);
    });
    window->show();
    return window;
}

void WorkflowDetail::showDocument(const json &document)
{
    m_document = document;
    m_title->setText(text(document, "name"));
    const QString description = text(document, "description");
    m_description->setText(description);
    m_description->setVisible(!description.isEmpty());

    m_canvas->setWorkflow(document);
    m_adapterNeeds->load(text(document, "name"));
    fillTasks(document);
    fillTransitions(document);
    fillInputs(document);

    QStringList meta;
    const int taskCount = m_tasks->rowCount();
    meta.append(taskCount == 1 ? tr("1 task") : tr("%1 tasks").arg(taskCount));
    const int transitionCount = m_transitions->rowCount();
    meta.append(transitionCount == 1 ? tr("1 transition")
                                     : tr("%1 transitions").arg(transitionCount));
    const QDateTime updated =
        QDateTime::fromString(text(document, "last_updated"), Qt::ISODateWithMs);
    if (updated.isValid()) {
        const QString when = updated.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s);
        const QString by = who(document.value("last_updated_by", json()));
        meta.append(by.isEmpty() ? tr("updated %1").arg(when)
                                 : tr("updated %1 by %2").arg(when, by));
    }
    m_meta->setText(meta.join(u"  ·  "_s));

    m_stack->setCurrentWidget(m_body);
}

void WorkflowDetail::setCanvasFullSize(bool full)
{
    const QSignalBlocker block(m_fullSize);
    m_fullSize->setChecked(full);
    const int total = m_splitter->height();
    if (full) {
        m_splitter->setSizes({total, 0});
    } else {
        const int canvas = total * kCanvasStretch / (kCanvasStretch + kTablesStretch);
        m_splitter->setSizes({canvas, total - canvas});
    }
}

bool WorkflowDetail::isCanvasFullSize() const
{
    return m_fullSize->isChecked();
}

void WorkflowDetail::fillTasks(const json &document)
{
    struct TaskRow
    {
        std::string key;
        json task;
        std::optional<model::GridPoint> position;
    };
    std::vector<TaskRow> rows;
    const json tasks = document.value("tasks", json::object());
    if (tasks.is_object())
        for (const auto &[key, task] : tasks.items())
            if (key != kStart && key != kEnd && task.is_object())
                rows.push_back({key, task, model::gridPosition(task)});
    // Canvas order: top to bottom, then left to right; tasks without a position go last.
    std::stable_sort(rows.begin(), rows.end(), [](const TaskRow &a, const TaskRow &b) {
        constexpr double kNowhere = std::numeric_limits<double>::max();
        const auto ay = a.position ? a.position->y : kNowhere;
        const auto by = b.position ? b.position->y : kNowhere;
        if (ay != by)
            return ay < by;
        const auto ax = a.position ? a.position->x : kNowhere;
        const auto bx = b.position ? b.position->x : kNowhere;
        return ax < bx;
    });

    m_taskInfo.clear();
    m_taskInfo[kStart] = {tr("Start"), -1};
    m_taskInfo[kEnd] = {tr("End"), std::numeric_limits<int>::max()};

    // Counted from the top-left task (Start included), as an operator counts on the canvas.
    double firstColumn = std::numeric_limits<double>::max();
    double firstRow = std::numeric_limits<double>::max();
    if (tasks.is_object())
        for (const auto &[key, task] : tasks.items())
            if (const auto position = model::gridPosition(task)) {
                firstColumn = std::min(firstColumn, std::round(position->x));
                firstRow = std::min(firstRow, std::round(position->y));
            }

    const QPalette pal = palette();
    m_tasks->setRowCount(int(rows.size()));
    for (int i = 0; i < int(rows.size()); ++i) {
        const TaskRow &row = rows[std::size_t(i)];
        const QString key = QString::fromStdString(row.key);
        const QString method = text(row.task, "name");
        QString summary = text(row.task, "summary");
        if (summary.isEmpty())
            summary = method;
        m_taskInfo[row.key] = {summary, i};

        m_tasks->setItem(i, 0, mutedItem(key, pal));
        const QString description = text(row.task, "description");
        m_tasks->setItem(i, 1, item(summary, description.isEmpty() ? summary : description));
        m_tasks->setItem(i, 2, item(method));
        m_tasks->setItem(i, 3, mutedItem(text(row.task, "app"), pal));
        m_tasks->setItem(i, 4, item(text(row.task, "type")));
        for (int column : {5, 6}) {
            QString value = u"—"_s;
            if (row.position)
                value = column == 5 ? cell(row.position->y, firstRow)
                                    : cell(row.position->x, firstColumn);
            auto *cellItem = item(value);
            cellItem->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (!row.position)
                cellItem->setToolTip(tr("This task has no position on the canvas"));
            m_tasks->setItem(i, column, cellItem);
        }
    }
    // In a narrow detail (a small screen, the splitter given to the list) the identifiers take
    // a sixth of the table each at most, so the summary is never squeezed to "Look …".
    const int identifierWidth =
        std::clamp(m_tasks->viewport()->width() / 6, kIdentifierWidth / 2, kIdentifierWidth);
    for (int column : {2, 3}) {
        m_tasks->resizeColumnToContents(column);
        m_tasks->setColumnWidth(column, std::min(m_tasks->columnWidth(column), identifierWidth));
    }
    m_tasksHeading->setText(tr("Tasks"));
    m_tasks->setVisible(!rows.empty());
    fitHeight(m_tasks);
}

QString WorkflowDetail::taskLabel(const std::string &key) const
{
    const auto it = m_taskInfo.find(key);
    return it != m_taskInfo.end() ? it->second.label : QString::fromStdString(key);
}

void WorkflowDetail::fillTransitions(const json &document)
{
    struct TransitionRow
    {
        std::string from;
        std::string to;
        QString state;
        QString type;
    };
    auto rank = [this](const std::string &key) {
        const auto it = m_taskInfo.find(key);
        return it != m_taskInfo.end() ? it->second.rank : std::numeric_limits<int>::max() - 1;
    };
    std::vector<TransitionRow> rows;
    const json transitions = document.value("transitions", json::object());
    if (transitions.is_object())
        for (const auto &[from, targets] : transitions.items()) {
            if (!targets.is_object())
                continue;
            for (const auto &[to, transition] : targets.items()) {
                // Editors leave `{}` behind when a link is deleted; it leads nowhere.
                if (!transition.is_object() || transition.empty())
                    continue;
                rows.push_back({from, to, text(transition, "state"), text(transition, "type")});
            }
        }
    std::stable_sort(rows.begin(), rows.end(), [&](const TransitionRow &a, const TransitionRow &b) {
        return std::pair(rank(a.from), rank(a.to)) < std::pair(rank(b.from), rank(b.to));
    });

    const QPalette pal = palette();
    m_transitions->setRowCount(int(rows.size()));
    for (int i = 0; i < int(rows.size()); ++i) {
        const TransitionRow &row = rows[std::size_t(i)];
        const QString from = QString::fromStdString(row.from);
        const QString to = QString::fromStdString(row.to);
        m_transitions->setItem(i, 0, item(taskLabel(row.from), from));
        m_transitions->setItem(i, 1, item(taskLabel(row.to), to));
        m_transitions->setItem(i, 2, item(row.state));
        m_transitions->setItem(i, 3, mutedItem(row.type, pal));
    }
    m_transitionsHeading->setText(tr("Transitions"));
    m_transitions->setVisible(!rows.empty());
    m_noTransitions->setVisible(rows.empty());
    fitHeight(m_transitions);
}

void WorkflowDetail::fillInputs(const json &document)
{
    const json schema = document.value("inputSchema", json());
    const json properties = schema.is_object() ? schema.value("properties", json()) : json();
    std::vector<std::string> required;
    if (schema.is_object())
        for (const json &name : schema.value("required", json::array()))
            if (name.is_string())
                required.push_back(name.get<std::string>());

    const QPalette pal = palette();
    int row = 0;
    m_inputs->setRowCount(properties.is_object() ? int(properties.size()) : 0);
    if (properties.is_object())
        for (const auto &[name, property] : properties.items()) {
            const bool isRequired =
                std::find(required.begin(), required.end(), name) != required.end();
            m_inputs->setItem(row, 0, item(QString::fromStdString(name)));
            m_inputs->setItem(row, 1, item(typeText(property)));
            m_inputs->setItem(row, 2, isRequired ? item(tr("Yes")) : mutedItem(tr("No"), pal));
            m_inputs->setItem(row, 3, mutedItem(text(property, "description"), pal));
            ++row;
        }
    m_inputsHeading->setText(tr("Input variables"));
    m_inputs->setVisible(row > 0);
    m_noInputs->setVisible(row == 0);
    fitHeight(m_inputs);
}

void WorkflowDetail::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // Muted table cells carry a colour from the palette they were filled with; a theme
    // switch (light ↔ dark) fills them again.
    if (event->type() == QEvent::PaletteChange && m_document.is_object())
        showDocument(json(m_document));
}

} // namespace flowdeck::ui
