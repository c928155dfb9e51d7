#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The kill -9 soak: `flowdeck serve` killed with SIGKILL over and over while clients start jobs.

Each round starts serve on the same store, starts jobs through the API (a job counts as
acknowledged when POST /operations-manager/jobs/start answered 200 with its id) and kills the
process at a random moment. Then one last serve runs with no other activity until nothing is
running. Prints restarts, jobs acknowledged, lost (acknowledged, then gone), duplicated (a task
that ran more than once), and stuck (still running at the end); all but the first two must be
zero. A benchmark of durability: it prints figures and asserts nothing.

    bench/soak/kill9_soak.py [--flowdeck build/dev/app/flowdeck] [--rounds 50] [--jobs 20]
"""
import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "bench", "hostile"))
from hostile_suite import free_port, request  # noqa: E402

WORKFLOW = {
    "name": "Soak",
    "type": "automation",
    "tasks": {
        "workflow_start": {"name": "workflow_start"},
        "workflow_end": {"name": "workflow_end"},
        "a1": {"name": "newVariable", "app": "WorkFlowEngine", "type": "automatic",
               "variables": {"incoming": {"name": "seen", "value": 1}, "outgoing": {}}},
        "b2": {"name": "delay", "app": "WorkFlowEngine", "type": "automatic",
               "variables": {"incoming": {"time": 1}, "outgoing": {}}},
        "c3": {"name": "newVariable", "app": "WorkFlowEngine", "type": "automatic",
               "variables": {"incoming": {"name": "done", "value": True}, "outgoing": {}}},
    },
    "transitions": {
        "workflow_start": {"a1": {"state": "success", "type": "standard"}},
        "a1": {"b2": {"state": "success", "type": "standard"}},
        "b2": {"c3": {"state": "success", "type": "standard"}},
        "c3": {"workflow_end": {"state": "success", "type": "standard"}},
        "workflow_end": {},
    },
}


def start_serve(binary, store, port, log):
    env = dict(os.environ)
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(var, None)
    proc = subprocess.Popen([binary, "serve", "--db", store, "--listen", "127.0.0.1:%d" % port],
                            stdout=log, stderr=log, env=env)
    for _ in range(400):
        if request(port, "GET", b"/health/status")[0] == 200:
            return proc
        if proc.poll() is not None:
            break
        time.sleep(0.025)
    raise SystemExit("serve did not start; see %s" % log.name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flowdeck", default=os.path.join(ROOT, "build", "dev", "app", "flowdeck"))
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=20, help="job starts sent per round")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="flowdeck-soak-")
    store = os.path.join(work, "soak.db")
    log = open(os.path.join(work, "serve.log"), "ab")
    port = free_port()
    serve = start_serve(args.flowdeck, store, port, log)
    password = open(os.path.join(work, "admin-password.txt")).read().strip()
    status, body = request(port, "POST", b"/login",
                           json.dumps({"username": "admin", "password": password}).encode())
    token = body.decode()
    status, body = request(port, "POST", b"/automation-studio/automations",
                           json.dumps({"automation": WORKFLOW}).encode(), token)
    assert status == 200, body

    acknowledged = set()
    refused = 0
    kills = 0
    start = json.dumps({"workflow": "Soak", "options": {"variables": {}}}).encode()
    for round_ in range(args.rounds):
        if serve is None:
            serve = start_serve(args.flowdeck, store, port, log)
        # Kill somewhere in the burst of starts, or while the jobs wait on their delays.
        kill_at = time.monotonic() + random.uniform(0.05, 1.5)
        killer = threading.Timer(max(0.0, kill_at - time.monotonic()),
                                 lambda p=serve: p.send_signal(signal.SIGKILL))
        killer.start()
        for _ in range(args.jobs):
            status, body = request(port, "POST", b"/operations-manager/jobs/start", start, token)
            if status == 200:
                acknowledged.add(json.loads(body)["data"]["_id"])
            else:
                refused += 1
                break
        killer.join()
        serve.wait()
        kills += 1
        serve = None

    # The last run: nothing but recovery, until no job is running.
    serve = start_serve(args.flowdeck, store, port, log)
    deadline = time.monotonic() + 120
    running = None
    while time.monotonic() < deadline:
        status, body = request(port, "GET",
                               b"/operations-manager/jobs?equals[status]=running&limit=1", token=token)
        running = json.loads(body)["metadata"]["total"] if status == 200 else None
        if running == 0:
            break
        time.sleep(0.5)

    jobs = {}
    skip = 0
    while True:
        status, body = request(port, "GET", b"/operations-manager/jobs?limit=100&skip=%d" % skip,
                               token=token)
        page = json.loads(body)
        for job in page["data"]:
            jobs[job["_id"]] = job
        skip += len(page["data"])
        if not page["data"] or skip >= page["metadata"]["total"]:
            break
    lost = [j for j in acknowledged if j not in jobs]
    duplicated = []
    states = {}
    for job_id, job in jobs.items():
        states[job["status"]] = states.get(job["status"], 0) + 1
        status, body = request(port, "GET", ("/operations-manager/jobs/%s" % job_id).encode(),
                               token=token)
        doc = json.loads(body).get("data", {})
        for key, task in doc.get("tasks", {}).items():
            if len(task.get("iterations", [])) > 1:
                duplicated.append((job_id, key))
    stuck = [j for j, job in jobs.items() if job["status"] == "running"]
    serve.terminate()
    serve.wait(timeout=30)

    print("kill -9 soak: %d rounds, %d job starts per round" % (args.rounds, args.jobs))
    print("restarts (kill -9): %d" % kills)
    print("jobs acknowledged: %d (starts refused or cut by a kill: %d)" % (len(acknowledged), refused))
    print("jobs in the store: %d, by status: %s; stored but the kill cut the answer: %d"
          % (len(jobs), json.dumps(states, sort_keys=True), len(set(jobs) - acknowledged)))
    print("lost: %d  duplicated (a task run twice): %d  stuck: %d"
          % (len(lost), len(duplicated), len(stuck)))
    print("store and log: %s" % work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
