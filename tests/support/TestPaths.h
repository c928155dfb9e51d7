// SPDX-License-Identifier: GPL-3.0-or-later
// Where tests find the source tree's fixtures and demo workflows.
#pragma once

#include <QString>

namespace flowdeck::test {

/// The source root: $FLOWDECK_SOURCE_DIR (CTest sets it), else the tree this file was built from.
QString sourceDir();

/// sourceDir() + "/" + relative.
QString sourcePath(const QString &relative);

/// The whole file as UTF-8 bytes; fails the test (QFAIL-style message in the returned string
/// being empty is not enough), so callers check with QVERIFY(!text.isEmpty()).
QByteArray readFile(const QString &path);

} // namespace flowdeck::test
