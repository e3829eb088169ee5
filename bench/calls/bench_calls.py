#!/usr/bin/env python3
"""Calls per second: callwire (with its voice webhook) against Kamailio.

    bench_calls.py --callwire BIN [--auth digest,acl] [--rates 100,200,...]
                   [--step-seconds 10] [--budget-seconds 300] [--keep]
                   [--servers callwire,kamailio] [--callwire-args "--workers 1"]
                   [--kamailio-modes stateless,stateful]
                   [--perf PREFIX [--perf-call-graph dwarf]]

One fixed rate for one server is the steadiest way to compare builds on a
busy machine: --rates 1500 --servers callwire prints callwire's CPU per call,
and --perf PREFIX records a profile of the server for each step.

digest (the headline figure): one call is INVITE → 407 → ACK → INVITE with
credentials → 486 → ACK (invite_auth_486.xml). callwire answers the second
INVITE with 180, asks the voice webhook (webhook_server.cpp, keep-alive,
<Reject reason="busy"/>) and answers 486; Kamailio (kamailio.cfg) makes the
same digest challenge (MD5, qop=auth) and answers 486 without a webhook.
Kamailio runs twice: stateless (sl replies, as a Kamailio configured for
speed answers) and stateful (WITH_TM: an INVITE server transaction per INVITE
and nonce-count replays refused, which is what callwire does, as RFC 3261
requires of a UAS); the ratio is printed against each.
acl: the domain admits 127.0.0.1 by IP ACL instead; one INVITE per call
(invite_acl_486.xml), Kamailio answers 486 at once.

For each server in turn, SIPp runs every rate R of the ramp for about
--step-seconds (-r R -m R*step). A step passes when under 0.1 % of its calls
failed, none was left unfinished and SIPp started them at 90 % of R or more
(otherwise the server, or SIPp, could not keep up). The ramp stops at the
first failing step; the highest passing rate is the server's figure.

Besides calls per second, for the highest passing step of each server:
- CPU used by the server (utime+stime from /proc, every thread and forked
  child) per call, and by SIPp and the webhook server;
- SIPp's round trip from the authenticated INVITE to the 486 (p50/p99, from
  -trace_rtt), which for callwire includes the webhook;
- for callwire, callwire_webhook_dispatch_delay_seconds from GET /metrics:
  authenticated INVITE received → voice webhook handed to the HTTP client
  (p50/p99 interpolated within the histogram's buckets, as Prometheus does).

Everything listens on 127.0.0.1. Every process started here is stopped by
PID on every exit path. Each SIPp run is bounded by -timeout, each wait by a
deadline, and the whole ramp by --budget-seconds.
"""
import argparse
import atexit
import base64
import csv
import glob
import json
import os
import re
import resource
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
HOST = "127.0.0.1"
USER = "bench"
PASSWORD = "Bench1Password"  # meets callwire's password rules
DOMAIN_BASE = "localhost"
SERVICE = "bench"  # the To user and the domain name: bench.sip.localhost
READY_TIMEOUT_S = 30
STOP_TIMEOUT_S = 10
MAX_FAILED_RATIO = 0.001
MIN_START_RATIO = 0.9
CLK_TCK = os.sysconf("SC_CLK_TCK")


class Failure(Exception):
    pass


# --- processes we start, stopped by PID on every exit path --------------------

class Processes:
    def __init__(self):
        self.procs = []

    def start(self, argv, log_path, **kw):
        log = open(log_path, "wb")
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, **kw)
        log.close()
        self.procs.append(proc)
        return proc

    def stop(self, proc, pid_file_pid=None):
        """SIGTERM, then SIGKILL after STOP_TIMEOUT_S. `pid_file_pid` is the
        PID the server wrote itself (Kamailio's -P), signalled as well."""
        pids = [proc.pid] + ([pid_file_pid] if pid_file_pid and pid_file_pid != proc.pid else [])
        if proc.poll() is None:
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
            try:
                proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                proc.wait(STOP_TIMEOUT_S)
        if proc in self.procs:
            self.procs.remove(proc)

    def stop_all(self):
        for proc in reversed(list(self.procs)):
            try:
                self.stop(proc)
            except Exception as e:  # keep stopping the others
                print(f"bench: could not stop pid {proc.pid}: {e}", file=sys.stderr)


