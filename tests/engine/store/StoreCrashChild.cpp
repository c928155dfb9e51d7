// SPDX-License-Identifier: GPL-3.0-or-later
// Child process of TestStoreCrash: writes to the store without pause and reports each
// committed write on stdout, until it is killed. Usage: store_crash_child DB TAG
#include "engine/model/Ids.h"
#include "engine/store/SqliteStore.h"

#include <cstdio>
#include <random>

using namespace flowdeck;
using namespace flowdeck::store;

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: store_crash_child DB TAG\n");
        return 2;
    }
    auto opened = SqliteStore::open(argv[1]);
    if (!opened) {
        std::fprintf(stderr, "open failed: %s\n", opened.error().message.c_str());
        return 1;
    }
    auto &store = **opened;
    std::mt19937 rng(std::random_device{}());
    for (long n = 0;; ++n) {
        // Batches of 1–20 jobs, each with an event, committed together: the kill lands before,
        // inside or after a commit, and only reported batches must survive.
        std::vector<JobRecord> batch(1 + rng() % 20);
        for (auto &j : batch) {
            j.id = ids::newObjectId();
            j.name = argv[2];
            j.status = "running";
            j.createdAt = j.updatedAt = n;
            j.document = {{"_id", j.id}, {"payload", std::string(rng() % 2000, 'x')}};
        }
        auto r = store.transaction([&]() -> Result<void> {
            if (auto i = store.insertJobs(batch); !i)
                return i;
            for (const auto &j : batch)
                if (auto e = store.appendJobEvent({0, j.id, n, std::nullopt, "started", {}}); !e)
                    return e.error();
            return {};
        });
        if (!r) {
            std::fprintf(stderr, "write failed: %s\n", r.error().message.c_str());
            return 1;
        }
        for (const auto &j : batch)
            std::printf("%s\n", j.id.c_str());
        std::fflush(stdout);
    }
}
