// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/forms/JsonView.h"

#include "ui/forms/SchemaForm.h"

#include <QFontDatabase>
#include <QGridLayout>
#include <QLabel>

using namespace Qt::StringLiterals;

namespace flowdeck::ui {

JsonView::JsonView(QWidget *parent) : QWidget(parent)
{
    m_grid = new QGridLayout(this);
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setHorizontalSpacing(18);
    m_grid->setVerticalSpacing(6);
    m_grid->setColumnStretch(1, 1);
}

QString JsonView::valueText(const nlohmann::json &value)
{
    if (value.is_string())
        return QString::fromStdString(value.get<std::string>());
    if (value.is_boolean())
        return value.get<bool>() ? tr("yes") : tr("no");
    if (value.is_null())
        return tr("(empty)");
    if (value.is_structured())
        return QString::fromStdString(value.dump(2));
    return QString::fromStdString(value.dump());
}

void JsonView::setJson(const nlohmann::json &value)
{
    while (QLayoutItem *item = m_grid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_rows.clear();
    if (value.is_object())
        for (auto it = value.begin(); it != value.end(); ++it)
            m_rows.push_back(
                {SchemaForm::labelFor(QString::fromStdString(it.key())), valueText(it.value())});
    else if (value.is_array())
        for (std::size_t i = 0; i < value.size(); ++i)
            m_rows.push_back({QString::number(i + 1), valueText(value[i])});
    else
        m_rows.push_back({QString(), valueText(value)});

    for (int r = 0; r < rowCount(); ++r) {
        const Row &row = m_rows[std::size_t(r)];
        auto *text = new QLabel(row.text, this);
        text->setWordWrap(true);
        text->setTextInteractionFlags(Qt::TextSelectableByMouse);
        text->setTextFormat(Qt::PlainText);
        // Configuration lines and nested values keep their columns in a fixed font.
        if (row.text.contains(u'\n'))
            text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        if (row.name.isEmpty()) {
            m_grid->addWidget(text, r, 0, 1, 2);
            continue;
        }
        auto *name = new QLabel(row.name, this);
        name->setForegroundRole(QPalette::PlaceholderText);
        name->setAlignment(Qt::AlignLeft | Qt::AlignTop);
        m_grid->addWidget(name, r, 0, Qt::AlignTop);
        m_grid->addWidget(text, r, 1);
    }
}

QString JsonView::nameAt(int row) const
{
    return m_rows.at(std::size_t(row)).name;
}

QString JsonView::textAt(int row) const
{
    return m_rows.at(std::size_t(row)).text;
}

} // namespace flowdeck::ui
