// SPDX-License-Identifier: GPL-3.0-or-later
// SIGINT and SIGTERM as a Qt signal on the main thread: the handler only writes a byte to a
// socket pair (async-signal-safe), and a QSocketNotifier turns it into `received`, so what
// stopping does (quit, save the window's layout) runs in the event loop like anything else.
// One per process; main thread.
#pragma once

#include <QObject>

#include <memory>

class QSocketNotifier;

namespace flowdeck::app {

class StopSignals final : public QObject
{
    Q_OBJECT
public:
    /// Installs the handlers; `ok()` is false (and errno set) when the socket pair could not
    /// be made, and then nothing is installed.
    explicit StopSignals(QObject *parent = nullptr);
    ~StopSignals() override;
    bool ok() const { return m_notifier != nullptr; }

Q_SIGNALS:
    /// "SIGTERM" or "SIGINT" arrived.
    void received(const QString &name);

private:
    std::unique_ptr<QSocketNotifier> m_notifier;
};

} // namespace flowdeck::app
