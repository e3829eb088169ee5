#!/usr/bin/env python3
"""A real softphone calls callwire: baresip, headless, hears what callwire says.

    baresip_call.py CASE --callwire BIN [--baresip BIN] [--keep]

Every case starts `callwire serve` on free loopback ports with a temporary
data folder, and baresip with a generated config folder: no audio device
(`aufile` plays a quiet WAV as the microphone, `aubridge` stands in for the
speaker, `sndfile` writes what baresip decodes to a WAV). baresip dials
through callwire as its outbound proxy and registers nothing (regint=0). The
test waits for callwire's BYE, then checks the recorded WAV is speech-like:
length within bounds, loud 20 ms frames (RMS well above silence) for a good
part of the expected speech, and frames far below the typical loud one
between syllables (a tone or noise has none).

  say     a domain whose IP ACL admits 127.0.0.1 and whose Voice URL is
          callwire's message twimlet (<Say> the congratulations, then the end
          of the document hangs up); the Call resource ends completed.
  demo    `serve --demo` and the README's command lines: /uanew with the
          printed password (digest challenge and IP ACL), /dial.
  gather  a local webhook app answers <Gather numDigits="3"><Say>…; baresip
          presses 3, 8, 5 (RFC 4733, through its ctrl_tcp module); the action
          must get Digits=385 and its <Say> must be heard.
  dial    a two-party call: baresip A calls the domain, whose app answers
          <Dial><Sip> to a second baresip B (auto-answer); each microphone is
          a tone (A 440 Hz, B 1000 Hz). A hangs up after a few seconds; each
          side must have heard the other's tone (dominant frequency of its
          loud frames), and the Dial action must say completed.

Children run under `setpriv --pdeathsig SIGKILL` and are stopped by PID on
every exit path; every wait has a deadline.
"""
import argparse
import array
import base64
import glob
import http.server
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import wave

HOST = "127.0.0.1"
DOMAIN = "phone.sip.localhost"
MESSAGE = "Congratulations! You just made your first call with callwire SIP."
READY_TIMEOUT_S = 20
CALL_TIMEOUT_S = 40
STOP_TIMEOUT_S = 10
FRAME = 160  # 20 ms at 8 kHz
LOUD_RMS = 500  # about -36 dBFS; silence decodes to 0..8


class Failure(Exception):
    pass


class Children:
    def __init__(self):
        self.procs = []

    def start(self, argv, log_path, **kw):
        log = open(log_path, "ab")
        log.write(("+ " + " ".join(argv) + "\n").encode())
        log.flush()
        proc = subprocess.Popen(["setpriv", "--pdeathsig", "SIGKILL", "--"] + argv, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, **kw)
        log.close()
        self.procs.append(proc)
        return proc

    def stop(self, proc):
        """SIGTERM by PID, SIGKILL after STOP_TIMEOUT_S; returns the exit status."""
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(STOP_TIMEOUT_S)
        if proc in self.procs:
            self.procs.remove(proc)
        return proc.returncode

    def stop_all(self):
        for proc in reversed(list(self.procs)):
            try:
                self.stop(proc)
            except Exception as e:  # keep stopping the others
                print(f"could not stop pid {proc.pid}: {e}", file=sys.stderr)


CHILDREN = Children()


def tail(path, lines=40):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return "(missing)"


def free_port(udp_too=True):
    for _ in range(50):
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        t.bind((HOST, 0))
        port = t.getsockname()[1]
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            if udp_too:
                u.bind((HOST, port))
            return port
        except OSError:
            continue
        finally:
            u.close()
            t.close()
    raise Failure("no free loopback port")


def free_sip_port():
    """A port for baresip's sip_listen: UDP and TCP on it and TCP on the next
    one (its SIP/TLS transport) must be free. Drawn below the kernel's
    ephemeral range, so connections made by tests running alongside cannot
    take it between this check and baresip's bind."""
    for _ in range(200):
        port = random.randrange(22000, 29998)
        socks = []
        try:
            for p, kind in ((port, socket.SOCK_STREAM), (port, socket.SOCK_DGRAM), (port + 1, socket.SOCK_STREAM)):
                s = socket.socket(socket.AF_INET, kind)
                socks.append(s)
                s.bind((HOST, p))
            return port
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise Failure("no free loopback port pair for baresip")


