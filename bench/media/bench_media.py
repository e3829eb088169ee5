#!/usr/bin/env python3
"""Concurrent answered calls hearing a looping <Say>, held for 60 s.

    bench_media.py --callwire BIN --webhook-server BIN --load BIN
                   [--steps 500,1000,1500,2000,2500] [--rate 200] [--hold-seconds 60]
                   [--budget-seconds 600] [--threads 1] [--send-rtp] [--keep]

For each step N of the ramp, a fresh `callwire serve` (IP ACL for 127.0.0.1
on the domain, no digest; Voice URL = the bench webhook server answering
<Response><Say loop="0">…</Say></Response>) gets N calls from
callwire_media_load (load_generator.hpp): INVITE with a PCMU offer at --rate
calls/s, ACK, hold --hold-seconds once every call is answered, then BYE.
The generator measures at the receiver, per call, with kernel arrival
timestamps: packets, |inter-arrival − 20 ms| (p50/p99/max over all calls),
sequence gaps. A call fails on a non-200, no RTP within 2 s of the 200, a
gap over 1 s, or a BYE from callwire. A step passes when it held with 0
failed calls and p99 deviation < 5 ms; the ramp stops at the first failure.

Besides, for each step: callwire's CPU over the hold window (utime+stime
from /proc, every thread) per call, its RSS per call (at the end of the hold
minus after a warm-up call, / N), and the generator's own CPU, to tell which
of the two is the limit on this machine.

Everything listens on 127.0.0.1. Every process started here is stopped by
PID on every exit path; each wait has a deadline and the whole ramp is
bounded by --budget-seconds.
"""
import argparse
import atexit
import json
import os
import re
import resource
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "calls"))
from bench_calls import (PROCS, Failure, cpu_seconds, free_port, http_get, on_signal, rest,  # noqa: E402
                         tail, wait_for)
import secrets  # noqa: E402

HOST = "127.0.0.1"
DOMAIN = "media.sip.localhost"
SPEECH = ("This is the callwire media benchmark. Every caller hears this sentence, "
          "again and again, until the call ends.")
CALLWIRE_RTP_PORTS = "16384-32767"  # 8192 pairs, split between the workers
# Below the kernel's ephemeral range (32768-60999), where other programs'
# sockets on a shared machine could sit and receive strays meant for them.
LOAD_RTP_PORTS = "2000-16383"
MAX_P99_US = 5000
WARMUP_CALLS = 4


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            m = re.search(r"^VmRSS:\s+(\d+) kB", f.read(), re.M)
            return int(m.group(1)) if m else 0
    except OSError:
        return 0


