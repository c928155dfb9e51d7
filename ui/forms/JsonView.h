// SPDX-License-Identifier: GPL-3.0-or-later
// A read-only view of a JSON value for the operator: an object as rows of "name  value"
// (names read as words, values as plain text; multi-line text and nested values in a fixed
// font, selectable), a scalar as one line. For the body and values a manual task shows.
#pragma once

#include <QWidget>

#include <nlohmann/json.hpp>

class QGridLayout;

namespace flowdeck::ui {

class JsonView final : public QWidget
{
    Q_OBJECT
public:
    explicit JsonView(QWidget *parent = nullptr);

    /// Shows `value`: an object's members as rows, an array's items numbered, a scalar as
    /// one row without a name.
    void setJson(const nlohmann::json &value);

    int rowCount() const { return int(m_rows.size()); }
    /// The name and the text shown in a row; `row` must be in range.
    QString nameAt(int row) const;
    QString textAt(int row) const;

    /// The text a value is shown as: strings as themselves, booleans as yes/no, nested
    /// values as indented JSON.
    static QString valueText(const nlohmann::json &value);

private:
    struct Row
    {
        QString name;
        QString text;
    };
    QGridLayout *m_grid = nullptr;
    std::vector<Row> m_rows;
};

} // namespace flowdeck::ui