def until(what, check, timeout, proc=None, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise Failure(f"{what}: process exited with {proc.returncode}\n{tail(log) if log else ''}")
        value = check()
        if value:
            return value
        time.sleep(0.05)  # polling interval, bounded by the deadline
    raise Failure(f"timed out after {timeout} s waiting for {what}\n{tail(log) if log else ''}")


# --- callwire -------------------------------------------------------------------

class Callwire:
    def __init__(self, binary, workdir, flags=()):
        self.sid, self.token = "AC" + secrets.token_hex(16), secrets.token_hex(16)
        self.sip_port, self.http_port = free_port(), free_port(False)
        self.log = os.path.join(workdir, "callwire.log")
        env = dict(os.environ, CALLWIRE_ACCOUNT_SID=self.sid, CALLWIRE_AUTH_TOKEN=self.token)
        self.proc = CHILDREN.start([binary, "serve", "--sip-listen", f"{HOST}:{self.sip_port}",
                                    "--http-listen", f"{HOST}:{self.http_port}", "--data",
                                    os.path.join(workdir, "var"), "--sip-domain-base", "localhost",
                                    "--media-address", HOST, "--log-level", "debug", *flags], self.log, env=env)
        until("callwire's REST API", self.ready, READY_TIMEOUT_S, self.proc, self.log)

    def url(self, path):
        return f"http://{HOST}:{self.http_port}{path}"

    def request(self, path, fields=None):
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        req = urllib.request.Request(self.url(path), data=data)
        req.add_header("Authorization", "Basic " + base64.b64encode(f"{self.sid}:{self.token}".encode()).decode())
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read() or b"{}")

    def ready(self):
        try:
            return self.request(f"/2010-04-01/Accounts/{self.sid}.json") is not None
        except (OSError, urllib.error.URLError):
            return False

    def create(self, path, fields):
        try:
            return self.request(f"/2010-04-01/Accounts/{self.sid}{path}", fields)
        except urllib.error.HTTPError as e:
            raise Failure(f"POST {path}: {e.code} {e.read()[:300]!r}")

    def domain_with_acl(self, voice_url):
        domain = self.create("/SIP/Domains.json", {"DomainName": DOMAIN, "VoiceUrl": voice_url, "VoiceMethod": "GET"})
        acl = self.create("/SIP/IpAccessControlLists.json", {"FriendlyName": "loopback"})
        self.create(f"/SIP/IpAccessControlLists/{acl['sid']}/IpAddresses.json",
                    {"FriendlyName": "me", "IpAddress": HOST, "CidrPrefixLength": "32"})
        self.create(f"/SIP/Domains/{domain['sid']}/Auth/Calls/IpAccessControlListMappings.json",
                    {"IpAccessControlListSid": acl["sid"]})
        return domain


# --- baresip --------------------------------------------------------------------

def write_quiet_wav(path, seconds, hz=300, amplitude=60):
    """The microphone: 8 kHz mono S16LE, a faint 300 Hz hum by default (aufile wants S16LE at the codec's rate)."""
    n = 8000 * seconds
    samples = array.array("h", (int(amplitude * math.sin(2 * math.pi * hz * i / 8000)) for i in range(n)))
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(samples.tobytes())


def baresip_config(confdir, sip_port, record_dir, mic_wav, accounts, ctrl_port=None):
    os.makedirs(confdir)
    with open(os.path.join(confdir, "config"), "w") as f:
        f.write(f"""poll_method epoll
sip_listen {HOST}:{sip_port}
net_interface {HOST}
audio_player aubridge,speaker
audio_alert aubridge,speaker
audio_source aufile,{mic_wav}
rtp_ports 40000-59999
snd_path {record_dir}
module_path /usr/lib/baresip/modules
module g711.so
module aufile.so
module aubridge.so
module sndfile.so
module_app account.so
module_app menu.so
""")
        if ctrl_port:
            f.write(f"module_app ctrl_tcp.so\nctrl_tcp_listen {HOST}:{ctrl_port}\n")
    with open(os.path.join(confdir, "accounts"), "w") as f:
        f.write(accounts)
    # Empty contacts keep baresip from writing its example file.
    open(os.path.join(confdir, "contacts"), "w").close()


def ctrl_command(port, command, params):
    """One command through baresip's ctrl_tcp module (a JSON netstring); returns its response."""
    body = json.dumps({"command": command, "params": params, "token": "t"}).encode()
    with socket.create_connection((HOST, port), timeout=5) as c:
        c.sendall(str(len(body)).encode() + b":" + body + b",")
        data = b""
        while not data.endswith(b","):
            chunk = c.recv(4096)
            if not chunk:
                break
            data += chunk
    return data.decode(errors="replace")