PROCS = Processes()


def on_signal(signum, _frame):
    PROCS.stop_all()
    sys.exit(128 + signum)


# --- helpers ------------------------------------------------------------------

def free_port(udp_too):
    for _ in range(50):
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        t.bind((HOST, 0))
        port = t.getsockname()[1]
        if not udp_too:
            t.close()
            return port
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            u.bind((HOST, port))
            return port
        except OSError:
            continue
        finally:
            u.close()
            t.close()
    raise Failure("no free loopback port found")


def tail(path, lines=30):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


def wait_for(what, check, proc, log_path, timeout=READY_TIMEOUT_S):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise Failure(f"{what} exited with {proc.returncode} before it was ready:\n{tail(log_path)}")
        result = check()
        if result:
            return result
        time.sleep(0.05)  # polling interval, bounded by the deadline
    raise Failure(f"{what} not ready after {timeout} s:\n{tail(log_path)}")


def process_tree(root):
    """`root` and every descendant (Kamailio forks its workers)."""
    children = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.split("/")[2]))
        except (OSError, IndexError, ValueError):
            continue
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def cpu_seconds(root):
    """utime+stime of `root`, its threads and its live descendants."""
    total = 0
    for pid in process_tree(root):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
        except (OSError, IndexError, ValueError):
            continue
    return total / CLK_TCK


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    i = min(len(sorted_values) - 1, max(0, int(round(q * (len(sorted_values) - 1)))))
    return sorted_values[i]


# --- the webhook server ---------------------------------------------------------

def start_webhook(args, workdir):
    log = os.path.join(workdir, "webhook.log")
    proc = PROCS.start([args.webhook_server, "0"], log)

    def port():
        m = re.search(r"listening (\d+)", tail(log))
        return int(m.group(1)) if m else None

    return proc, wait_for("webhook server", port, proc, log)


def webhook_capacity(args, port, seconds):
    out = subprocess.run([args.node, os.path.join(HERE, "webhook_load.js"), str(port), str(seconds), "16"],
                         capture_output=True, text=True, timeout=seconds + 30)
    m = re.search(r"rps (\d+) errors (\d+)", out.stdout)
    if out.returncode != 0 or not m:
        raise Failure(f"webhook capacity check failed: {out.stdout}{out.stderr}")
    return int(m.group(1))


# --- callwire -------------------------------------------------------------------

def rest(http_port, sid, token, path, fields=None):
    url = f"http://{HOST}:{http_port}/2010-04-01/Accounts/{sid}{path}"
    data = urllib.parse.urlencode(fields).encode() if fields is not None else None
    req = urllib.request.Request(url, data=data)
    req.add_header("Authorization", "Basic " + base64.b64encode(f"{sid}:{token}".encode()).decode())
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        raise Failure(f"POST {path}: {e.code} {e.read()[:300]!r}")


def http_get(port, path):
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=5) as r:
            return r.read().decode()
    except (OSError, urllib.error.URLError):
        return None


def start_callwire(args, workdir, webhook_port):
    sid = "AC" + secrets.token_hex(16)
    token = secrets.token_hex(16)
    sip_port, http_port = free_port(True), free_port(False)
    log = os.path.join(workdir, f"callwire-{args.auth}.log")
    env = dict(os.environ, CALLWIRE_ACCOUNT_SID=sid, CALLWIRE_AUTH_TOKEN=token)
    argv = [args.callwire, "serve", "--sip-listen", f"{HOST}:{sip_port}", "--http-listen", f"{HOST}:{http_port}",
            "--data", os.path.join(workdir, f"callwire-data-{args.auth}"), "--sip-domain-base", DOMAIN_BASE,
            "--log-level", "warn", "--invites-per-second", "1000000", "--auth-failures-per-minute", "1000000"]
    argv += shlex.split(args.callwire_args)
    proc = PROCS.start(argv, log, env=env)
    wait_for("callwire", lambda: http_get(http_port, "/metrics") is not None, proc, log)
    domain = rest(http_port, sid, token, "/SIP/Domains.json",
                  {"DomainName": f"{SERVICE}.sip.{DOMAIN_BASE}", "VoiceUrl": f"http://{HOST}:{webhook_port}/voice",
                   "VoiceMethod": "POST"})
    if args.auth == "digest":
        cl = rest(http_port, sid, token, "/SIP/CredentialLists.json", {"FriendlyName": "bench"})
        rest(http_port, sid, token, f"/SIP/CredentialLists/{cl['sid']}/Credentials.json",
             {"Username": USER, "Password": PASSWORD})
        rest(http_port, sid, token, f"/SIP/Domains/{domain['sid']}/Auth/Calls/CredentialListMappings.json",
             {"CredentialListSid": cl["sid"]})
    else:
        al = rest(http_port, sid, token, "/SIP/IpAccessControlLists.json", {"FriendlyName": "bench"})
        rest(http_port, sid, token, f"/SIP/IpAccessControlLists/{al['sid']}/IpAddresses.json",
             {"FriendlyName": "loopback", "IpAddress": HOST, "CidrPrefixLength": "32"})
        rest(http_port, sid, token, f"/SIP/Domains/{domain['sid']}/Auth/Calls/IpAccessControlListMappings.json",
             {"IpAccessControlListSid": al["sid"]})
    return proc, sip_port, http_port


