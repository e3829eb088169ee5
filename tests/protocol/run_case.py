#!/usr/bin/env python3
"""Runs one SIPp protocol case against a server started for it.

    run_case.py CASE --server BIN --sipp SIPP [--openssl OPENSSL]

The server (`callwire serve` or `callwire_test_uas`) gets free loopback ports
and a temporary data folder. We wait for it to be ready (bounded polling),
run SIPp bounded by -m/-timeout, check SIPp's exit code and its counters,
check the server survived, then stop it with SIGTERM by PID and expect a clean
exit. The server is stopped on every path, failures included.

Debian's SIPp is built without TLS, so the TLS case runs SIPp over TCP into a
small relay here that carries the bytes over TLS to callwire's --sips-listen
port (the scenario's Via says TLS, as it would from a TLS client).
"""
import argparse
import asyncio
import csv
import ctypes
import dataclasses
import os
import queue
import selectors
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = os.path.join(HERE, "scenarios")
READY_TIMEOUT_S = 20
SIPP_TIMEOUT_S = 30   # passed to SIPp; the subprocess gets a margin on top
STOP_TIMEOUT_S = 10
HOST = "127.0.0.1"


@dataclasses.dataclass
class Case:
    server: str        # "callwire" or "uas"
    scenario: str      # file under scenarios/
    transport: str     # "udp", "tcp" or "tls"
    calls: int = 3
    rate: int = 10     # calls per second
    lost: int = 0      # SIPp -lost percentage
    expect_retransmissions: bool = False
    duplicate_invites: bool = False  # relay delivers each INVITE twice; expect one final answer per call


CASES = {
    # against `callwire serve`
    "options_udp": Case("callwire", "options.xml", "udp"),
    "options_tcp": Case("callwire", "options.xml", "tcp"),
    "options_tls": Case("callwire", "options.xml", "tls"),
    "publish_405_udp": Case("callwire", "publish_405.xml", "udp"),
    "publish_405_tcp": Case("callwire", "publish_405.xml", "tcp"),
    "invite_unknown_domain_udp": Case("callwire", "invite_unknown_domain.xml", "udp"),
    "invite_unknown_domain_tcp": Case("callwire", "invite_unknown_domain.xml", "tcp"),
    "invite_retransmission_udp": Case("callwire", "invite_retransmission.xml", "udp", calls=5,
                                      duplicate_invites=True),
    "options_udp_loss": Case("callwire", "options.xml", "udp", calls=200, rate=50, lost=10,
                             expect_retransmissions=True),
    "invite_udp_loss": Case("callwire", "invite_unknown_domain_lossy.xml", "udp", calls=200, rate=50,
                            lost=10, expect_retransmissions=True),
    # against callwire_test_uas (the SIP stack as a UAS)
    "uas_cancel_udp": Case("uas", "uas_cancel.xml", "udp"),
    "uas_answer_bye_udp": Case("uas", "uas_answer_bye.xml", "udp"),
}


class Failure(Exception):
    pass


