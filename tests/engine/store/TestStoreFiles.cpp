// SPDX-License-Identifier: GPL-3.0-or-later
// The store's files: made for their owner alone whatever the umask, exposed ones closed again
// on open; one engine lock per store, naming its holder; the secret key beside the store.
#include "engine/access/SecretBox.h"
#include "engine/store/SqliteStore.h"
#include "engine/store/StoreLock.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace flowdeck;

namespace {

mode_t modeOf(const QString &path)
{
    struct stat st
    {};
    return ::stat(path.toLocal8Bit().constData(), &st) == 0 ? (st.st_mode & 0777) : 0;
}

} // namespace

class TestStoreFiles : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

    QString path(const char *name) const { return m_dir.filePath(QString::fromUtf8(name)); }

private Q_SLOTS:
    void newStoresAreOwnerOnlyWhateverTheUmask()
    {
        const mode_t before = ::umask(0);
        {
            auto store = store::SqliteStore::open(path("private.db").toStdString());
            QVERIFY(store.ok());
            QVERIFY((*store)->transaction([] { return Result<void>(); }).ok());
            QCOMPARE(modeOf(path("private.db")), mode_t(0600));
            // The WAL and its index exist while the store is open, with the database's mode.
            QCOMPARE(modeOf(path("private.db-wal")), mode_t(0600));
            QCOMPARE(modeOf(path("private.db-shm")), mode_t(0600));
        }
        ::umask(before);
    }

    void exposedStoresAreClosedAgainOnOpen()
    {
        {
            QVERIFY(store::SqliteStore::open(path("exposed.db").toStdString()).ok());
        }
        QVERIFY(::chmod(path("exposed.db").toLocal8Bit().constData(), 0644) == 0);
        QCOMPARE(modeOf(path("exposed.db")), mode_t(0644));
        auto store = store::SqliteStore::open(path("exposed.db").toStdString());
        QVERIFY(store.ok());
        QCOMPARE(modeOf(path("exposed.db")), mode_t(0600));
    }

    void oneLockPerStoreNamingItsHolder()
    {
        const std::string db = path("locked.db").toStdString();
        auto first = store::StoreLock::acquire(db);
        QVERIFY(first.ok());
        QVERIFY(first->held());
        QCOMPARE(modeOf(path("locked.db.lock")), mode_t(0600));
        auto second = store::StoreLock::acquire(db);
        QVERIFY(!second.ok());
        QCOMPARE(second.error().code, ErrorCode::Conflict);
        const std::string pid = std::to_string(::getpid());
        QVERIFY2(second.error().message.find("Flowdeck process " + pid) != std::string::npos,
                 second.error().message.c_str());
        QVERIFY2(second.error().message.find("since 20") != std::string::npos,
                 second.error().message.c_str());
        auto holder = store::StoreLock::holder(db);
        QVERIFY(holder.ok());
        QCOMPARE(holder->pid, long(::getpid()));

        // Released with its owner, the next one takes it.
        *first = store::StoreLock();
        QVERIFY(!store::StoreLock::holder(db).ok());
        QVERIFY(store::StoreLock::acquire(db).ok());
        // In-memory stores need none.
        auto memory = store::StoreLock::acquire(":memory:");
        QVERIFY(memory.ok());
        QVERIFY(!memory->held());
    }

    void aKilledHolderLeavesNoLockBehind()
    {
        const QString db = path("killed.db");
        // A child that takes the lock with flock(1) and sleeps; SIGKILL ends it mid-hold.
        QProcess holder;
        // -o: the command does not inherit the lock, so it dies with flock itself.
        holder.start(QStringLiteral("flock"),
                     {QStringLiteral("-x"), QStringLiteral("-o"), db + QStringLiteral(".lock"),
                      QStringLiteral("sleep"), QStringLiteral("30")});
        if (!holder.waitForStarted())
            QSKIP("flock(1) is not installed");
        QTRY_VERIFY(!store::StoreLock::acquire(db.toStdString()).ok());
        holder.kill();
        QVERIFY(holder.waitForFinished(5000));
        QTRY_VERIFY(store::StoreLock::acquire(db.toStdString()).ok());
    }

    void secretsSealAndOpenWithTheStoresKeyOnly()
    {
        const std::string db = path("secrets.db").toStdString();
        auto box = access::SecretBox::forStore(db);
        QVERIFY(box.ok());
        QCOMPARE(modeOf(path("secrets.db.key")), mode_t(0600));
        QFile key(path("secrets.db.key"));
        QVERIFY(key.open(QIODevice::ReadOnly));
        QCOMPARE(key.readAll().size(), 32);

        const std::string sealed = box->seal("s3cret-token");
        QVERIFY(access::SecretBox::isSealed(sealed));
        QVERIFY(sealed.find("s3cret") == std::string::npos);
        QVERIFY(box->seal("s3cret-token") != sealed); // a fresh nonce each time
        QCOMPARE(*box->open(sealed), std::string("s3cret-token"));

        // The same key again from its file; another store's key cannot open it.
        auto again = access::SecretBox::forStore(db);
        QCOMPARE(*again->open(sealed), std::string("s3cret-token"));
        auto other = access::SecretBox::forStore(path("other.db").toStdString());
        auto refused = other->open(sealed);
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().message.find("s3cret") == std::string::npos);
        // Altered or not sealed at all.
        std::string altered = sealed;
        altered.back() = altered.back() == 'A' ? 'B' : 'A';
        QVERIFY(!box->open(altered).ok());
        QVERIFY(!box->open("plain text").ok());
        QCOMPARE(*box->open(box->seal("")), std::string());

        // A key file that is not a key is an error, not a new key.
        QFile bad(path("bad.db.key"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("short");
        bad.close();
        auto broken = access::SecretBox::forStore(path("bad.db").toStdString());
        QVERIFY(!broken.ok());
        QVERIFY2(broken.error().message.find("not a Flowdeck key") != std::string::npos,
                 broken.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestStoreFiles)
#include "TestStoreFiles.moc"
