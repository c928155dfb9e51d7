// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/main/ImportReport.h"

#include "ui/main/WorkflowImport.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QRegularExpression>
#include <QStyledItemDelegate>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace flowdeck::ui {

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace {

/// A file's notes span the row and wrap at the view's width: a long warning (the componentName
/// an automation looked for, and what to do) is read whole, not elided. The view asks rows for
/// their height once per layout, so the rows are laid out again when its width changes.
class NoteDelegate final : public QStyledItemDelegate
{
public:
    explicit NoteDelegate(QTreeWidget *tree) : QStyledItemDelegate(tree), m_tree(tree)
    {
        tree->viewport()->installEventFilter(this);
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        const QSize plain = QStyledItemDelegate::sizeHint(option, index);
        if (!index.parent().isValid() || index.column() != 0)
            return plain;
        const int width = m_tree->viewport()->width() - 2 * m_tree->indentation() - 12;
        const QRect wrapped = option.fontMetrics.boundingRect(
            QRect(0, 0, std::max(width, 80), 1 << 20), Qt::TextWordWrap,
            index.data(Qt::DisplayRole).toString());
        return {plain.width(), std::max(plain.height(), wrapped.height() + 4)};
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        // Only the viewport is watched here (this delegate opens no editors): the base class
        // would take its keys for an editor's.
        if (watched == m_tree->viewport()) {
            if (event->type() == QEvent::Resize)
                QMetaObject::invokeMethod(m_tree, &QTreeWidget::doItemsLayout,
                                          Qt::QueuedConnection);
            return false;
        }
        return QStyledItemDelegate::eventFilter(watched, event);
    }

private:
    QTreeWidget *m_tree;
};

QString text(const json &object, const char *key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                                 : QString();
}

int sourceIndex(const QString &source)
{
    bool ok = false;
    const int index = source.section(u'/', -1).toInt(&ok);
    return ok ? index : 1 << 30;
}

QStringList warningsOf(const json &entry)
{
    QStringList out;
    for (const json &w : entry.value("warnings", json::array())) {
        if (w.is_string()) {
            out.append(QString::fromStdString(w.get<std::string>()));
        } else if (w.is_object()) {
            const QString pointer = text(w, "instancePath");
            const QString message = text(w, "message");
            out.append(pointer.isEmpty() ? message : u"%1 — %2"_s.arg(pointer, message));
        }
    }
    return out;
}

} // namespace

QList<ImportReport::Line> ImportReport::linesFrom(const WorkflowImport &import,
                                                  const api::ApiResponse &response)
{
    struct Ordered
    {
        int index;
        Line line;
    };
    std::vector<Ordered> lines;
    const json &body = response.json;
    // The engine names documents by their place in the request ("/automations/3"); the
    // operator knows them by file.
    static const QRegularExpression sourceRef(u"/automations/\\d+"_s);
    auto add = [&](const json &entry, const QString &kind, QString outcome, QStringList notes,
                   bool skipped) {
        const QString source = text(entry, "source");
        for (QString &note : notes) {
            QString named;
            qsizetype at = 0;
            for (const QRegularExpressionMatch &m : sourceRef.globalMatch(note)) {
                named += note.mid(at, m.capturedStart() - at) + import.fileForSource(m.captured());
                at = m.capturedEnd();
            }
            note = named + note.mid(at);
        }
        lines.push_back({sourceIndex(source),
                         {import.fileForSource(source), kind, text(entry, "name"),
                          std::move(outcome), std::move(notes), skipped}});
    };
    for (const json &entry : body.value("imported", json::array()))
        add(entry, tr("Workflow"),
            entry.value("replaced", false) ? tr("New version %1").arg(entry.value("version", 0))
                                           : tr("Imported"),
            warningsOf(entry), false);
    for (const json &entry : body.value("transformations", json::array()))
        add(entry, tr("JST"),
            entry.value("replaced", false) ? tr("New version %1").arg(entry.value("version", 0))
                                           : tr("Imported"),
            {}, false);
    for (const json &entry : body.value("automations", json::array()))
        add(entry, tr("Automation"), tr("Imported"), warningsOf(entry), false);
    for (const json &entry : body.value("skipped", json::array())) {
        QStringList notes{text(entry, "reason")};
        for (const json &issue : entry.value("issues", json::array())) {
            QString pointer = text(issue, "instancePath");
            if (pointer.isEmpty())
                pointer = tr("(whole document)");
            notes.append(u"%1 — %2"_s.arg(pointer, text(issue, "message")));
        }
        add(entry, {}, tr("Skipped"), notes, true);
    }
    std::stable_sort(lines.begin(), lines.end(),
                     [](const Ordered &a, const Ordered &b) { return a.index < b.index; });
    QList<Line> out;
    for (auto &l : lines)
        out.append(std::move(l.line));
    return out;
}

ImportReport::ImportReport(const QList<Line> &lines, QWidget *parent) : QDialog(parent)
{
    setObjectName(u"importReport"_s);
    setWindowTitle(tr("Import report"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 14, 16, 12);

    int stored = 0;
    int skipped = 0;
    for (const Line &line : lines) {
        (line.skipped ? skipped : stored) += 1;
        m_notes += int(line.notes.size());
    }
    int warnings = 0;
    for (const Line &line : lines)
        if (!line.skipped)
            warnings += int(line.notes.size());
    QStringList summary;
    summary << (stored == 1 ? tr("1 document imported") : tr("%1 documents imported").arg(stored));
    if (skipped > 0)
        summary << (skipped == 1 ? tr("1 skipped") : tr("%1 skipped").arg(skipped));
    summary << (warnings == 1 ? tr("1 warning") : tr("%1 warnings").arg(warnings));
    m_summary = new QLabel(summary.join(u", "_s) + u'.', this);
    m_summary->setObjectName(u"importSummary"_s);
    QFont bold = m_summary->font();
    bold.setWeight(QFont::DemiBold);
    m_summary->setFont(bold);
    layout->addWidget(m_summary);

    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(u"importLines"_s);
    m_tree->setHeaderLabels({tr("File"), tr("Kind"), tr("Name"), tr("Outcome")});
    m_tree->setRootIsDecorated(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setUniformRowHeights(false);
    m_tree->setWordWrap(true);
    m_tree->setItemDelegate(new NoteDelegate(m_tree));
    for (const Line &line : lines) {
        auto *item = new QTreeWidgetItem(m_tree, {line.file, line.kind, line.name, line.outcome});
        item->setToolTip(0, line.file);
        item->setToolTip(2, line.name);
        if (line.skipped) {
            QFont font = item->font(3);
            font.setWeight(QFont::DemiBold);
            item->setFont(3, font);
        }
        for (const QString &note : line.notes) {
            auto *child = new QTreeWidgetItem(item);
            child->setText(0, note);
            child->setToolTip(0, note);
            child->setFirstColumnSpanned(true);
        }
        // What needs reading is open; a clean import stays one line per file.
        item->setExpanded(!line.notes.isEmpty());
    }
    m_tree->header()->setSectionResizeMode(QHeaderView::Interactive);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_tree->resizeColumnToContents(0);
    m_tree->resizeColumnToContents(1);
    m_tree->resizeColumnToContents(3);
    m_tree->setColumnWidth(0, std::min(m_tree->columnWidth(0), 260));
    layout->addWidget(m_tree, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(760, 460);
}

QString ImportReport::summaryText() const
{
    return m_summary->text();
}

} // namespace flowdeck::ui
