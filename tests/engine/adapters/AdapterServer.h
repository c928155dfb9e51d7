// SPDX-License-Identifier: GPL-3.0-or-later
// The test system adapters talk to: tests/data/adapters/adapter_server.py, started on
// 127.0.0.1 (plain HTTP, or TLS with the test certificate), and what it recorded.
#pragma once

#include <QProcess>
#include <QString>

#include <nlohmann/json.hpp>

namespace flowdeck::test {

class AdapterServer
{
public:
    /// Starts the server; port() is 0 when it did not start (error() says why).
    explicit AdapterServer(bool tls = false);
    ~AdapterServer();

    int port() const { return m_port; }
    QString error() const { return m_error; }
    /// Every request it received, oldest first ({method, path, query, headers, body, at}).
    nlohmann::json log() const;
    /// The requests whose path is `path`.
    nlohmann::json requestsTo(const std::string &path) const;
    /// GET of a path on it (e.g. "/_expire").
    nlohmann::json get(const QString &path) const;

    static QString certificatePath();

private:
    QProcess m_process;
    int m_port = 0;
    bool m_tls = false;
    QString m_error;
};

} // namespace flowdeck::test
