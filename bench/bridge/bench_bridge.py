#!/usr/bin/env python3
"""Concurrent bridged calls (<Dial> through an outbound trunk), held for 60 s.

    bench_bridge.py --callwire BIN --webhook-server BIN --load BIN
                    [--steps 500,750,1000,1500,2000] [--rate 100] [--hold-seconds 60]
                    [--budget-seconds 900] [--rtpengine BIN | --no-peer] [--realtime] [--keep] [--smoke]

For each step N of the ramp, a fresh `callwire serve` (own --data folder,
IP ACL for 127.0.0.1 on the domain, Voice URL = the bench webhook server
answering <Response><Dial>+14155551234</Dial></Response>, and one outbound
trunk created through the REST API with TerminationUri
sip:127.0.0.1:<the generator's carrier port> and CallerId +15005550006) gets
N calls from callwire_bridge_load (bridge_load.hpp), which plays both the
caller PBX and the carrier behind the trunk: INVITE with a PCMU offer at
--rate calls/s, callwire answers and dials the trunk, the carrier answers
200 with PCMU, callwire relays RTP between the two legs. Every leg sends a
PCMU frame every 20 ms carrying its send time; the other leg's socket reads
it with the kernel's arrival time, so each packet gives the one-way latency
through callwire (same host clock). Once every call is bridged (both legs
hear each other), the calls are held --hold-seconds and then the caller
BYEs. A call fails on a non-200, no media within 2 s of an answer (either
leg), a gap over 1 s, or an unexpected BYE (either leg).

The peer in the same run: rtpengine (Debian's rtpengine-daemon, userspace
forwarding) relays the same calls. For each step, after callwire, a fresh
rtpengine of our own (no config file, ng control on a free 127.0.0.1 port,
the same RTP port range, as many threads as callwire has workers, started
and stopped here by PID) gets the same N calls from the same generator
with --rtpengine-ng: an ng offer/answer per call instead of SIP (no
webhook, no trunk: rtpengine is a relay only), the same streams between
the same generator sockets, the same hold, latency and loss measurement;
delete at the end. Each relay's ramp stops at its own first failure; the
table gives each step's figures for both and the ratio callwire/rtpengine
(CPU per call, memory per call, p99 latency).

A step passes with 0 failed calls and p99 latency < 2 ms in both
directions; the ramp stops at the first failure. Per step: lost packets
(payload sequence gaps / expected, over the hold), latency p50/p99/max per
direction (caller → carrier "up", carrier → caller "down"), callwire's CPU
over the hold (utime+stime from /proc, every thread) per call, its RSS per
call (end of the hold minus after warm-up calls, / N), and the generator's
own CPU.

The generator's own CPU is reported because on a small machine it competes
with callwire: it makes the same system calls per packet. A step whose
generator sent frames over 500 ms late is blamed on the generator.

--realtime (needs root) runs the generator under SCHED_FIFO 20 and callwire,
rtpengine and the webhook server at 10 (the kernel lets realtime tasks have
95 % of each CPU: once relay + generator need more, every task stalls for
the rest of each second, and the generator reports ~45 ms of lateness), so builds sharing the machine cannot delay
them and the generator keeps its schedule (see main()).

--smoke (for ctest): 5 calls held 3 s; exits 1 unless 0 failed and latency
was measured both ways.

Everything listens on 127.0.0.1. Every process started here is stopped by
PID on every exit path; each wait has a deadline and the whole ramp is
bounded by --budget-seconds.
"""
import argparse
import atexit
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "calls"))
sys.path.insert(0, os.path.join(HERE, "..", "media"))
from bench_calls import (PROCS, Failure, cpu_seconds, free_port, http_get, on_signal, rest,  # noqa: E402
                         tail, wait_for)
from bench_media import machine_busy, raise_fd_limit, rss_kib  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402