def histogram(text, name):
    """Cumulative bucket counts {le: count} of an unlabelled histogram."""
    buckets = {}
    for m in re.finditer(rf'^{name}_bucket\{{le="([^"]+)"\}} (\S+)$', text or "", re.M):
        buckets[float(m.group(1))] = float(m.group(2))
    return buckets


def histogram_quantile(q, before, after):
    """Prometheus' histogram_quantile over the counts added between two scrapes."""
    bounds = sorted(after)
    counts = [after[b] - before.get(b, 0.0) for b in bounds]
    if not counts or counts[-1] <= 0:
        return float("nan")
    rank = q * counts[-1]
    prev_bound, prev_count = 0.0, 0.0
    for bound, count in zip(bounds, counts):
        if count >= rank:
            if bound == float("inf"):
                return prev_bound
            return prev_bound + (bound - prev_bound) * (rank - prev_count) / max(count - prev_count, 1e-9)
        prev_bound, prev_count = bound, count
    return bounds[-1]


def auth_failures(http_port):
    lines = [l for l in (http_get(http_port, "/metrics") or "").splitlines()
             if l.startswith(("callwire_auth_failures_total", "callwire_invites_refused_total"))]
    return "  callwire /metrics: " + ("; ".join(lines) or "no auth failure counted")


# --- Kamailio -------------------------------------------------------------------

def start_kamailio(args, workdir, stateful):
    port = free_port(True)
    with open(os.path.join(HERE, "kamailio.cfg")) as f:
        cfg = f.read()
    for key, value in {"PORT": port, "CHILDREN": args.kamailio_children, "SECRET": secrets.token_hex(16),
                       "PASSWORD": PASSWORD, "USER": USER}.items():
        cfg = cfg.replace(f"@{key}@", str(value))
    variant = f"{'tm-' if stateful else ''}{args.auth}"
    cfg_path = os.path.join(workdir, f"kamailio-{variant}.cfg")
    with open(cfg_path, "w") as f:
        f.write(cfg)
    run_dir = os.path.join(workdir, f"kamailio-run-{variant}")
    os.makedirs(run_dir)
    pid_file = os.path.join(run_dir, "kamailio.pid")
    log = os.path.join(workdir, f"kamailio-{variant}.log")
    # -DD: stay in the foreground (workers are still forked), -E: log to
    # stderr, -Y: runtime files here instead of /run/kamailio.
    defines = (["-A", "WITH_DIGEST"] if args.auth == "digest" else []) + (["-A", "WITH_TM"] if stateful else [])
    proc = PROCS.start([args.kamailio, "-f", cfg_path, "-DD", "-E", "-P", pid_file, "-Y", run_dir,
                        # -m: shared memory, where transactions live on for
                        # tm's wait timer after their ACK (thousands a second).
                        "-m", "2048" if stateful else "128", "-M", "16"] + defines, log)

    def ready():
        try:
            with open(pid_file) as f:
                return int(f.read().strip() or 0)
        except (OSError, ValueError):
            return None

    pid = wait_for("kamailio", ready, proc, log)
    return proc, port, pid


# --- SIPp -----------------------------------------------------------------------