def die_with_parent():
    """Child-side: get SIGTERM if the runner dies (e.g. killed on a ctest timeout)."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port(udp_too):
    """A loopback port free for TCP (and UDP when `udp_too`) right now."""
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


def tail(path, lines=60):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return "(missing)\n"


def make_cert(openssl, workdir):
    cert, key = os.path.join(workdir, "cert.pem"), os.path.join(workdir, "key.pem")
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=30)
    return cert, key


class TlsRelay:
    """Plain TCP on a local port, carried over TLS to the server's TLS port."""

    def __init__(self, target_port, cafile):
        self.target_port = target_port
        self.ctx = ssl.create_default_context(cafile=cafile)  # verifies the server's certificate
        self.ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        self.versions, self.errors = [], []
        self.loop = asyncio.new_event_loop()
        started = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(started,), daemon=True)
        self.thread.start()
        if not started.wait(10):
            raise Failure("TLS relay did not start")

    def _run(self, started):
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._client, HOST, 0))
        self.port = server.sockets[0].getsockname()[1]
        started.set()
        self.loop.run_forever()
        server.close()

    async def _client(self, reader, writer):
        try:
            up_reader, up_writer = await asyncio.wait_for(
                asyncio.open_connection(HOST, self.target_port, ssl=self.ctx, server_hostname="localhost"), 10)
        except Exception as e:  # noqa: BLE001 - reported as the test failure
            self.errors.append(f"TLS connect to {HOST}:{self.target_port}: {e!r}")
            writer.close()
            return
        self.versions.append(up_writer.get_extra_info("ssl_object").version())

        async def pump(src, dst):
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, ssl.SSLError) as e:
                self.errors.append(f"relay: {e!r}")
            finally:
                dst.close()

        await asyncio.gather(pump(reader, up_writer), pump(up_reader, writer))

    def stop(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


class UdpDuplicator:
    """A UDP relay that delivers every INVITE from SIPp twice, back to back:
    what the server sees when a UAC retransmits before any response."""

    def __init__(self, target_port):
        self.front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # faces SIPp
        self.front.bind((HOST, 0))
        self.port = self.front.getsockname()[1]
        self.back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)   # faces the server
        self.back.bind((HOST, 0))
        self.back.connect((HOST, target_port))
        self.client = None
        self.duplicated = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        sel = selectors.DefaultSelector()
        sel.register(self.front, selectors.EVENT_READ)
        sel.register(self.back, selectors.EVENT_READ)
        while not self.stopping.is_set():
            for key, _ in sel.select(timeout=0.1):
                try:
                    if key.fileobj is self.front:
                        data, self.client = self.front.recvfrom(65535)
                        self.back.send(data)
                        if data.startswith(b"INVITE "):
                            self.back.send(data)
                            self.duplicated += 1
                    elif self.client:
                        self.front.sendto(self.back.recv(65535), self.client)
                except OSError:
                    pass  # e.g. ICMP port unreachable surfacing on the connected socket

    def stop(self):
        self.stopping.set()
        self.thread.join(5)
        self.front.close()
        self.back.close()


def received_messages(trace_path):
    """The SIP messages SIPp's -trace_msg log says it received, in order."""
    with open(trace_path, errors="replace") as f:
        blocks = f.read().split("-----------------------------------------------")
    out = []
    for block in blocks:
        head, _, rest = block.partition(" bytes :\n")
        if "message received [" in head and rest:
            out.append(rest.strip("\n").replace("\r\n", "\n"))
    return out


def header(message, name):
    for line in message.split("\n")[1:]:
        if not line:
            break
        key, _, value = line.partition(":")
        if key.strip().lower() == name:
            return value.strip()
    return ""


def check_single_final(trace_path, calls):
    """Every call got exactly one distinct final answer to its INVITE (retransmitted
    copies are identical; a second TU answer differs in To-tag or status)."""
    finals = {}
    for msg in received_messages(trace_path):
        first = msg.split("\n", 1)[0]
        if not first.startswith("SIP/2.0 ") or not header(msg, "cseq").endswith("INVITE"):
            continue
        status = int(first.split()[1])
        if status >= 200:
            finals.setdefault(header(msg, "call-id"), set()).add((status, header(msg, "to")))
    problems = []
    if len(finals) != calls:
        problems.append(f"final answers seen for {len(finals)} calls, expected {calls}")
    for call_id, answers in sorted(finals.items()):
        if len(answers) != 1:
            problems.append(f"call {call_id} got {len(answers)} different final answers: {sorted(answers)}")
    return problems