HOST = "127.0.0.1"
DOMAIN = "bridge.sip.localhost"
NUMBER = "+14155551234"
CALLER_ID = "+15005550006"
CALLWIRE_RTP_PORTS = "16384-32767"  # 8192 pairs, split between the workers; 2 sessions per call
LOAD_RTP_PORTS = "2000-16383"       # below the ephemeral range; 2 legs per call
MAX_P99_US = 2000
GOAL_CALLS = 2000
RELAYS = ("callwire", "rtpengine")
WARMUP_CALLS = 4
# The generator's frames this late mean it was starved of CPU: a receiving
# leg then sees a gap that callwire did not cause.
GENERATOR_STARVED_MS = 500


def start_webhook(args, workdir):
    log = os.path.join(workdir, "webhook.log")
    twiml = f'<?xml version="1.0" encoding="UTF-8"?><Response><Dial>{NUMBER}</Dial></Response>'
    proc = PROCS.start([args.webhook_server, "0", "--twiml", twiml], log, preexec_fn=args.preexec)

    def port():
        m = re.search(r"listening (\d+)", tail(log))
        return int(m.group(1)) if m else None

    return proc, wait_for("webhook server", port, proc, log)


def start_callwire(args, workdir, name, webhook_port, carrier_port):
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
    proc = PROCS.start(argv, log, env=env, preexec_fn=args.preexec_callwire)
    wait_for("callwire", lambda: http_get(http_port, "/metrics") is not None, proc, log)
    domain = rest(http_port, sid, token, "/SIP/Domains.json",
                  {"DomainName": DOMAIN, "VoiceUrl": f"http://{HOST}:{webhook_port}/voice", "VoiceMethod": "POST"})
    al = rest(http_port, sid, token, "/SIP/IpAccessControlLists.json", {"FriendlyName": "bench"})
    rest(http_port, sid, token, f"/SIP/IpAccessControlLists/{al['sid']}/IpAddresses.json",
         {"FriendlyName": "loopback", "IpAddress": HOST, "CidrPrefixLength": "32"})
    rest(http_port, sid, token, f"/SIP/Domains/{domain['sid']}/Auth/Calls/IpAccessControlListMappings.json",
         {"IpAccessControlListSid": al["sid"]})
    rest(http_port, sid, token, "/SIP/Trunks.json",
         {"FriendlyName": "bench carrier", "TerminationUri": f"sip:{HOST}:{carrier_port}", "CallerId": CALLER_ID})
    return proc, sip_port, log


def start_rtpengine(args, workdir, name):
    """Our own rtpengine: no config file, foreground, ng on a free port."""
    ng_port = free_port(True)
    first, last = CALLWIRE_RTP_PORTS.split("-")
    log = os.path.join(workdir, f"rtpengine-{name}.log")
    argv = [args.rtpengine, "--config-file=none", "--foreground", "--log-stderr", "--log-level=3",
            f"--interface={HOST}", f"--listen-ng={HOST}:{ng_port}", f"--port-min={first}", f"--port-max={last}",
            "--table=-1", f"--num-threads={args.workers or os.cpu_count() or 1}", "--delete-delay=0"]
    proc = PROCS.start(argv, log, preexec_fn=args.preexec_callwire)

    def pong():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(0.2)
            try:
                s.sendto(b"ping d7:command4:pinge", (HOST, ng_port))
                return b"pong" in s.recv(512)
            except OSError:
                return False

    wait_for("rtpengine", pong, proc, log)
    return proc, ng_port, log