def run_sipp(args, workdir, name, port, rate, calls):
    """Runs one SIPp load; returns its counters, wall time, CPU and RTD samples."""
    step_dir = os.path.join(workdir, name)
    os.makedirs(step_dir)
    stat_file = os.path.join(step_dir, "stat.csv")
    local_port = free_port(True)
    scenario = "invite_auth_486.xml" if args.auth == "digest" else "invite_acl_486.xml"
    argv = [args.sipp, "-sf", os.path.join(HERE, scenario), "-s", SERVICE, "-au", USER, "-ap", PASSWORD,
            "-auth_uri", f"{SERVICE}@{SERVICE}.sip.{DOMAIN_BASE}",  # the Request-URI, which callwire checks
            "-i", HOST, "-p", str(local_port), f"{HOST}:{port}", "-r", str(rate), "-rp", "1000", "-m", str(calls),
            "-nostdin", "-timeout", f"{args.step_seconds + 20}s", "-timeout_error", "-recv_timeout", "8000",
            "-buff_size", str(8 * 1024 * 1024),
            "-trace_stat", "-stf", stat_file, "-fd", "1",
            "-trace_rtt", "-rtt_freq", "1", "-trace_err"]
    if args.sipp_trace:
        argv += ["-trace_msg"]
    log = os.path.join(step_dir, "sipp.log")
    # SIPp is the only child reaped while it runs, so the children's rusage
    # delta is its CPU time.
    usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    proc = PROCS.start(argv, log, cwd=step_dir)
    try:
        proc.wait(args.step_seconds + 40)  # SIPp's own -timeout ends it earlier
    except subprocess.TimeoutExpired:
        pass
    finally:
        PROCS.stop(proc)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    sipp_cpu = (usage.ru_utime - usage_before.ru_utime) + (usage.ru_stime - usage_before.ru_stime)
    wall = time.monotonic() - start
    rows = []
    try:
        with open(stat_file, newline="") as f:
            rows = list(csv.DictReader(f, delimiter=";"))
    except OSError:
        pass
    if not rows:
        raise Failure(f"SIPp wrote no statistics (exit {proc.returncode}):\n{tail(log)}")
    last = rows[-1]
    rtts = []
    for path in glob.glob(os.path.join(step_dir, "*_rtt.csv")):
        with open(path) as f:
            for line in f:
                parts = line.strip().split(";")
                try:
                    rtts.append(float(parts[1]))
                except (IndexError, ValueError):
                    continue
    rtts.sort()
    # Why calls failed: "expected X, received 'SIP/2.0 NNN" counted.
    causes = {}
    for path in glob.glob(os.path.join(step_dir, "*_errors.log")):
        with open(path, errors="replace") as f:
            for m in re.finditer(r"while expecting '(\w+)' \(index \d+\), received '([^\r\n']+)", f.read()):
                key = f"expected {m.group(1)}, got {m.group(2)[:40]}"
                causes[key] = causes.get(key, 0) + 1
    return {
        "causes": causes,
        "rate": rate, "calls": calls, "wall": wall,
        "started": int(last["TotalCallCreated"]), "ok": int(last["SuccessfulCall(C)"]),
        "failed": int(last["FailedCall(C)"]), "retrans": int(last["Retransmissions(C)"]),
        "sipp_cpu": sipp_cpu,
        "rtt_p50": percentile(rtts, 0.5), "rtt_p99": percentile(rtts, 0.99), "rtt_n": len(rtts),
        "exit": proc.returncode,
    }


def start_perf(args, name, rate, watched):
    """--perf: `perf record` on the first watched PID (the server) for one step."""
    if not args.perf or not name.startswith(tuple(args.perf_servers)):
        return None
    pid = next(iter(watched.values()))
    out = f"{args.perf}.{name}-{rate}.data"
    argv = [args.perf_tool, "record", "-q", "-F", str(args.perf_frequency), "-o", out, "-p", str(pid)]
    if args.perf_call_graph:
        argv += ["--call-graph", args.perf_call_graph]
    proc = PROCS.start(argv, out + ".log")
    print(f"  perf record on pid {pid} → {out}", flush=True)
    return proc


def stop_perf(proc):
    if proc is None:
        return
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)  # perf writes its file on SIGINT
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            pass
    PROCS.stop(proc)


