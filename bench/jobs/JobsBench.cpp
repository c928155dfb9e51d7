// SPDX-License-Identifier: GPL-3.0-or-later
// How the Jobs page behaves over a million jobs (the fake client of the UI tests, which
// computes job i on demand and answers on the next event-loop pass): the time from opening the
// page to its first rows on screen, and for jumps across the table the time until the rows in
// view are loaded and the time of one repaint of the table. Run with QT_QPA_PLATFORM=offscreen.
#include "tests/ui/FakeJobsClient.h"
#include "ui/jobs/JobsModel.h"
#include "ui/jobs/JobsPage.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QTableView>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace flowdeck;

namespace {

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size())))];
}

bool visibleRowsLoaded(QTableView *view)
{
    const int top = view->rowAt(0);
    const int bottom = view->rowAt(view->viewport()->height() - 1);
    for (int row : {top, bottom})
        if (row >= 0 && !view->model()->index(row, 0).data(ui::JobsModel::LoadedRole).toBool())
            return false;
    return true;
}

void waitUntilLoaded(QTableView *view)
{
    while (!visibleRowsLoaded(view)) {
        view->viewport()->repaint(); // a paint is what asks for the rows
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    constexpr qint64 kJobs = 1000000;
    constexpr int kJumps = 300;
    test::FakeJobsClient client(kJobs);

    QElapsedTimer open;
    open.start();
    ui::JobsPage page(client);
    page.resize(1200, 800);
    page.show();
    QTableView *view = page.view();
    while (page.model()->isLoading() || !visibleRowsLoaded(view))
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    view->viewport()->repaint();
    const double openMs = double(open.nsecsElapsed()) / 1e6;

    std::vector<double> load;
    std::vector<double> paint;
    QScrollBar *bar = view->verticalScrollBar();
    auto *random = QRandomGenerator::global();
    for (int i = 0; i < kJumps; ++i) {
        QElapsedTimer t;
        t.start();
        bar->setValue(int(random->bounded(bar->maximum() + 1)));
        waitUntilLoaded(view);
        load.push_back(double(t.nsecsElapsed()) / 1e6);
        t.restart();
        view->viewport()->repaint();
        paint.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::vector<double> step;
    for (int i = 0; i < kJumps; ++i) {
        // Page-down steps, as the wheel or keys scroll.
        QElapsedTimer t;
        t.start();
        bar->setValue(bar->value() + bar->pageStep());
        waitUntilLoaded(view);
        view->viewport()->repaint();
        step.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::printf("jobs: %lld (fake client, pages of %d)\n", kJobs, ui::JobsModel::kPageSize);
    std::printf("open to first rows painted: %.1f ms\n", openMs);
    std::printf("random jump, rows loaded: p50 %.2f ms, p95 %.2f ms\n", percentile(load, 0.5),
                percentile(load, 0.95));
    std::printf("repaint of the table:      p50 %.2f ms, p95 %.2f ms\n", percentile(paint, 0.5),
                percentile(paint, 0.95));
    std::printf("page-down step (load + paint): p50 %.2f ms, p95 %.2f ms\n", percentile(step, 0.5),
                percentile(step, 0.95));
    std::printf("requests sent: %d, pages held: %d\n", page.model()->requestsSent(),
                page.model()->loadedPageCount());
    return 0;
}