def run_load(args, workdir, name, target, calls, hold_seconds, relay, timeout):
    """Runs the generator against `target` (its relay arguments); samples the
    relay's and the generator's CPU at hold-start/hold-end."""
    log = os.path.join(workdir, f"load-{name}.log")
    argv = [args.load] + target + [
            "--calls", str(calls), "--rate", str(args.rate), "--hold-seconds", str(hold_seconds),
            "--rtp-ports", LOAD_RTP_PORTS, "--max-seconds", str(int(timeout))]
    err = open(log, "wb")
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL,
                            preexec_fn=args.preexec_generator)
    err.close()
    PROCS.procs.append(proc)
    out = {}
    deadline = time.monotonic() + timeout + 30
    buf = b""
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure(f"load generator ({calls} calls) still running after {timeout + 30:.0f} s:\n{tail(log)}")
            ready, _, _ = select.select([proc.stdout], [], [], min(left, 1.0))
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
                    out["t0"], out["cw0"], out["gen0"] = time.monotonic(), cpu_seconds(relay.pid), cpu_seconds(proc.pid)
                    out["m0"] = machine_busy()
                elif text.startswith("event hold-end"):
                    out["rss_hold_kib"] = rss_kib(relay.pid)
                    out["t1"], out["cw1"], out["gen1"] = time.monotonic(), cpu_seconds(relay.pid), cpu_seconds(proc.pid)
                    out["m1"] = machine_busy()
                elif text.startswith("result "):
                    out["result"] = json.loads(text[len("result "):])
        proc.wait(10)
    finally:
        PROCS.stop(proc)
    if "result" not in out:
        raise Failure(f"load generator ended ({proc.returncode}) without a result:\n{tail(log)}")
    out["load_log"] = log
    return out


def run_step(args, workdir, webhook_port, calls, deadline, relay_name):
    name = f"{relay_name}-{calls}"
    if relay_name == "callwire":
        carrier_port = free_port(True)
        relay, sip_port, relay_log = start_callwire(args, workdir, name, webhook_port, carrier_port)
        target = ["--server-port", str(sip_port), "--carrier-port", str(carrier_port), "--domain", DOMAIN]
    else:
        relay, ng_port, relay_log = start_rtpengine(args, workdir, name)
        target = ["--rtpengine-ng", str(ng_port)]
    try:
        rss_idle = rss_kib(relay.pid)
        if not args.smoke:
            # A few calls first: pools, the webhook connection and the trunk
            # cache exist; then the idle RSS is the baseline.
            warm = run_load(args, workdir, f"{name}-warmup", target, WARMUP_CALLS, 2, relay, 60)
            w = warm["result"]
            if w["failed"] or not w["held"]:
                raise Failure(f"{relay_name}: warm-up calls failed: {w}\n{tail(warm['load_log'])}\n{tail(relay_log)}")
            time.sleep(1)  # let the warm-up's BYEs finish and their sessions close
            rss_idle = rss_kib(relay.pid)
        load_before = os.getloadavg()[0]
        budget = max(30.0, deadline - time.monotonic())
        step = run_load(args, workdir, name, target, calls, args.hold_seconds, relay, budget)
        step["rss_idle_kib"] = rss_idle
        step["load_before"] = load_before
        step["load_after"] = os.getloadavg()[0]
        step["relay_log"] = relay_log
        if relay.poll() is not None:
            raise Failure(f"{relay_name} exited with {relay.returncode} during {calls} calls:\n{tail(relay_log)}")
    finally:
        PROCS.stop(relay)
    step["calls"] = calls
    step["relay"] = relay_name
    return step


def passed(args, step):
    r = step["result"]
    held_s = step["t1"] - step["t0"] if "t0" in step and "t1" in step else 0
    return (r["held"] and r["failed"] == 0 and r["bridged"] == step["calls"] and
            r["up"]["samples"] > 0 and r["down"]["samples"] > 0 and
            r["up"]["p99_us"] < MAX_P99_US and r["down"]["p99_us"] < MAX_P99_US and
            held_s >= 0.95 * args.hold_seconds)


