// SPDX-License-Identifier: GPL-3.0-or-later
#include "AdapterServer.h"

#include "tests/support/TestPaths.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslError>
#include <QTimer>

namespace flowdeck::test {

using nlohmann::json;

QString AdapterServer::certificatePath()
{
    return sourcePath(QStringLiteral("tests/data/adapters/test-server.pem"));
}

AdapterServer::AdapterServer(bool tls) : m_tls(tls)
{
    QStringList args{sourcePath(QStringLiteral("tests/data/adapters/adapter_server.py"))};
    if (tls)
        args << certificatePath()
             << sourcePath(QStringLiteral("tests/data/adapters/test-server.key"));
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.start(QStringLiteral(FLOWDECK_PYTHON), args);
    if (!m_process.waitForStarted(10000)) {
        m_error = QStringLiteral("python3 did not start: ") + m_process.errorString();
        return;
    }
    for (int i = 0; i < 100 && !m_process.canReadLine(); ++i)
        m_process.waitForReadyRead(100);
    bool ok = false;
    m_port = m_process.readLine().trimmed().toInt(&ok);
    if (!ok) {
        m_port = 0;
        m_error = QStringLiteral("the test server did not say its port");
    }
}

AdapterServer::~AdapterServer()
{
    m_process.kill();
    m_process.waitForFinished(5000);
}

json AdapterServer::get(const QString &path) const
{
    QNetworkAccessManager nam;
    QUrl url(QStringLiteral("%1://127.0.0.1:%2%3")
                 .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
                 .arg(m_port)
                 .arg(path));
    QNetworkReply *reply = nam.get(QNetworkRequest(url));
    QObject::connect(reply, &QNetworkReply::sslErrors, reply,
                     [reply](const QList<QSslError> &) { reply->ignoreSslErrors(); });
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
    const QByteArray body = reply->readAll();
    reply->deleteLater();
    return json::parse(body.begin(), body.end(), nullptr, false);
}

json AdapterServer::log() const
{
    return get(QStringLiteral("/_log"));
}

json AdapterServer::requestsTo(const std::string &path) const
{
    json out = json::array();
    for (const auto &r : log())
        if (r.value("path", std::string()) == path)
            out.push_back(r);
    return out;
}

} // namespace flowdeck::test