def machine_busy():
    """(busy, total) jiffies of every core since boot, from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def raise_fd_limit(need):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(hard, need), max(hard, need)))
    except (ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def start_webhook(args, workdir):
    log = os.path.join(workdir, "webhook.log")
    twiml = f'<?xml version="1.0" encoding="UTF-8"?><Response><Say loop="0">{SPEECH}</Say></Response>'
    proc = PROCS.start([args.webhook_server, "0", "--twiml", twiml], log, preexec_fn=args.preexec)

    def port():
        m = re.search(r"listening (\d+)", tail(log))
        return int(m.group(1)) if m else None

    return proc, wait_for("webhook server", port, proc, log)


def start_callwire(args, workdir, name, webhook_port):
    sid, token = "AC" + secrets.token_hex(16), secrets.token_hex(16)
    sip_port, http_port = free_port(True), free_port(False)
    log = os.path.join(workdir, f"callwire-{name}.log")
    env = dict(os.environ, CALLWIRE_ACCOUNT_SID=sid, CALLWIRE_AUTH_TOKEN=token)
    argv = [args.callwire, "serve", "--sip-listen", f"{HOST}:{sip_port}", "--http-listen", f"{HOST}:{http_port}",
            "--data", os.path.join(workdir, f"data-{name}"), "--sip-domain-base", "localhost",
            "--log-level", "warn", "--invites-per-second", "1000000", "--rtp-ports", CALLWIRE_RTP_PORTS,
            "--media-address", HOST]
    if args.workers:
        argv += ["--workers", str(args.workers)]
    proc = PROCS.start(argv, log, env=env, preexec_fn=args.preexec)
    wait_for("callwire", lambda: http_get(http_port, "/metrics") is not None, proc, log)
    domain = rest(http_port, sid, token, "/SIP/Domains.json",
                  {"DomainName": DOMAIN, "VoiceUrl": f"http://{HOST}:{webhook_port}/voice", "VoiceMethod": "POST"})
    al = rest(http_port, sid, token, "/SIP/IpAccessControlLists.json", {"FriendlyName": "bench"})
    rest(http_port, sid, token, f"/SIP/IpAccessControlLists/{al['sid']}/IpAddresses.json",
         {"FriendlyName": "loopback", "IpAddress": HOST, "CidrPrefixLength": "32"})
    rest(http_port, sid, token, f"/SIP/Domains/{domain['sid']}/Auth/Calls/IpAccessControlListMappings.json",
         {"IpAccessControlListSid": al["sid"]})
    return proc, sip_port, log


def run_load(args, workdir, name, sip_port, calls, hold_seconds, callwire, timeout):
    """Runs the generator; samples callwire and the generator at hold-start/hold-end."""
    log = os.path.join(workdir, f"load-{name}.log")
    argv = [args.load, "--server-port", str(sip_port), "--domain", DOMAIN, "--calls", str(calls),
            "--rate", str(args.rate), "--hold-seconds", str(hold_seconds), "--rtp-ports", LOAD_RTP_PORTS,
            "--threads", str(args.threads), "--max-seconds", str(int(timeout))]
    if args.send_rtp:
        argv.append("--send-rtp")
    err = open(log, "wb")
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL,
                            preexec_fn=args.preexec)
    err.close()
    PROCS.procs.append(proc)
    out = {"rss_max_kib": 0}
    deadline = time.monotonic() + timeout + 30
    buf = b""
    holding = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure(f"load generator ({calls} calls) still running after {timeout + 30:.0f} s:\n{tail(log)}")
            ready, _, _ = select.select([proc.stdout], [], [], min(left, 1.0))
            if holding:
                out["rss_max_kib"] = max(out["rss_max_kib"], rss_kib(callwire.pid))
            if not ready:
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                text = line.decode(errors="replace")
                if text.startswith("event hold-start"):
                    holding = True
                    out["t0"], out["cw0"], out["gen0"] = time.monotonic(), cpu_seconds(callwire.pid), cpu_seconds(proc.pid)
                    out["m0"] = machine_busy()
                elif text.startswith("event hold-end"):
                    out["rss_hold_kib"] = rss_kib(callwire.pid)
                    out["rss_max_kib"] = max(out["rss_max_kib"], out["rss_hold_kib"])
                    out["t1"], out["cw1"], out["gen1"] = time.monotonic(), cpu_seconds(callwire.pid), cpu_seconds(proc.pid)
                    out["m1"] = machine_busy()
                    holding = False
                elif text.startswith("result "):
                    out["result"] = json.loads(text[len("result "):])
        proc.wait(10)
    finally:
        PROCS.stop(proc)
    if "result" not in out:
        raise Failure(f"load generator ended ({proc.returncode}) without a result:\n{tail(log)}")
    return out


def run_step(args, workdir, webhook_port, calls, deadline):
    name = str(calls)
    callwire, sip_port, cw_log = start_callwire(args, workdir, name, webhook_port)
    try:
        # A few calls first: the prompt is synthesized and cached, pools and
        # the webhook connection exist; then the idle RSS is the baseline.
        warm = run_load(args, workdir, f"{name}-warmup", sip_port, WARMUP_CALLS, 2, callwire, 60)["result"]
        if warm["failed"] or not warm["held"]:
            raise Failure(f"warm-up calls failed: {warm}\n{tail(cw_log)}")
        time.sleep(1)  # let the warm-up's BYEs finish and their sessions close
        rss_idle = rss_kib(callwire.pid)
        load_before = os.getloadavg()[0]
        budget = max(30.0, deadline - time.monotonic())
        step = run_load(args, workdir, name, sip_port, calls, args.hold_seconds, callwire, budget)
        step["rss_idle_kib"] = rss_idle
        step["load_before"] = load_before
        step["load_after"] = os.getloadavg()[0]
        if callwire.poll() is not None:
            raise Failure(f"callwire exited with {callwire.returncode} during {calls} calls:\n{tail(cw_log)}")
    finally:
        PROCS.stop(callwire)
    step["calls"] = calls
    return step


def describe(args, step):
    r = step["result"]
    n = step["calls"]
    held_s = step.get("t1", 0) - step.get("t0", 0)
    ok = r["held"] and r["failed"] == 0 and r["dev_p99_us"] < MAX_P99_US and held_s >= 0.95 * args.hold_seconds
    line = (f"  {n:5} calls: {r['answered']:5} answered, {r['failed']} failed {r['failures']}, "
            f"held {r['hold_seconds']:.0f} s; RTP {r['packets']} packets, {r['lost']} lost, "
            f"{r['out_of_order']} out of order, {r['foreign']} from another SSRC (ignored), deviation from 20 ms p50 {r['dev_p50_us'] / 1000:.2f} ms "
            f"p99 {r['dev_p99_us'] / 1000:.2f} ms max {r['dev_max_us'] / 1000:.1f} ms, "
            f"first packet after the 200 p50 {r['first_rtp_p50_ms']:.0f} ms p99 {r['first_rtp_p99_ms']:.0f} ms")
    if held_s > 0:
        cw_cpu = step["cw1"] - step["cw0"]
        gen_cpu = step["gen1"] - step["gen0"]
        per_call = cw_cpu / held_s / n  # core-seconds per second per call
        step["cw_core"] = cw_cpu / held_s
        step["gen_core"] = gen_cpu / held_s
        step["cpu_us_per_s_per_call"] = per_call * 1e6
        step["rss_per_call_kib"] = (step["rss_hold_kib"] - step["rss_idle_kib"]) / n
        busy, total = (b - a for a, b in zip(step["m0"], step["m1"]))
        step["machine_busy"] = busy / max(total, 1)  # of every core
        step["others_core"] = max(0.0, step["machine_busy"] * (os.cpu_count() or 1) - step["cw_core"] - step["gen_core"])
        line += (f"\n         callwire CPU {100 * step['cw_core']:.0f} % of a core = {100 * per_call:.4f} % per call "
                 f"({per_call * 1e6:.0f} µs/s per call); RSS {step['rss_idle_kib'] / 1024:.1f} MiB idle → "
                 f"{step['rss_hold_kib'] / 1024:.1f} MiB held = {step['rss_per_call_kib']:.1f} KiB per call; "
                 f"generator CPU {100 * step['gen_core']:.0f} % of a core ({args.threads} thread"
                 f"{'s' if args.threads > 1 else ''}); the machine {100 * step['machine_busy']:.0f} % busy, "
                 f"{100 * step['others_core']:.0f} % of a core used by other processes; "
                 f"load average {step['load_before']:.1f} → {step['load_after']:.1f}")
    return ok, line + f"\n         {'PASS' if ok else 'FAIL'}"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--callwire", required=True)
    p.add_argument("--webhook-server", required=True, help="webhook_reject_server (bench/calls/webhook_server.cpp)")
    p.add_argument("--load", required=True, help="callwire_media_load (bench/media)")
    p.add_argument("--steps", default="500,1000,1500,2000,2500", help="concurrent calls per step")
    p.add_argument("--rate", type=int, default=200, help="new calls per second while ramping up")
    p.add_argument("--hold-seconds", type=int, default=60)
    p.add_argument("--budget-seconds", type=int, default=600, help="bound on the whole run")
    p.add_argument("--threads", type=int, default=1, help="load generator threads")
    p.add_argument("--workers", type=int, default=0, help="callwire --workers (0: one per core)")
    p.add_argument("--send-rtp", action="store_true", help="the generator also sends 20 ms silence frames")
    p.add_argument("--nice", type=int, default=0,
                   help="run callwire, the webhook and the generator at this nice value (e.g. -10, needs root) so "
                        "that other work on a shared machine does not preempt them; reported with the figures")
    p.add_argument("--realtime", action="store_true",
                   help="run callwire, the webhook and the generator under SCHED_FIFO (needs root): on a machine "
                        "saturated by other work, this shows what callwire does when the scheduler lets it run "
                        "on time; reported with the figures")
    p.add_argument("--keep", action="store_true", help="keep the work folder (logs)")
    args = p.parse_args()

    def preexec():
        if args.nice:
            os.nice(args.nice)
        if args.realtime:
            os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(10))

    args.preexec = preexec if args.nice or args.realtime else None
    steps = [int(s) for s in args.steps.split(",") if s]
    for tool in (args.callwire, args.webhook_server, args.load):
        if not os.access(tool, os.X_OK):
            raise Failure(f"{tool} is not an executable")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    atexit.register(PROCS.stop_all)
    fds = raise_fd_limit(4 * max(steps) + 1024)
    if fds < 2 * max(steps) + 256:
        raise Failure(f"open file limit {fds} is too low for {max(steps)} calls (ulimit -n)")
    workdir = tempfile.mkdtemp(prefix="callwire-bench-media-")
    started = time.monotonic()
    deadline = started + args.budget_seconds
    print(f"bench media: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start (other work on "
          f"this machine makes every figure noisy); open files {fds}; work folder {workdir}", flush=True)
    if args.nice:
        print(f"callwire, the webhook server and the generator run at nice {args.nice}", flush=True)
    if args.realtime:
        print("callwire, the webhook server and the generator run under SCHED_FIFO (priority 10)", flush=True)
    print(f"each step: N calls at {args.rate} calls/s, each hearing <Say loop=\"0\"> (PCMU), held "
          f"{args.hold_seconds} s, BYE; RTP measured at the receiver with kernel timestamps", flush=True)
    best = None
    results = []
    try:
        webhook, webhook_port = start_webhook(args, workdir)
        for n in steps:
            need = n / args.rate + args.hold_seconds + n / 500 + 25
            if time.monotonic() + need > deadline:
                print(f"  {n:5} calls: not run, --budget-seconds {args.budget_seconds} would be exceeded", flush=True)
                break
            step = run_step(args, workdir, webhook_port, n, deadline)
            ok, line = describe(args, step)
            print(line, flush=True)
            results.append(step)
            if not ok:
                break
            best = step
        PROCS.stop(webhook)
    finally:
        PROCS.stop_all()

    print(flush=True)
    if best:
        r = best["result"]
        print(f"callwire held {best['calls']} concurrent calls for {args.hold_seconds} s hearing a looping <Say>, "
              f"0 failed, p99 deviation from 20 ms {r['dev_p99_us'] / 1000:.2f} ms (< 5 ms)")
        print(f"  at {best['calls']} calls: callwire CPU {100 * best['cw_core'] / best['calls']:.4f} % of a core per call "
              f"({best['cpu_us_per_s_per_call']:.0f} µs of CPU per second per call, {100 * best['cw_core']:.0f} % of a "
              f"core in all), RSS {best['rss_per_call_kib']:.1f} KiB per call (goal < 100 KiB); generator CPU "
              f"{100 * best['gen_core']:.0f} % of a core")
    else:
        print("callwire held no step with 0 failed calls and p99 deviation < 5 ms")
    if results and results[-1] is not best and "gen_core" in results[-1]:
        last = results[-1]
        limit = args.threads * 0.9
        cores = os.cpu_count() or 1
        who = ("the load generator (near its thread's full core)" if last["gen_core"] >= limit else
               "other work on the machine" if last["others_core"] >= 0.25 * cores else
               "the machine (callwire and the generator share its cores)" if last["machine_busy"] >= 0.9 else
               "callwire")
        print(f"  first failing step {last['calls']} calls: the limit looks like {who}: callwire "
              f"{100 * last['cw_core']:.0f} %, generator {100 * last['gen_core']:.0f} %, other processes "
              f"{100 * last['others_core']:.0f} % of a core")
    print(f"load average {os.getloadavg()[0]:.1f} at the end; run took {time.monotonic() - started:.0f} s")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as e:
        PROCS.stop_all()
        print(f"bench media: {e}", file=sys.stderr)
        sys.exit(1)