def describe(args, step):
    r = step["result"]
    n = step["calls"]
    held_s = step["t1"] - step["t0"] if "t0" in step and "t1" in step else 0
    ok = passed(args, step)

    def d(x):
        return (f"{x['packets']} packets, {x['lost']} lost of {x['expected']}, latency p50 {x['p50_us'] / 1000:.3f} ms "
                f"p99 {x['p99_us'] / 1000:.3f} ms max {x['max_us'] / 1000:.2f} ms")

    line = (f"  {n:5} calls through {step['relay']}: {r['answered']} answered, {r['bridged']} bridged, {r['failed']} failed {r['failures']}, "
            f"held {r['hold_seconds']:.0f} s (ramp {r['ramp_seconds']:.1f} s)\n"
            f"         caller → carrier: {d(r['up'])}\n"
            f"         carrier → caller: {d(r['down'])}\n")
    if step["relay"] == "callwire":
        line += (
            f"         carrier INVITEs {r['carrier_invites']} (+{r['carrier_extra_invites']} refused), From not "
            f"{CALLER_ID}: {r['carrier_from_not_caller_id']}, offer not PCMU first: {r['carrier_offer_not_pcmu_first']}, "
            f"no ACK: {r['carrier_no_ack']}, no BYE at the end: {r['carrier_bye_missing']}; misrouted packets "
            f"{r['misrouted_packets']}, callwire's own packets (ringing, RTCP) {r['foreign_packets']}; generator send "
            f"errors {r['send_errors']}, its lateness p99 {r['send_late_p99_us']:.0f} µs max {r['send_late_max_us']:.0f} µs")
    else:
        line += (f"         ng errors {r['ng_errors']}, crossed calls {r['crossed']}, misrouted packets "
                 f"{r['misrouted_packets']}, foreign packets {r['foreign_packets']}; generator send errors "
                 f"{r['send_errors']}, its lateness p99 {r['send_late_p99_us']:.0f} µs max "
                 f"{r['send_late_max_us']:.0f} µs")
    if held_s > 0:
        cw_cpu = step["cw1"] - step["cw0"]
        gen_cpu = step["gen1"] - step["gen0"]
        per_call = cw_cpu / held_s / n
        step["cw_core"] = cw_cpu / held_s
        step["gen_core"] = gen_cpu / held_s
        step["cpu_us_per_s_per_call"] = per_call * 1e6
        step["rss_per_call_kib"] = (step["rss_hold_kib"] - step["rss_idle_kib"]) / n
        busy, total = (b - a for a, b in zip(step["m0"], step["m1"]))
        step["machine_busy"] = busy / max(total, 1)
        step["others_core"] = max(0.0, step["machine_busy"] * (os.cpu_count() or 1) - step["cw_core"] - step["gen_core"])
        line += (f"\n         {step['relay']} CPU {100 * step['cw_core']:.0f} % of a core = {per_call * 1e6:.0f} µs/s per call "
                 f"({100 * per_call:.4f} % of a core); RSS {step['rss_idle_kib'] / 1024:.1f} MiB idle → "
                 f"{step['rss_hold_kib'] / 1024:.1f} MiB held = {step['rss_per_call_kib']:.1f} KiB per call; "
                 f"generator CPU {100 * step['gen_core']:.0f} % of a core; the machine "
                 f"{100 * step['machine_busy']:.0f} % busy, {100 * step['others_core']:.0f} % of a core used by other "
                 f"processes; load average {step['load_before']:.1f} → {step['load_after']:.1f}")
    verdict = 'PASS' if ok else 'FAIL'
    if not ok and r["send_late_max_us"] >= GENERATOR_STARVED_MS * 1000:
        verdict += (f" (the generator sent up to {r['send_late_max_us'] / 1000:.0f} ms late: starved of CPU, so the "
                    f"gaps are its own, not callwire's)")
    elif not ok and r["send_late_p99_us"] >= MAX_P99_US:
        verdict += (f" (inconclusive: the generator itself ran late, p99 {r['send_late_p99_us'] / 1000:.1f} ms: the "
                    f"machine did not schedule it on time, so callwire was likely delayed the same way)")
    if args.smoke:
        verdict += " against the goal (--smoke checks only 0 failed and latency measured)"
    return ok, line + f"\n         {verdict}"


