// SPDX-License-Identifier: GPL-3.0-or-later
// "Adapters": the adapter instances with a health light, latency and last error (live: the
// page asks GET /health/adapters every few seconds while it shows, faster while a check
// runs); Add and Remove; for the selected instance its properties in the form generated from
// the engine's properties schema (secrets as password fields that never show what is stored),
// Save with the engine's errors under their fields, Test connection, and its methods with
// each one's input schema. Everything goes through ConsoleClient. GUI thread; never blocks.
#pragma once

#include <QHash>
#include <QWidget>

#include <nlohmann/json.hpp>

class QAction;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QTimer;

namespace flowdeck::ui {

class AddAdapterDialog;
class ConsoleClient;
class JsonListModel;
class Prompter;
class SchemaForm;

class AdaptersPage final : public QWidget
{
    Q_OBJECT
public:
    /// How often the health lights are fetched while the page shows, and while a check runs.
    static constexpr int kHealthIntervalMs = 3000;
    static constexpr int kCheckingIntervalMs = 300;

    explicit AdaptersPage(ConsoleClient &client, QWidget *parent = nullptr);

    /// The window's dialogs (Remove asks first); null asks with a plain message box.
    void setPrompter(Prompter *prompter) { m_prompter = prompter; }

    JsonListModel *instancesModel() const { return m_instances; }
    QTableView *instancesView() const { return m_instancesView; }
    JsonListModel *methodsModel() const { return m_methods; }
    QTableView *methodsView() const { return m_methodsView; }
    SchemaForm *propertiesForm() const { return m_form; }
    QTabWidget *tabs() const { return m_tabs; }
    QPushButton *saveButton() const { return m_save; }
    QPushButton *testButton() const { return m_test; }
    AddAdapterDialog *addDialog() const { return m_addDialog; }
    /// The selected instance's connection in words ("Online: answered in 12 ms, …").
    QString healthText() const;
    /// The selected method's input schema as shown.
    QString inputSchemaText() const;
    QString bannerText() const;
    QString emptyText() const;
    /// The connection GET /health/adapters last reported for an instance (null when none).
    nlohmann::json healthOf(const QString &name) const;
    /// Selects an instance by name; false when it is not listed.
    bool selectAdapter(const QString &name);
    QString selectedName() const;

public Q_SLOTS:
    /// Fetches the instances (and the selected one's detail) and their health again.
    void refresh();
    void openAddDialog();
    /// Asks, then deletes the selected instance.
    void removeSelected();
    /// Validates the form and sends the properties.
    void saveProperties();
    /// Starts the selected instance's health check; the light follows when it ends.
    void testConnection();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QWidget *buildDetail();
    void loadDetail();
    void showDetail(const nlohmann::json &instance);
    void fetchHealth();
    void applyHealth(const nlohmann::json &entries);
    void showHealth();
    void showInputSchema();
    void setBanner(const QString &text, bool problem = true);
    void updateActions();

    ConsoleClient &m_client;
    Prompter *m_prompter = nullptr;
    nlohmann::json m_schema;                      ///< the properties schema, once fetched
    QStringList m_secretPointers;                 ///< its password fields
    nlohmann::json m_stored;                      ///< the selected instance's properties (masked)
    QHash<QString, nlohmann::json> m_connections; ///< name → connection
    QString m_keep;                               ///< the instance to select after a fetch
    QString m_shown;                              ///< the instance the detail shows
    bool m_healthPending = false;
    bool m_filling = false; ///< the page, not a person, is setting the form's values
    quint64 m_detailToken = 0;

    JsonListModel *m_instances = nullptr;
    JsonListModel *m_methods = nullptr;
    QTableView *m_instancesView = nullptr;
    QTableView *m_methodsView = nullptr;
    QStackedWidget *m_listStack = nullptr;
    QLabel *m_emptyText = nullptr;
    QStackedWidget *m_detailStack = nullptr;
    QLabel *m_placeholder = nullptr;
    QLabel *m_banner = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_subtitle = nullptr;
    QLabel *m_light = nullptr;
    QLabel *m_healthLabel = nullptr;
    QPushButton *m_test = nullptr;
    QTabWidget *m_tabs = nullptr;
    SchemaForm *m_form = nullptr;
    QPushButton *m_save = nullptr;
    QLabel *m_saveNote = nullptr;
    QPlainTextEdit *m_inputSchema = nullptr;
    QAction *m_add = nullptr;
    QAction *m_remove = nullptr;
    QAction *m_refresh = nullptr;
    QTimer *m_healthTimer = nullptr;
    AddAdapterDialog *m_addDialog = nullptr;
};

} // namespace flowdeck::ui