def run_baresip(args, workdir, commands, accounts="", during_call=None):
    """Starts baresip with `commands` (-e), runs `during_call(ctrl_port, record_dir)` once
    the call is established, waits for callwire to end the call, stops
    baresip; returns the decoded recording and baresip's log."""
    confdir = os.path.join(workdir, "baresip")
    record_dir = os.path.join(workdir, "recorded")
    os.makedirs(record_dir)
    mic = os.path.join(workdir, "mic.wav")
    write_quiet_wav(mic, 30)
    ctrl_port = free_port(False) if during_call else None
    baresip_config(confdir, free_sip_port(), record_dir, mic, accounts, ctrl_port)
    log = os.path.join(workdir, "baresip.log")
    argv = [args.baresip, "-f", confdir]
    for c in commands:
        argv += ["-e", c]
    proc = CHILDREN.start(argv, log)
    first = until("baresip to establish the call",
                  lambda: re.search(r"Call established|terminated|closed|failed", tail(log, 200)), CALL_TIMEOUT_S,
                  proc, log)
    if first.group(0) != "Call established":
        raise Failure(f"the call was not established:\n{tail(log)}")
    if during_call:
        during_call(ctrl_port, record_dir)
    # callwire's BYE: "session closed" and "Call ... terminated".
    until("the call to end (callwire's BYE)", lambda: re.search(r"(?i)terminated|session closed", tail(log, 200)),
          CALL_TIMEOUT_S, proc, log)
    CHILDREN.stop(proc)
    wavs = glob.glob(os.path.join(record_dir, "*dec*.wav"))
    if len(wavs) != 1:
        raise Failure(f"expected one decoded recording in {record_dir}, found {os.listdir(record_dir)}\n{tail(log)}")
    return wavs[0], log


class WebhookApp:
    """The customer's app for the gather case: /voice answers a <Gather>,
    /gathered records the Digits it gets and says them back, then hangs up."""
    VOICE = ('<Response><Gather input="dtmf" numDigits="3" timeout="10" action="/gathered">'
             '<Say>Please enter three digits.</Say></Gather><Say>We did not get your digits.</Say></Response>')

    def __init__(self):
        app = self
        self.requests = []
        self.voice = WebhookApp.VOICE

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                params = urllib.parse.parse_qs(self.rfile.read(length).decode())
                app.requests.append((self.path.split("?")[0], {k: v[0] for k, v in params.items()}))
                if self.path.startswith("/voice"):
                    body = app.voice
                elif self.path.startswith("/dialed"):
                    body = "<Response><Hangup/></Response>"
                elif self.path.startswith("/gathered"):
                    digits = " ".join(params.get("Digits", ["none"])[0])
                    body = f"<Response><Say>You pressed {digits}.</Say><Hangup/></Response>"
                else:
                    self.send_error(404)
                    return
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer((HOST, 0), Handler)
        self.url = f"http://{HOST}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


# --- the audio check -------------------------------------------------------------