def table(args, results):
    print(f"{'calls':>6} {'relay':>9} {'failed':>6} {'lost':>7} {'up p50/p99/max ms':>20} {'down p50/p99/max ms':>20} "
          f"{'core':>5} {'µs/s/call':>9} {'KiB/call':>8} {'gen core':>8} {'load':>5} result")
    by_step = {}
    for s in results:
        r = s["result"]
        by_step.setdefault(s["calls"], {})[s["relay"]] = s

        def lat(x):
            return f"{x['p50_us'] / 1000:.3f}/{x['p99_us'] / 1000:.3f}/{x['max_us'] / 1000:.1f}"

        print(f"{s['calls']:>6} {s['relay']:>9} {r['failed']:>6} {r['up']['lost'] + r['down']['lost']:>7} "
              f"{lat(r['up']):>20} {lat(r['down']):>20} {100 * s.get('cw_core', 0):>4.0f}% "
              f"{s.get('cpu_us_per_s_per_call', 0):>9.0f} {s.get('rss_per_call_kib', 0):>8.1f} "
              f"{100 * s.get('gen_core', 0):>7.0f}% {s['load_after']:>5.1f} {'PASS' if passed(args, s) else 'FAIL'}")
    ratios = []
    for n, pair in sorted(by_step.items()):
        cw, rt = pair.get("callwire"), pair.get("rtpengine")
        if not cw or not rt or "cw_core" not in cw or "cw_core" not in rt:
            continue

        def ratio(a, b):
            return f"{a / b:.2f}" if b > 0 else "n/a"

        def p99(x):
            return max(x["result"]["up"]["p99_us"], x["result"]["down"]["p99_us"])

        ratios.append(f"{n:>6} calls: CPU per call {ratio(cw['cpu_us_per_s_per_call'], rt['cpu_us_per_s_per_call'])}, "
                      f"memory per call {ratio(cw['rss_per_call_kib'], rt['rss_per_call_kib'])}, "
                      f"p99 latency {ratio(p99(cw), p99(rt))}; "
                      f"callwire {'PASS' if passed(args, cw) else 'FAIL'}, rtpengine {'PASS' if passed(args, rt) else 'FAIL'}")
    if ratios:
        print("callwire / rtpengine, same run:")
        for line in ratios:
            print("  " + line)