class Server:
    """The process under test; output goes to `log`."""

    def __init__(self, argv, log, ready_line=None):
        self.log_path = log
        self.log = open(log, "wb")
        self.lines = queue.Queue()
        self.ready_line = ready_line
        stdout = subprocess.PIPE if ready_line else self.log
        try:
            self.proc = subprocess.Popen(argv, stdout=stdout, stderr=self.log, stdin=subprocess.DEVNULL,
                                         preexec_fn=die_with_parent)
        except OSError as e:
            self.log.close()
            raise Failure(f"cannot start {argv[0]}: {e}") from e
        if ready_line:
            threading.Thread(target=self._copy_stdout, daemon=True).start()

    def _copy_stdout(self):
        for line in self.proc.stdout:
            self.log.write(line)
            self.log.flush()
            self.lines.put(line.decode(errors="replace").strip())

    def saw_ready_line(self):
        while True:
            try:
                if self.lines.get_nowait() == self.ready_line:
                    return True
            except queue.Empty:
                return False

    def stop(self):
        """SIGTERM by PID; returns the exit code (None if it had to be killed)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self.log.close()
                return None
        self.log.close()
        return self.proc.returncode


def options_probe(port):
    """True when something answers a UDP OPTIONS on `port` with a SIP response."""
    call_id = uuid.uuid4().hex
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((HOST, 0))
        s.settimeout(0.2)
        local = s.getsockname()[1]
        msg = (f"OPTIONS sip:{HOST}:{port} SIP/2.0\r\n"
               f"Via: SIP/2.0/UDP {HOST}:{local};branch=z9hG4bK{call_id};rport\r\n"
               f"Max-Forwards: 70\r\nFrom: <sip:probe@{HOST}>;tag={call_id[:8]}\r\n"
               f"To: <sip:{HOST}:{port}>\r\nCall-ID: {call_id}\r\nCSeq: 1 OPTIONS\r\n"
               f"Content-Length: 0\r\n\r\n")
        s.sendto(msg.encode(), (HOST, port))
        try:
            data = s.recv(65535)
        except (socket.timeout, ConnectionRefusedError):
            return False
        return data.startswith(b"SIP/2.0 ") and call_id.encode() in data


def tcp_open(port):
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_ready(server, case, ports):
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise Failure(f"server exited with {server.proc.returncode} before it was ready")
        if case.server == "uas":
            ready = server.saw_ready_line()
        else:
            ready = tcp_open(ports["sip"]) and options_probe(ports["sip"])
            if ready and "sips" in ports:
                ready = tcp_open(ports["sips"])
        if ready:
            return
        time.sleep(0.05)  # polling interval, bounded by the deadline above
    raise Failure(f"server not ready after {READY_TIMEOUT_S} s")


def start_server(args, case, workdir):
    ports = {"sip": free_port(udp_too=True)}
    if case.server == "uas":
        argv = [args.server, "--sip-listen", f"{HOST}:{ports['sip']}"]
        return Server(argv, os.path.join(workdir, "server.log"), ready_line="ready"), ports
    ports["http"] = free_port(udp_too=False)
    argv = [args.server, "serve", "--sip-listen", f"{HOST}:{ports['sip']}",
            "--http-listen", f"{HOST}:{ports['http']}", "--data", os.path.join(workdir, "var"),
            "--log-level", "debug"]
    if case.transport == "tls":
        ports["sips"] = free_port(udp_too=False)
        cert, key = make_cert(args.openssl, workdir)
        argv += ["--sips-listen", f"{HOST}:{ports['sips']}", "--tls-cert", cert, "--tls-key", key]
    return Server(argv, os.path.join(workdir, "server.log")), ports


def read_stats(path):
    """The last row of SIPp's -trace_stat CSV as a dict."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    if len(rows) < 2:
        raise Failure("SIPp wrote no statistics")
    return dict(zip(rows[0], rows[-1]))


def run_sipp(args, case, workdir, ports, relay, duplicator):
    target_port = ports["sips"] if case.transport == "tls" else ports["sip"]
    files = {k: os.path.join(workdir, f"sipp_{k}") for k in ("errors.log", "stats.csv", "messages.log", "out.log")}
    argv = [args.sipp, f"{HOST}:{target_port}", "-sf", os.path.join(SCENARIOS, case.scenario),
            "-t", "u1" if case.transport == "udp" else "t1",
            "-i", HOST, "-p", str(free_port(udp_too=True)), "-mp", str(free_port(udp_too=True)),
            "-m", str(case.calls), "-r", str(case.rate), "-l", str(max(case.rate, 10)),
            "-timeout", f"{SIPP_TIMEOUT_S}s", "-timeout_error", "-nostdin",
            "-trace_err", "-error_file", files["errors.log"],
            "-trace_stat", "-stf", files["stats.csv"], "-fd", "1",
            "-trace_msg", "-message_file", files["messages.log"],
            "-key", "via_transport", case.transport.upper()]
    if case.lost:
        argv += ["-lost", str(case.lost)]
    for r in (relay, duplicator):
        if r:
            argv += ["-rsa", f"{HOST}:{r.port}"]  # keywords keep the server's address; bytes go to the relay
    print("+", " ".join(argv), flush=True)
    with open(files["out.log"], "wb") as out:
        try:
            rc = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                cwd=workdir, timeout=SIPP_TIMEOUT_S + 30, preexec_fn=die_with_parent).returncode
        except subprocess.TimeoutExpired:
            rc = "timeout"
    return rc, files