def heard_seconds(record_dir):
    """Loud audio in the decoded recording baresip is still writing (raw samples after the header)."""
    wavs = glob.glob(os.path.join(record_dir, "*dec*.wav"))
    if not wavs:
        return 0.0
    with open(wavs[0], "rb") as f:
        raw = f.read()[44:]
    pcm = array.array("h", raw[:len(raw) // 2 * 2])
    loud = 0
    for i in range(0, len(pcm) - FRAME + 1, FRAME):
        chunk = pcm[i:i + FRAME]
        loud += math.sqrt(sum(x * x for x in chunk) / FRAME) >= LOUD_RMS
    return loud * 0.02


def frame_rms(path):
    with wave.open(path, "rb") as w:
        if w.getsampwidth() != 2:
            raise Failure(f"{path}: {w.getsampwidth() * 8}-bit samples, expected 16")
        rate, channels = w.getframerate(), w.getnchannels()
        pcm = array.array("h", w.readframes(w.getnframes()))
    if sys.byteorder != "little":
        pcm.byteswap()
    mono = pcm[::channels]
    frame = rate // 50
    out = []
    for i in range(0, len(mono) - frame + 1, frame):
        chunk = mono[i:i + frame]
        out.append(math.sqrt(sum(s * s for s in chunk) / frame))
    return out, len(mono) / rate


def check_speech(path, min_seconds, max_seconds, min_loud_seconds):
    """Speech, not silence, a tone or noise: long enough, loud for a good part,
    and deeply modulated (syllables and pauses: frames far below the typical
    loud frame, and a frame RMS that varies a lot)."""
    rms, seconds = frame_rms(path)
    loud_frames = sorted(r for r in rms if r >= LOUD_RMS)
    loud_s = len(loud_frames) * 0.02
    first = next((i for i, r in enumerate(rms) if r >= LOUD_RMS), 0)
    last = max((i for i, r in enumerate(rms) if r >= LOUD_RMS), default=0)
    region = rms[first:last + 1]
    typical = loud_frames[len(loud_frames) // 2] if loud_frames else 0
    dips = sum(1 for r in region if r < typical / 4)
    mean = sum(region) / len(region) if region else 0
    spread = math.sqrt(sum((r - mean) ** 2 for r in region) / len(region)) / mean if mean else 0
    summary = (f"{os.path.basename(path)}: {seconds:.2f} s, frames with RMS >= {LOUD_RMS}: {loud_s:.2f} s "
               f"(median RMS {typical:.0f}), {dips} frames under a quarter of it inside the speech, "
               f"RMS variation {spread:.2f}")
    print(summary, flush=True)
    problems = []
    if not min_seconds <= seconds <= max_seconds:
        problems.append(f"length {seconds:.2f} s outside [{min_seconds}, {max_seconds}]")
    if loud_s < min_loud_seconds:
        problems.append(f"only {loud_s:.2f} s of frames with RMS >= {LOUD_RMS} (need {min_loud_seconds})")
    if dips < 5 or spread < 0.3:
        problems.append("too steady for speech (a tone or noise?)")
    if problems:
        raise Failure(summary + "\n  " + "\n  ".join(problems))


# --- cases ------------------------------------------------------------------------

def case_say(args, workdir):
    callwire = Callwire(args.callwire, workdir)
    twimlet = callwire.url("/twimlets/message?" + urllib.parse.urlencode({"Message[0]": MESSAGE}))
    callwire.domain_with_acl(twimlet)
    # The account registers nothing (regint=0) and sends every request to
    # callwire (outbound proxy); callwire admits it by the IP ACL.
    account = (f'<sip:baresip@{DOMAIN};transport=udp>;regint=0;outbound="sip:{HOST}:{callwire.sip_port};transport=udp";'
               f"audio_codecs=PCMU\n")
    wav, _ = run_baresip(args, workdir, [f"/dial sip:test@{DOMAIN}"], account)
    # The sentence lasts about 4 s at espeak's default rate.
    check_speech(wav, min_seconds=2.5, max_seconds=15, min_loud_seconds=1.5)
    # The call record is written after the BYE, off the SIP thread.
    calls_json = f"/2010-04-01/Accounts/{callwire.sid}/Calls.json"
    until("the call record to say completed", lambda: [c for c in callwire.request(calls_json)["calls"]
                                                       if c["status"] == "completed"], 10)
    calls = callwire.request(calls_json)["calls"]
    if len(calls) != 1 or int(calls[0]["duration"] or 0) < 2:
        raise Failure(f"expected one completed call of 2 s or more, got {json.dumps(calls)[:600]}")
    code = CHILDREN.stop(callwire.proc)
    if code != 0:
        raise Failure(f"callwire exited with {code}\n{tail(callwire.log)}")


def case_demo(args, workdir):
    """README's demo: `serve --demo` and the baresip command lines the README
    gives (a UA added with /uanew answering the digest challenge, then /dial)."""
    callwire = Callwire(args.callwire, workdir, ["--demo"])
    m = until("the demo account's password in callwire's output",
              lambda: re.search(r"password: (\S+)", tail(callwire.log, 200)), READY_TIMEOUT_S)
    uanew = (f'/uanew <sip:demo@demo.sip.localhost;transport=udp>;auth_pass={m.group(1)};'
             f'outbound="sip:{HOST}:{callwire.sip_port}";regint=0')
    # The demo domain requires the credentials as well as the IP ACL, so an
    # answered call means baresip passed the digest challenge.
    wav, _ = run_baresip(args, workdir, [uanew, "/dial sip:hello@demo.sip.localhost"])
    # "Congratulations! You just made your first call with callwire SIP."
    check_speech(wav, min_seconds=2.5, max_seconds=15, min_loud_seconds=1.5)
    code = CHILDREN.stop(callwire.proc)
    if code != 0:
        raise Failure(f"callwire exited with {code}\n{tail(callwire.log)}")


def case_gather(args, workdir):
    """baresip sends three digits as RFC 4733 events (ctrl_tcp's sndcode,
    one key at a time) while <Gather numDigits="3"> prompts; the action gets
    Digits=385 and its <Say> reaches baresip before the hangup."""
    app = WebhookApp()
    try:
        callwire = Callwire(args.callwire, workdir)
        domain = callwire.domain_with_acl(app.url + "/voice")
        callwire.create(f"/SIP/Domains/{domain['sid']}.json", {"VoiceMethod": "POST"})
        account = (f'<sip:baresip@{DOMAIN};transport=udp>;regint=0;outbound="sip:{HOST}:{callwire.sip_port};'
                   f'transport=udp";audio_codecs=PCMU\n')

        def press(ctrl_port, record_dir):
            # Into the prompt, so <Gather> is listening (and the first key tests barge-in).
            until("the Gather prompt to be heard", lambda: heard_seconds(record_dir) >= 0.4, CALL_TIMEOUT_S)
            for key in "385":
                ctrl_command(ctrl_port, "sndcode", key)
                time.sleep(0.3)  # key-up (sndcode ends each event) before the next key

        wav, log = run_baresip(args, workdir, [f"/dial sip:test@{DOMAIN}"], account, press)
        gathered = [p for path, p in app.requests if path == "/gathered"]
        if len(gathered) != 1 or gathered[0].get("Digits") != "385":
            raise Failure(f"expected one action request with Digits=385, got {app.requests}\n{tail(callwire.log)}")
        # The prompt (cut short by the first key) and "You pressed 3 8 5."
        check_speech(wav, min_seconds=2.0, max_seconds=25, min_loud_seconds=1.0)
        code = CHILDREN.stop(callwire.proc)
        if code != 0:
            raise Failure(f"callwire exited with {code}\n{tail(callwire.log)}")
    finally:
        app.stop()


def dominant_hz(path, from_s=0.0):
    """The frequency of the loud part of a recording, from zero crossings of its loud 20 ms frames."""
    with wave.open(path, "rb") as w:
        rate = w.getframerate()
        pcm = array.array("h", w.readframes(w.getnframes()))[::w.getnchannels()]
    if sys.byteorder != "little":
        pcm.byteswap()
    frame = rate // 50
    crossings = frames = 0
    for i in range(int(from_s * rate), len(pcm) - frame + 1, frame):
        chunk = pcm[i:i + frame]
        if math.sqrt(sum(x * x for x in chunk) / frame) < LOUD_RMS:
            continue
        frames += 1
        crossings += sum(1 for a, b in zip(chunk, chunk[1:]) if (a < 0) != (b < 0))
    return (crossings / (frames * 0.02) / 2 if frames else 0.0), frames * 0.02


def case_dial(args, workdir):
    """Two baresips bridged by <Dial><Sip>: each must hear the other's tone."""
    callee_port = free_sip_port()
    app = WebhookApp()
    app.voice = f'<Response><Dial action="/dialed"><Sip>sip:b@{HOST}:{callee_port}</Sip></Dial></Response>'
    try:
        callwire = Callwire(args.callwire, workdir)
        domain = callwire.domain_with_acl(app.url + "/voice")
        callwire.create(f"/SIP/Domains/{domain['sid']}.json", {"VoiceMethod": "POST"})

        # B: the far end, answering by itself, its microphone a 1000 Hz tone.
        bdir = os.path.join(workdir, "b")
        os.makedirs(bdir)
        b_record = os.path.join(bdir, "recorded")
        os.makedirs(b_record)
        b_mic = os.path.join(bdir, "mic.wav")
        write_quiet_wav(b_mic, 30, hz=1000, amplitude=8000)
        baresip_config(os.path.join(bdir, "conf"), callee_port, b_record, b_mic,
                       f"<sip:b@{HOST};transport=udp>;regint=0;answermode=auto;audio_codecs=PCMU\n")
        b_log = os.path.join(bdir, "baresip.log")
        b = CHILDREN.start([args.baresip, "-f", os.path.join(bdir, "conf")], b_log)
        until("baresip B to listen", lambda: re.search(r"Populated|ua: |baresip is ready", tail(b_log, 200)),
              READY_TIMEOUT_S, b, b_log)

        # A: the caller, its microphone a 440 Hz tone; it hangs up after 4 s of call.
        adir = os.path.join(workdir, "a")
        os.makedirs(adir)
        a_record = os.path.join(adir, "recorded")
        os.makedirs(a_record)
        a_mic = os.path.join(adir, "mic.wav")
        write_quiet_wav(a_mic, 30, hz=440, amplitude=8000)
        ctrl = free_port(False)
        baresip_config(os.path.join(adir, "conf"), free_sip_port(), a_record, a_mic,
                       f'<sip:a@{DOMAIN};transport=udp>;regint=0;outbound="sip:{HOST}:{callwire.sip_port};'
                       f'transport=udp";audio_codecs=PCMU\n', ctrl)
        a_log = os.path.join(adir, "baresip.log")
        a = CHILDREN.start([args.baresip, "-f", os.path.join(adir, "conf"), "-e", f"/dial sip:test@{DOMAIN}"], a_log)
        until("B to answer the bridged call", lambda: re.search(r"Call established", tail(b_log, 200)),
              CALL_TIMEOUT_S, b, b_log)
        time.sleep(4)
        ctrl_command(ctrl, "hangup", "")
        until("B to hear the BYE callwire sends on", lambda: re.search(r"(?i)terminated|session closed",
                                                                        tail(b_log, 200)), CALL_TIMEOUT_S, b, b_log)
        until("the Dial action", lambda: [p for path, p in app.requests if path == "/dialed"], 10)
        CHILDREN.stop(a)
        CHILDREN.stop(b)

        def heard(record_dir):
            wavs = glob.glob(os.path.join(record_dir, "*dec*.wav"))
            if len(wavs) != 1:
                raise Failure(f"expected one decoded recording in {record_dir}, found {os.listdir(record_dir)}")
            return wavs[0]
        # A also heard the ringing tone (440 + 480 Hz) before B answered: its last 2.5 s are B.
        a_wav, b_wav = heard(a_record), heard(b_record)
        _, a_len = frame_rms(a_wav)
        a_hz, a_loud = dominant_hz(a_wav, from_s=max(0.0, a_len - 2.5))
        b_hz, b_loud = dominant_hz(b_wav)
        print(f"A heard {a_hz:.0f} Hz ({a_loud:.1f} s loud), B heard {b_hz:.0f} Hz ({b_loud:.1f} s loud)", flush=True)
        if not (900 <= a_hz <= 1100 and a_loud >= 1.5):
            raise Failure(f"A must hear B's 1000 Hz tone: {a_hz:.0f} Hz over {a_loud:.1f} s\n{tail(callwire.log)}")
        if not (400 <= b_hz <= 480 and b_loud >= 2.5):
            raise Failure(f"B must hear A's 440 Hz tone: {b_hz:.0f} Hz over {b_loud:.1f} s\n{tail(callwire.log)}")
        dialed = [p for path, p in app.requests if path == "/dialed"][0]
        if dialed.get("DialCallStatus") != "completed" or dialed.get("DialBridged") != "true":
            raise Failure(f"the Dial action must say completed and bridged: {dialed}")
        code = CHILDREN.stop(callwire.proc)
        if code != 0:
            raise Failure(f"callwire exited with {code}\n{tail(callwire.log)}")
    finally:
        app.stop()


CASES = {"say": case_say, "demo": case_demo, "gather": case_gather, "dial": case_dial}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("case", choices=sorted(CASES))
    p.add_argument("--callwire", required=True)
    p.add_argument("--baresip", default=shutil.which("baresip") or "baresip")
    p.add_argument("--keep", action="store_true", help="keep the work folder (logs, WAVs)")
    args = p.parse_args()
    for tool in ("setpriv", args.baresip, args.callwire):
        if not shutil.which(tool) and not os.access(tool, os.X_OK):
            raise Failure(f"{tool} not found (scripts/install-deps installs baresip-core)")
    signal.signal(signal.SIGTERM, lambda s, f: (CHILDREN.stop_all(), sys.exit(128 + s)))
    workdir = tempfile.mkdtemp(prefix=f"callwire-baresip-{args.case}-")
    ok = False
    try:
        CASES[args.case](args, workdir)
        ok = True
    finally:
        CHILDREN.stop_all()
        if ok and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"work folder kept: {workdir}", file=sys.stderr)
    print(f"baresip {args.case}: passed")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as e:
        print(f"baresip {sys.argv[1] if len(sys.argv) > 1 else ''}: FAILED: {e}", file=sys.stderr)
        sys.exit(1)