def limit(args, last):
    """What a failing step ran into, from the CPU figures and the generator's lateness."""
    cores = os.cpu_count() or 1
    late_ms = last["result"]["send_late_max_us"] / 1000
    name = last["relay"]
    return (f"the load generator (it could not send on time: up to {late_ms:.0f} ms late, so gaps and missing "
            f"media are its own)" if late_ms >= GENERATOR_STARVED_MS else
            f"the machine's CPU ({name} and the generator together use "
            f"{100 * (last['cw_core'] + last['gen_core']):.0f} % of {cores} cores, and the generator itself ran "
            f"late: p99 {last['result']['send_late_p99_us'] / 1000:.1f} ms)"
            if last["result"]["send_late_p99_us"] >= MAX_P99_US and last["machine_busy"] >= 0.9 else
            f"the machine's scheduling (the generator itself ran late: p99 "
            f"{last['result']['send_late_p99_us'] / 1000:.1f} ms, over the 2 ms goal)"
            if last["result"]["send_late_p99_us"] >= MAX_P99_US else
            "the load generator (a full core)" if last["gen_core"] >= 0.9 else
            "other work on the machine" if last["others_core"] >= 0.25 * cores else
            f"the machine ({name} and the generator share its cores)" if last["machine_busy"] >= 0.9 else
            name)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--callwire", required=True)
    p.add_argument("--webhook-server", required=True, help="webhook_reject_server (bench/calls/webhook_server.cpp)")
    p.add_argument("--load", required=True, help="callwire_bridge_load (bench/bridge)")
    p.add_argument("--steps", default="500,750,1000,1500,2000", help="concurrent bridged calls per step")
    p.add_argument("--rate", type=int, default=100, help="new calls per second while ramping up")
    p.add_argument("--hold-seconds", type=int, default=60)
    p.add_argument("--budget-seconds", type=int, default=900, help="bound on the whole run")
    p.add_argument("--workers", type=int, default=0, help="callwire --workers (0: one per core)")
    p.add_argument("--realtime", action="store_true",
                   help="run the generator under SCHED_FIFO 20, callwire and the webhook at 10 (needs root): on a "
                        "machine busy with other work, this shows what callwire does when it is scheduled on time")
    p.add_argument("--rtpengine", default=shutil.which("rtpengine") or "",
                   help="rtpengine binary, the peer relaying the same calls (default: from PATH)")
    p.add_argument("--no-peer", action="store_true", help="callwire only (no rtpengine run)")
    p.add_argument("--relays", default="callwire,rtpengine", help=argparse.SUPPRESS)
    p.add_argument("--keep", action="store_true", help="keep the work folder (logs)")
    p.add_argument("--smoke", action="store_true",
                   help="ctest: 5 calls held 3 s; exit 1 unless 0 failed and latency measured both ways")
    args = p.parse_args()
    if args.smoke:
        args.steps, args.hold_seconds, args.rate, args.budget_seconds = "5", 3, 50, 50

    def preexec_at(priority):
        def preexec():
            os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(priority))
        return preexec if args.realtime else None

    # The generator above callwire: the measurement is only valid while the
    # generator keeps its 20 ms schedule. With callwire above it, each packet
    # the generator sends wakes a callwire worker that preempts it at once, one
    # context switch pair per packet, and at 500 calls the generator fell
    # behind by over a second (false gaps). Its bursts are short (1/20 of the
    # streams per 1 ms tick), so callwire waits at most one burst for a core;
    # what callwire cannot keep up with shows as its own latency and loss.
    args.preexec = preexec_at(10)
    args.preexec_generator = preexec_at(20)
    args.preexec_callwire = preexec_at(10)
    steps = [int(s) for s in args.steps.split(",") if s]
    for tool in (args.callwire, args.webhook_server, args.load):
        if not os.access(tool, os.X_OK):
            raise Failure(f"{tool} is not an executable")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    atexit.register(PROCS.stop_all)
    fds = raise_fd_limit(8 * max(steps) + 1024)
    if fds < 4 * max(steps) + 256:
        raise Failure(f"open file limit {fds} is too low for {max(steps)} calls (ulimit -n)")
    workdir = tempfile.mkdtemp(prefix="callwire-bench-bridge-")
    started = time.monotonic()
    deadline = started + args.budget_seconds
    print(f"bench bridge: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start (other work on "
          f"this machine makes every figure noisy); open files {fds}; work folder {workdir}", flush=True)
    if args.realtime:
        print("the generator runs under SCHED_FIFO priority 20, callwire, rtpengine and the webhook server at 10",
              flush=True)
    relays = [r for r in args.relays.split(",") if r in RELAYS]
    if args.smoke or args.no_peer:
        relays = [r for r in relays if r == "callwire"]
    elif "rtpengine" in relays and not (args.rtpengine and os.access(args.rtpengine, os.X_OK)):
        print("rtpengine is not installed (scripts/install-deps installs rtpengine-daemon): no peer in this run, "
              "no ratio", flush=True)
        relays = [r for r in relays if r != "rtpengine"]
    print(f"each step: N calls at {args.rate} calls/s to <Dial>{NUMBER}</Dial> through a trunk to the generator's "
          f"carrier UAS, both legs PCMU, held {args.hold_seconds} s once all are bridged, BYE from the caller; "
          f"one-way latency per packet through callwire, kernel arrival timestamps", flush=True)
    if "rtpengine" in relays:
        print(f"then the same N calls through rtpengine ({args.rtpengine}, userspace forwarding, "
              f"{args.workers or os.cpu_count()} threads): ng offer/answer per call, the same streams, hold and "
              f"measurement", flush=True)
    best = {}
    results = []
    alive = list(relays)
    try:
        webhook, webhook_port = start_webhook(args, workdir)
        for n in steps:
            for relay in list(alive):
                need = n / args.rate + args.hold_seconds + n / 500 + (5 if args.smoke else 25)
                if time.monotonic() + need > deadline:
                    print(f"  {n:5} calls through {relay}: not run, --budget-seconds {args.budget_seconds} would be "
                          f"exceeded", flush=True)
                    alive.remove(relay)
                    continue
                step = run_step(args, workdir, webhook_port, n, deadline, relay)
                ok, line = describe(args, step)
                print(line, flush=True)
                results.append(step)
                if ok:
                    best[relay] = step
                    continue
                alive.remove(relay)
                if not args.keep:
                    print(f"         (logs kept: {step['relay_log']}, {step['load_log']})", flush=True)
                    args.keep = True
            if not alive:
                break
        PROCS.stop(webhook)
    finally:
        PROCS.stop_all()

    print(flush=True)
    if results:
        table(args, results)
    if args.smoke:
        r = results[0]["result"] if results else None
        ok = bool(r) and r["held"] and r["failed"] == 0 and r["bridged"] == 5 and \
            r["up"]["samples"] > 0 and r["down"]["samples"] > 0
        print(f"smoke: {'OK' if ok else 'FAILED'}: {json.dumps(r) if r else 'no result'}")
        if ok and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        return 0 if ok else 1
    for relay in relays:
        b = best.get(relay)
        if b:
            r = b["result"]
            worst = max(r["up"]["p99_us"], r["down"]["p99_us"]) / 1000
            print(f"{relay} held {b['calls']} concurrent bridged calls ({2 * b['calls']} RTP streams each way) for "
                  f"{args.hold_seconds} s, 0 failed, p99 one-way relay latency {worst:.3f} ms (< 2 ms); "
                  f"{b['cpu_us_per_s_per_call']:.0f} µs of CPU per second per call ({100 * b['cw_core']:.0f} % of a "
                  f"core in all), {b['rss_per_call_kib']:.1f} KiB RSS per call; generator {100 * b['gen_core']:.0f} % "
                  f"of a core")
        else:
            print(f"{relay} held no step with 0 failed calls and p99 latency < 2 ms")
        mine = [s for s in results if s["relay"] == relay]
        if mine and mine[-1] is not b and "gen_core" in mine[-1]:
            last = mine[-1]
            print(f"  {relay}'s first failing step {last['calls']} calls: the limit looks like {limit(args, last)}: "
                  f"{relay} {100 * last['cw_core']:.0f} %, generator {100 * last['gen_core']:.0f} %, other processes "
                  f"{100 * last['others_core']:.0f} % of a core; the machine {100 * last['machine_busy']:.0f} % busy")
    cw = best.get("callwire")
    verdict = cw is not None and cw["calls"] >= GOAL_CALLS
    print(f"verdict: goal {GOAL_CALLS} bridged calls with 0 failures and p99 < 2 ms: "
          f"{'MET' if verdict else 'NOT MET'}" + ("" if verdict else f" (callwire's best step {cw['calls'] if cw else 0}")
          + ("" if verdict or "rtpengine" not in relays else
             f"; rtpengine's best step on the same machine {best['rtpengine']['calls'] if 'rtpengine' in best else 0}")
          + ("" if verdict else ")"))
    print(f"load average {os.getloadavg()[0]:.1f} at the end; run took {time.monotonic() - started:.0f} s")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as e:
        PROCS.stop_all()
        print(f"bench bridge: {e}", file=sys.stderr)
        sys.exit(1)