def check_sipp(case, rc, files):
    problems = []
    if rc != 0:
        problems.append(f"sipp exit code {rc} (0 = every call succeeded)")
    try:
        stats = read_stats(files["stats.csv"])
        ok, failed = int(stats["SuccessfulCall(C)"]), int(stats["FailedCall(C)"])
        retrans = int(stats["Retransmissions(C)"])
        print(f"sipp: {ok} successful, {failed} failed, {retrans} retransmissions", flush=True)
        if ok != case.calls or failed != 0:
            problems.append(f"expected {case.calls} successful and 0 failed calls, got {ok} and {failed}")
        if case.expect_retransmissions and retrans == 0:
            problems.append("no retransmissions: the loss setting did not take effect")
    except (Failure, OSError, KeyError, ValueError) as e:
        problems.append(f"cannot read SIPp statistics: {e}")
    return problems


def run(args):
    case = CASES[args.case]
    workdir = tempfile.mkdtemp(prefix=f"callwire-{args.case}-")
    server = relay = duplicator = None
    problems = []
    try:
        # A port picked free can be taken before the server binds it: retry then.
        for attempt in range(3):
            server, ports = start_server(args, case, workdir)
            try:
                wait_ready(server, case, ports)
                break
            except Failure:
                server.stop()
                if attempt == 2 or "in use" not in tail(server.log_path, 20):
                    raise
        print(f"server ready: {ports}", flush=True)
        if case.transport == "tls":
            relay = TlsRelay(ports["sips"], os.path.join(workdir, "cert.pem"))
        if case.duplicate_invites:
            duplicator = UdpDuplicator(ports["sip"])
        rc, files = run_sipp(args, case, workdir, ports, relay, duplicator)
        problems += check_sipp(case, rc, files)
        if duplicator:
            if duplicator.duplicated < case.calls:
                problems.append(f"only {duplicator.duplicated} INVITEs were duplicated, expected {case.calls}")
            problems += check_single_final(files["messages.log"], case.calls)
        if relay:
            if relay.errors:
                problems += relay.errors
            if not relay.versions:
                problems.append("no TLS session was made to the server")
            elif any(v not in ("TLSv1.2", "TLSv1.3") for v in relay.versions):
                problems.append(f"unexpected TLS versions {relay.versions}")
            else:
                print(f"TLS sessions: {relay.versions}", flush=True)
        if server.proc.poll() is not None:
            problems.append(f"server died during the test (exit code {server.proc.returncode})")
        if problems:
            print(f"--- sipp errors\n{tail(files['errors.log'])}--- sipp output\n{tail(files['out.log'], 30)}"
                  f"--- sipp messages\n{tail(files['messages.log'], 120)}", flush=True)
    except Failure as e:
        problems.append(str(e))
    finally:
        for r in (relay, duplicator):
            if r:
                r.stop()
        if server:
            code = server.stop()
            if code != 0:
                problems.append(f"server did not exit cleanly on SIGTERM (exit code {code})")
    if problems:
        if server:
            print(f"--- server log ({server.log_path})\n{tail(server.log_path, 80)}", flush=True)
        print(f"FAILED {args.case}:\n  " + "\n  ".join(problems) + f"\n(files kept in {workdir})", flush=True)
        return 1
    if args.keep:
        print(f"files kept in {workdir}", flush=True)
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"PASSED {args.case}", flush=True)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("case", choices=sorted(CASES))
    parser.add_argument("--server", required=True, help="callwire binary, or callwire_test_uas for uas_* cases")
    parser.add_argument("--sipp", default="sipp")
    parser.add_argument("--openssl", default="openssl")
    parser.add_argument("--keep", action="store_true", help="keep the logs and traces of a passing run")
    args = parser.parse_args()
    # A TERM from ctest still runs the cleanup in run()'s finally.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