def passed(step):
    total = step["ok"] + step["failed"]
    unfinished = step["calls"] - total
    start_rate = step["started"] / max(step["wall"], 1e-9)
    duration = step["calls"] / step["rate"]
    # SIPp needs a little time to start and to finish the last calls; compare
    # the time it took with the time the rate asks for.
    on_time = duration / max(step["wall"] - 0.5, duration) >= MIN_START_RATIO
    step["start_rate"] = start_rate
    step["on_time"] = on_time
    return total > 0 and unfinished == 0 and step["failed"] <= MAX_FAILED_RATIO * step["calls"] and on_time


def ramp(args, workdir, name, port, watched, deadline, on_step=None, diagnose=None):
    """Runs the ramp; `watched` maps a label to a PID whose CPU is measured."""
    best = None
    warm = run_sipp(args, workdir, f"{name}-warmup", port, 20, 40)
    if warm["ok"] != 40:
        print(f"  {name}: warm-up at 20 cps failed: {warm['ok']} of 40 calls succeeded, {warm['failed']} failed; "
              f"causes {warm['causes']}", flush=True)
        if diagnose:
            print(diagnose(), flush=True)
        return None
    for rate in args.rates:
        if time.monotonic() + args.step_seconds + 5 > deadline:
            print(f"  {name}: time budget reached before {rate} cps", flush=True)
            break
        calls = rate * args.step_seconds
        cpu_before = {label: cpu_seconds(pid) for label, pid in watched.items()}
        before = on_step() if on_step else None
        perf = start_perf(args, name, rate, watched)
        try:
            step = run_sipp(args, workdir, f"{name}-{rate}", port, rate, calls)
        finally:
            stop_perf(perf)
        step["cpu"] = {label: cpu_seconds(pid) - cpu_before[label] for label, pid in watched.items()}
        if on_step:
            step["extra"] = (before, on_step())
        ok = passed(step)
        server_cpu = next(iter(step["cpu"].values()))
        print(f"  {name:15} {rate:5} cps: {step['ok']:7} ok {step['failed']:5} failed "
              f"{step['calls'] - step['ok'] - step['failed']:5} unfinished {step['retrans']:6} retrans, "
              f"{step['wall']:5.1f} s, server CPU {server_cpu:5.2f} s "
              f"({1e6 * server_cpu / max(step['ok'], 1):5.0f} µs/call), SIPp CPU {step['sipp_cpu']:5.2f} s, "
              f"INVITE→486 p50 {step['rtt_p50']:.0f} ms p99 {step['rtt_p99']:.0f} ms "
              f"{'PASS' if ok else 'FAIL'}", flush=True)
        if not ok:
            if step["causes"]:
                print(f"  {name:15} failure causes: {step['causes']}", flush=True)
            best = dict(best, capped=False) if best else None
            break
        # Until a step fails, the best rate is only a lower bound (the top
        # of the ladder or the time budget came first).
        best = dict(step, capped=True)
    return best


def rate_text(step):
    """The best rate, with ≥ when no higher step failed."""
    if not step:
        return "0"
    return f"{'≥' if step.get('capped') else ''}{step['rate']}"


def ratio_text(cw, ka):
    if not cw or not ka:
        return "n/a"
    r = f"{cw['rate'] / ka['rate']:.2f}"
    if cw.get("capped") and ka.get("capped"):
        return f"n/a (both passed every step; {r} at the top)"
    if cw.get("capped"):
        return f"≥{r}"
    if ka.get("capped"):
        return f"≤{r}"
    return r


# --- main -----------------------------------------------------------------------

def ramps_per_mode(args):
    return ("callwire" in args.servers) + (len(args.kamailio_modes) if "kamailio" in args.servers else 0)


def run_mode(args, workdir, mode, deadline, ramps_left):
    """Every ramp for one kind of call; returns (callwire best step, {kamailio mode: best step})."""
    args.auth = mode
    share = lambda n: time.monotonic() + max(0.0, deadline - time.monotonic()) / n
    print(f"{mode}: {'INVITE, 407, INVITE with credentials' if mode == 'digest' else 'INVITE allowed by IP ACL'}"
          f", 486, ACK", flush=True)
    cw = None
    kas = {}
    if "callwire" in args.servers:
        webhook, webhook_port = start_webhook(args, workdir)
        callwire, sip_port, http_port = start_callwire(args, workdir, webhook_port)
        scrape = lambda: (histogram(http_get(http_port, "/metrics"), "callwire_webhook_dispatch_delay_seconds"),
                          json.loads(http_get(webhook_port, "/stats") or "{}"))
        cw = ramp(args, workdir, f"callwire-{mode}", sip_port, {"callwire": callwire.pid, "webhook": webhook.pid},
                  share(ramps_left), on_step=scrape, diagnose=lambda: auth_failures(http_port))
        ramps_left -= 1
        if callwire.poll() is not None:
            raise Failure(f"callwire exited with {callwire.returncode} during the ramp:\n"
                          f"{tail(os.path.join(workdir, f'callwire-{mode}.log'))}")
        PROCS.stop(callwire)
        PROCS.stop(webhook)

    for kmode in (args.kamailio_modes if "kamailio" in args.servers else []):
        stateful = kmode == "stateful"
        kam, kam_port, kam_pid = start_kamailio(args, workdir, stateful)
        name = f"kamailio{'-tm' if stateful else ''}-{mode}"
        kas[kmode] = ramp(args, workdir, name, kam_port, {"kamailio": kam_pid}, share(ramps_left))
        ramps_left -= 1
        if kam.poll() is not None:
            raise Failure(f"kamailio ({kmode}) exited with {kam.returncode} during the ramp")
        PROCS.stop(kam, kam_pid)
    return cw, kas


def report(args, mode, cw, kas):
    x = cw["rate"] if cw else 0
    what = "digest challenge" if mode == "digest" else "IP ACL, no challenge"
    for kmode, ka in kas.items() or {"stateless": None}.items():
        print(f"callwire {rate_text(cw)} cps, kamailio ({kmode}) {rate_text(ka)} cps, ratio {ratio_text(cw, ka)} "
              f"({what}; highest rate with < 0.1 % failed calls, SIPp over UDP on loopback, "
              f"{args.step_seconds} s per step)")
    first = "authenticated INVITE" if mode == "digest" else "INVITE"
    if cw:
        (before, _), (after, external) = cw["extra"]
        p50 = histogram_quantile(0.5, before, after) * 1e6
        p99 = histogram_quantile(0.99, before, after) * 1e6
        print(f"  callwire at {x} cps: {first} received → voice webhook handed to the HTTP client "
              f"(callwire_webhook_dispatch_delay_seconds, {cw['ok']} calls) p50 {p50:.0f} µs, p99 {p99:.0f} µs")
        if external.get("count"):
            print(f"  callwire at {x} cps: SIPp sent the {first} → webhook server received the request "
                  f"(gettimeofday in both, {external['count']} calls) p50 {external['p50_us']:.0f} µs, "
                  f"p99 {external['p99_us']:.0f} µs")
        print(f"  callwire at {x} cps: CPU {1e6 * cw['cpu']['callwire'] / max(cw['ok'], 1):.0f} µs/call in callwire, "
              f"{1e6 * cw['cpu']['webhook'] / max(cw['ok'], 1):.0f} µs/call in the webhook server, "
              f"{1e6 * cw['sipp_cpu'] / max(cw['ok'], 1):.0f} µs/call in SIPp; "
              f"SIPp {first} sent → 486 p50 {cw['rtt_p50']:.0f} ms, p99 {cw['rtt_p99']:.0f} ms (1 ms resolution)")
    for kmode, ka in kas.items():
        if not ka:
            continue
        print(f"  kamailio ({kmode}) at {ka['rate']} cps: CPU {1e6 * ka['cpu']['kamailio'] / max(ka['ok'], 1):.0f} "
              f"µs/call in kamailio ({args.kamailio_children} workers), "
              f"{1e6 * ka['sipp_cpu'] / max(ka['ok'], 1):.0f} µs/call in SIPp; "
              f"SIPp {first} sent → 486 p50 {ka['rtt_p50']:.0f} ms, p99 {ka['rtt_p99']:.0f} ms")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--callwire", required=True)
    p.add_argument("--sipp", default=shutil.which("sipp") or "sipp")
    p.add_argument("--kamailio", default=shutil.which("kamailio") or "/usr/sbin/kamailio")
    p.add_argument("--node", default=shutil.which("node") or "node")
    p.add_argument("--webhook-server", required=True, help="webhook_reject_server (bench/calls/webhook_server.cpp)")
    p.add_argument("--rates", default="800,1600,2400,3200,3600,4000,4400,4800,5200,5600,6000,6400,7200,8000,8800,9600")
    p.add_argument("--step-seconds", type=int, default=10)
    p.add_argument("--budget-seconds", type=int, default=1500, help="bound on the whole run (every ramp)")
    p.add_argument("--kamailio-children", type=int, default=2, help="UDP workers (callwire: one per core)")
    p.add_argument("--auth", default="digest,acl",
                   help="comma-separated: digest (INVITE, 407, INVITE with credentials: the headline figure), "
                        "acl (the domain allows 127.0.0.1 by IP ACL: one INVITE per call, no challenge)")
    p.add_argument("--callwire-args", default="", help="more `callwire serve` options (e.g. \"--workers 1\")")
    p.add_argument("--kamailio-modes", default="stateless,stateful",
                   help="comma-separated: stateless (sl replies), stateful (tm transactions, nonce-count checks)")
    p.add_argument("--servers", default="callwire,kamailio",
                   help="comma-separated: which servers to ramp (both by default; the ratio needs both)")
    p.add_argument("--perf", metavar="PREFIX",
                   help="run `perf record` on the server during every step; files PREFIX.<server>-<mode>-<rate>.data")
    p.add_argument("--perf-servers", default="callwire", help="comma-separated servers --perf records")
    p.add_argument("--perf-call-graph", default="", help="perf --call-graph mode (fp, dwarf, ...); none by default")
    p.add_argument("--perf-frequency", type=int, default=999)
    p.add_argument("--perf-tool", default=shutil.which("perf") or "perf")
    p.add_argument("--keep", action="store_true", help="keep the work folder (logs, SIPp files)")
    p.add_argument("--sipp-trace", action="store_true", help="SIPp -trace_msg as well (debugging; slow)")
    args = p.parse_args()
    args.rates = [int(r) for r in args.rates.split(",")]
    modes = [m for m in args.auth.split(",") if m]
    args.servers = [s for s in args.servers.split(",") if s]
    args.perf_servers = [s for s in args.perf_servers.split(",") if s]
    args.kamailio_modes = [m for m in args.kamailio_modes.split(",") if m]
    if any(m not in ("stateless", "stateful") for m in args.kamailio_modes):
        raise Failure(f"--kamailio-modes {','.join(args.kamailio_modes)}: use stateless, stateful or both")
    if not args.servers or any(s not in ("callwire", "kamailio") for s in args.servers):
        raise Failure(f"--servers {','.join(args.servers)}: use callwire, kamailio or both")
    if not modes or any(m not in ("digest", "acl") for m in modes):
        raise Failure(f"--auth {args.auth}: use digest, acl or both")
    for tool in (args.callwire, args.sipp, args.kamailio, args.node):
        if not shutil.which(tool) and not os.access(tool, os.X_OK):
            raise Failure(f"{tool} not found (scripts/install-deps installs sipp, kamailio and node)")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    atexit.register(PROCS.stop_all)
    workdir = tempfile.mkdtemp(prefix="callwire-bench-calls-")
    started = time.monotonic()
    deadline = started + args.budget_seconds
    load = os.getloadavg()
    print(f"bench calls: {os.cpu_count()} cores, load average {load[0]:.1f} at start "
          f"(other work on this machine makes every figure noisy); work folder {workdir}", flush=True)
    results = {}
    try:
        webhook, webhook_port = start_webhook(args, workdir)
        capacity = webhook_capacity(args, webhook_port, 3)
        PROCS.stop(webhook)
        print(f"webhook server (C++, keep-alive) alone, 16 node client connections: {capacity} requests/s", flush=True)
        for i, mode in enumerate(modes):
            results[mode] = run_mode(args, workdir, mode, deadline, ramps_per_mode(args) * (len(modes) - i))
    finally:
        PROCS.stop_all()

    print(flush=True)
    for mode, (cw, kas) in results.items():
        report(args, mode, cw, kas)
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} at the end; run took {time.monotonic() - started:.0f} s")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as e:
        PROCS.stop_all()
        print(f"bench calls: {e}", file=sys.stderr)
        sys.exit(1)
