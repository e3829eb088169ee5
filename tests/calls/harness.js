'use strict';
// What the inbound-call tests drive: `callwire serve` as a child process on
// free loopback ports, the REST API, a webhook app that records every request
// and checks its X-Twilio-Signature with the official twilio library, SIPp
// runs from templated scenarios, and a tiny raw-UDP UAC for requests SIPp
// cannot craft (a chosen nonce, a replayed nonce-count).
// Children run under `setpriv --pdeathsig` so they die with this process
// (e.g. a ctest timeout) and are otherwise stopped by PID.
const { spawn, spawnSync } = require('node:child_process');
const { EventEmitter } = require('node:events');
const crypto = require('node:crypto');
const dgram = require('node:dgram');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const twilio = require('twilio');

const HERE = __dirname;
const SCENARIOS = path.join(HERE, 'scenarios');
const READY_TIMEOUT_MS = 20000;
const STOP_TIMEOUT_MS = 10000;

const children = new Set();
function killChildren() {
  for (const c of children) {
    try { process.kill(c.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
}
process.on('exit', killChildren);
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => { killChildren(); process.exit(143); });
}

function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }
// A deadline for Promise.race that does not keep the process alive once the race is won.
function deadline(ms, value) { return new Promise((r) => setTimeout(() => r(value), ms).unref()); }

// Waits for `probe()` to be truthy, polling every `every` ms up to `ms`.
async function until(probe, ms, what, every = 25) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(every);
  }
}

function bindOk(sock, port, host) {
  return new Promise((resolve) => {
    sock.once('error', () => resolve(false));
    if (sock instanceof net.Server) sock.listen(port, host, () => resolve(true));
    else sock.bind(port, host, () => resolve(true));
  });
}

// A port free on `host` for both TCP and UDP right now.
async function freePort(host = '127.0.0.1') {
  for (let i = 0; i < 50; i++) {
    const t = net.createServer();
    await bindOk(t, 0, host);
    const port = t.address().port;
    const u = dgram.createSocket('udp4');
    const ok = await bindOk(u, port, host);
    u.close();
    await new Promise((r) => t.close(r));
    if (ok) return port;
  }
  throw new Error('no free port');
}

// A UDP port p with p..p+3 free: SIPp's media echo binds audio at -mp and video at -mp+2 (RTCP +1).
async function freeMediaPorts(host) {
  for (let i = 0; i < 50; i++) {
    const socks = [];
    try {
      const first = dgram.createSocket('udp4');
      socks.push(first);
      if (!(await bindOk(first, 0, host))) continue;
      const p = first.address().port;
      if (p > 65530) continue;
      let ok = true;
      for (let k = 1; k <= 3 && ok; k++) {
        const s = dgram.createSocket('udp4');
        socks.push(s);
        ok = await bindOk(s, p + k, host);
      }
      if (ok) return p;
    } finally {
      for (const s of socks) { try { s.close(); } catch { /* never bound */ } }
    }
  }
  throw new Error('no free media ports');
}

function tail(file, lines = 60) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(missing)';
  }
}

function spawnChild(argv, opts) {
  const child = spawn('setpriv', ['--pdeathsig', 'SIGKILL', '--', ...argv], opts);
  children.add(child);
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => {
    children.delete(child);
    resolve(code ?? signal);
  }));
  return child;
}

// ---------------------------------------------------------------------------
// callwire serve

class Callwire {
  constructor({ bin, workdir, name, flags = [], sid, token }) {
    Object.assign(this, { bin, workdir, name, flags, sid, token });
    this.dataDir = path.join(workdir, `${name}-var`);
    this.logPath = path.join(workdir, `${name}.log`);
  }

  async start(extraFlags = []) {
    for (let attempt = 0; attempt < 3; attempt++) {
      this.sipPort = await freePort();
      this.httpPort = await freePort();
      const log = fs.openSync(this.logPath, 'a');
      const argv = [this.bin, 'serve', '--sip-listen', `127.0.0.1:${this.sipPort}`,
        '--http-listen', `127.0.0.1:${this.httpPort}`, '--data', this.dataDir, '--log-level', 'debug',
        ...this.flags, ...extraFlags];
      fs.writeSync(log, `+ ${argv.join(' ')}\n`);
      this.proc = spawnChild(argv, {
        stdio: ['ignore', log, log],
        env: { ...process.env, CALLWIRE_ACCOUNT_SID: this.sid, CALLWIRE_AUTH_TOKEN: this.token },
      });
      fs.closeSync(log);
      try {
        await until(async () => {
          if (this.proc.exitCode !== null || this.proc.signalCode !== null) {
            throw new Error(`callwire exited (${this.proc.exitCode ?? this.proc.signalCode}) before it was ready`);
          }
          return (await this.httpReady()) && (await optionsProbe(this.sipPort));
        }, READY_TIMEOUT_MS, 'callwire to answer HTTP and SIP OPTIONS', 50);
        this.base = `http://127.0.0.1:${this.httpPort}`;
        return;
      } catch (e) {
        await this.stop();
        if (attempt === 2 || !/in use/i.test(tail(this.logPath, 20))) {
          throw new Error(`${e.message}\n--- ${this.logPath}\n${tail(this.logPath)}`);
        }
      }
    }
  }

  async httpReady() {
    try {
      const r = await fetch(`http://127.0.0.1:${this.httpPort}/2010-04-01/Accounts/${this.sid}.json`,
        { headers: { Authorization: this.basic() }, signal: AbortSignal.timeout(1000) });
      return r.status === 200;
    } catch {
      return false;
    }
  }

  basic() { return 'Basic ' + Buffer.from(`${this.sid}:${this.token}`).toString('base64'); }

  // REST call with Basic auth; form-encoded body for POST. Returns {status, body}.
  async api(method, urlPath, form) {
    const url = urlPath.startsWith('/') ? this.base + urlPath
      : `${this.base}/2010-04-01/Accounts/${this.sid}/${urlPath}`;
    const init = { method, headers: { Authorization: this.basic() }, signal: AbortSignal.timeout(10000) };
    if (form) {
      init.body = new URLSearchParams(form).toString();
      init.headers['Content-Type'] = 'application/x-www-form-urlencoded';
    }
    const r = await fetch(url, init);
    const text = await r.text();
    let body = text;
    try { body = JSON.parse(text); } catch { /* not JSON (e.g. /metrics) */ }
    return { status: r.status, body, text };
  }

  async create(urlPath, form) {
    const r = await this.api('POST', urlPath, form);
    if (r.status !== 201 && r.status !== 200) throw new Error(`POST ${urlPath} → ${r.status} ${r.text}`);
    return r.body;
  }

  alive() { return this.proc && this.proc.exitCode === null && this.proc.signalCode === null; }

  // SIGTERM by PID; resolves to the exit code (or 'killed' when it had to be).
  async stop() {
    if (!this.proc) return 0;
    const proc = this.proc;
    this.proc = null;
    if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode ?? proc.signalCode;
    process.kill(proc.pid, 'SIGTERM');
    const code = await Promise.race([proc.exited, deadline(STOP_TIMEOUT_MS, 'timeout')]);
    if (code === 'timeout') {
      process.kill(proc.pid, 'SIGKILL');
      await proc.exited;
      return 'killed';
    }
    return code;
  }
}

// ---------------------------------------------------------------------------
// Raw UDP SIP, for the readiness probe and hand-built requests.

function parseSip(buf) {
  const text = buf.toString('latin1');
  const [head] = text.split('\r\n\r\n');
  const lines = head.split('\r\n');
  const headers = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const k = line.slice(0, i).trim().toLowerCase();
    (headers[k] ||= []).push(line.slice(i + 1).trim());
  }
  const m = /^SIP\/2\.0 (\d{3})/.exec(lines[0]);
  return { text, first: lines[0], status: m ? Number(m[1]) : null, headers, h: (k) => (headers[k] || [])[0] };
}

class RawUac {
  constructor(ip = '127.0.0.1') { this.ip = ip; this.received = []; this.events = new EventEmitter(); }

  async open() {
    this.sock = dgram.createSocket('udp4');
    await bindOk(this.sock, 0, this.ip);
    this.port = this.sock.address().port;
    this.sock.on('message', (buf) => {
      const m = parseSip(buf);
      this.received.push(m);
      this.events.emit('message', m);
    });
    return this;
  }

  close() { this.sock.close(); }

  send(text, port) {
    return new Promise((resolve, reject) => this.sock.send(Buffer.from(text, 'latin1'), port, '127.0.0.1',
      (e) => (e ? reject(e) : resolve())));
  }

  // Sends an INVITE and collects the answers to it until a final one (ACKed
  // when non-2xx) or `waitMs`. Returns {final, all}.
  async invite({ port, ruri, callId = crypto.randomUUID(), cseq = 1, headers = [], waitMs = 3000 }) {
    const branch = 'z9hG4bK' + crypto.randomBytes(8).toString('hex');
    const tag = crypto.randomBytes(4).toString('hex');
    const sdp = 'v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n';
    const common = [`Via: SIP/2.0/UDP ${this.ip}:${this.port};branch=${branch};rport`, 'Max-Forwards: 70',
      `From: <sip:+15550001111@${this.ip}>;tag=${tag}`];
    const msg = [`INVITE ${ruri} SIP/2.0`, ...common, `To: <${ruri}>`, `Call-ID: ${callId}`, `CSeq: ${cseq} INVITE`,
      `Contact: <sip:pbx@${this.ip}:${this.port}>`, 'User-Agent: callwire-calls-test', ...headers,
      'Content-Type: application/sdp', `Content-Length: ${sdp.length}`, '', sdp].join('\r\n');
    const all = [];
    const final = await new Promise((resolve) => {
      const timer = setTimeout(() => { this.events.off('message', on); resolve(null); }, waitMs);
      const on = (m) => {
        if (m.h('call-id') !== callId) return;
        all.push(m);
        if (m.status >= 200) { clearTimeout(timer); this.events.off('message', on); resolve(m); }
      };
      this.events.on('message', on);
      this.send(msg, port);
    });
    if (final && final.status >= 300) {
      await this.send([`ACK ${ruri} SIP/2.0`, ...common, `To: ${final.h('to')}`, `Call-ID: ${callId}`,
        `CSeq: ${cseq} ACK`, 'Content-Length: 0', '', ''].join('\r\n'), port);
    }
    return { final, all, callId };
  }
}

async function optionsProbe(port) {
  const uac = await new RawUac().open();
  try {
    const callId = crypto.randomUUID();
    const got = new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), 300);
      uac.events.on('message', (m) => { if (m.h('call-id') === callId) { clearTimeout(timer); resolve(true); } });
    });
    await uac.send([`OPTIONS sip:127.0.0.1:${port} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${uac.port};branch=z9hG4bK${callId.slice(0, 8)};rport`, 'Max-Forwards: 70',
      `From: <sip:probe@127.0.0.1>;tag=${callId.slice(0, 8)}`, `To: <sip:127.0.0.1:${port}>`, `Call-ID: ${callId}`,
      'CSeq: 1 OPTIONS', 'Content-Length: 0', '', ''].join('\r\n'), port);
    return await got;
  } finally {
    uac.close();
  }
}

// Digest (RFC 2617, MD5, qop=auth) for a Proxy-Authenticate challenge.
function parseChallenge(value) {
  const out = { scheme: value.split(/\s/)[0] };
  for (const m of value.matchAll(/(\w+)=("([^"]*)"|[^,\s]+)/g)) out[m[1].toLowerCase()] = m[3] ?? m[2];
  return out;
}

function md5(s) { return crypto.createHash('md5').update(s).digest('hex'); }

function digestHeader({ challenge, username, password, uri, nc = 1, cnonce = 'c0ffee01', method = 'INVITE' }) {
  const ncs = nc.toString(16).padStart(8, '0');
  const ha1 = md5(`${username}:${challenge.realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const response = md5(`${ha1}:${challenge.nonce}:${ncs}:${cnonce}:auth:${ha2}`);
  return `Proxy-Authorization: Digest username="${username}", realm="${challenge.realm}", nonce="${challenge.nonce}", ` +
    `uri="${uri}", response="${response}", algorithm=MD5, cnonce="${cnonce}", opaque="${challenge.opaque}", ` +
    `qop=auth, nc=${ncs}`;
}

// ---------------------------------------------------------------------------
// The customer's web app.

const TWIML = {
  busy: '<Response><Reject reason="busy"/></Response>',
  reject: '<Response><Reject/></Response>',
  redirect: '<Response><Redirect>next</Redirect></Response>',
  hangup: '<Response><Hangup/></Response>',
  // <Say> answers the call.
  say_pause_hangup: '<Response><Say>x</Say><Pause length="2"/><Hangup/></Response>',
  say_long: '<Response><Say>x</Say><Pause length="30"/></Response>',
  // <Play> of the app's own WAV (relative URL), twice.
  play_tone: '<Response><Play loop="2">/media/tone.wav</Play></Response>',
  play_missing: '<Response><Play>/media/missing.wav</Play><Say>Still here</Say></Response>',
  badxml: '<Response><Reject reason="busy"></Response>',
};

// A mono 8 kHz PCM16 WAV: a sine of `hz` for `ms` milliseconds at -6 dBFS.
function toneWav(hz, ms) {
  const n = Math.round(8 * ms);
  const buf = Buffer.alloc(44 + 2 * n);
  buf.write('RIFF', 0); buf.writeUInt32LE(36 + 2 * n, 4); buf.write('WAVE', 8);
  buf.write('fmt ', 12); buf.writeUInt32LE(16, 16); buf.writeUInt16LE(1, 20); buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(8000, 24); buf.writeUInt32LE(16000, 28); buf.writeUInt16LE(2, 32); buf.writeUInt16LE(16, 34);
  buf.write('data', 36); buf.writeUInt32LE(2 * n, 40);
  for (let i = 0; i < n; i++) buf.writeInt16LE(Math.round(16384 * Math.sin(2 * Math.PI * hz * i / 8000)), 44 + 2 * i);
  return buf;
}

// Requests are recorded with the outcome of twilio.validateRequest. The
// answer to /app/voice is chosen by the call's X-Case header (it arrives as
// SipHeader_X-Case): a TwiML name above, "e500", or "slowN" / "waitN" (answer
// busy after N ms). /app/next and /app/fallback answer busy, /app/status 204.
class WebhookApp {
  constructor(token) {
    this.token = token;
    this.requests = [];
    this.events = new EventEmitter();
    this.custom = {};  // X-Case name → TwiML, set by a test
  }

  async start() {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d) => { body += d; });
      req.on('end', () => this.handle(req, res, body));
    });
    this.server.keepAliveTimeout = 30000;
    await new Promise((r) => this.server.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${this.server.address().port}`;
  }

  stop() {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(r));
  }

  handle(req, res, body) {
    const url = new URL(req.url, this.base);
    const fullUrl = this.base + req.url;
    const params = {};
    const source = req.method === 'POST' ? new URLSearchParams(body) : url.searchParams;
    for (const [k, v] of source) params[k] = k in params ? [].concat(params[k], v) : v;
    const signature = req.headers['x-twilio-signature'];
    const rec = {
      method: req.method, path: url.pathname, fullUrl, headers: req.headers, body, params,
      signatureValid: twilio.validateRequest(this.token, signature || '', fullUrl, req.method === 'POST' ? params : {}),
      // Control: the same request under a wrong token must not validate.
      signatureValidWithWrongToken: twilio.validateRequest('f'.repeat(32), signature || '', fullUrl,
        req.method === 'POST' ? params : {}),
      at: Date.now(), answeredAt: null, clientGone: false,
    };
    res.on('close', () => { if (!res.writableFinished) rec.clientGone = true; });
    this.requests.push(rec);
    this.events.emit('request', rec);

    const reply = (status, type, text) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'Content-Type': type });
      res.end(text, () => { rec.answeredAt = Date.now(); this.events.emit('answered', rec); });
    };
    const xml = (name) => reply(200, 'text/xml', TWIML[name]);
    switch (url.pathname) {
      case '/media/tone.wav':
        res.writeHead(200, { 'Content-Type': 'audio/wav', 'Cache-Control': 'max-age=60' });
        res.end(toneWav(440, 1000), () => { rec.answeredAt = Date.now(); });
        return;
      case '/app/status':
      case '/app/leg-status': reply(204, 'text/plain', ''); return;
      case '/app/dial-action': reply(200, 'text/xml', '<Response><Hangup/></Response>'); return;
      case '/app/next':
      case '/app/fallback': xml('busy'); return;
      case '/app/voice': break;
      default:
        // /app/doc/<name>: the TwiML a test set as custom[name] (screening documents, actions).
        if (url.pathname.startsWith('/app/doc/') && this.custom[url.pathname.slice(9)]) {
          reply(200, 'text/xml', this.custom[url.pathname.slice(9)]);
          return;
        }
        reply(404, 'text/plain', 'no such page');
        return;
    }
    const which = params['SipHeader_X-Case'] || 'busy';
    const delayed = /^(slow|wait)(\d+)$/.exec(which);
    if (delayed) setTimeout(() => xml('busy'), Number(delayed[2]));
    else if (which === 'e500') reply(500, 'text/plain', 'the app broke');
    else if (this.custom[which]) reply(200, 'text/xml', this.custom[which]);
    else if (TWIML[which]) xml(which);
    else reply(400, 'text/plain', `unknown case ${which}`);
  }

  // Requests matching `pred` seen so far.
  find(pred) { return this.requests.filter(pred); }

  // The first request matching `pred`, waiting up to `ms` for it.
  waitFor(pred, ms, what) {
    const found = this.requests.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('request', on);
        reject(new Error(`no webhook request (${what}) within ${ms} ms; seen: ` +
          JSON.stringify(this.requests.map((r) => `${r.method} ${r.path} ${r.params.SipCallId}`))));
      }, ms);
      const on = (r) => {
        if (pred(r)) { clearTimeout(timer); this.events.off('request', on); resolve(r); }
      };
      this.events.on('request', on);
    });
  }
}

// ---------------------------------------------------------------------------
// SIPp

let sippRuns = 0;

// Fills a scenario template: {{headers}} lines become INVITE header lines,
// other {{name}} placeholders take `vars[name]`; every variable assigned by
// an <ereg> is declared used (SIPp refuses unused variables).
function renderScenario(name, vars) {
  // Comments document the placeholders: the rendered copy drops them.
  let xml = fs.readFileSync(path.join(SCENARIOS, name), 'utf8').replace(/<!--[\s\S]*?-->\n?/g, '');
  const headers = (vars.headers || []).map((h) => `      ${h}\n`).join('');
  xml = xml.replace(/^\{\{headers\}\}\n/mg, headers);
  xml = xml.replace(/^\{\{(\w+)\}\}\n/mg, (_, k) => (vars[k] ?? '') + '\n');
  xml = xml.replace(/\{\{(\w+)\}\}/g, (_, k) => {
    if (!(k in vars) && k !== 'headers') throw new Error(`scenario ${name}: no value for {{${k}}}`);
    return String(vars[k] ?? '');
  });
  const assigned = [...xml.matchAll(/assign_to="([^"]+)"/g)].map((m) => m[1]);
  if (assigned.length) {
    xml = xml.replace('</scenario>', `  <Reference variables="${[...new Set(assigned)].join(',')}"/>\n</scenario>`);
  }
  return xml;
}

// SIPp's -trace_msg log → [{dir: 'sent'|'received', msg}].
function traceMessages(file) {
  let text;
  try { text = fs.readFileSync(file, 'latin1'); } catch { return []; }
  const out = [];
  for (const block of text.split('-----------------------------------------------')) {
    // " <date>\nUDP message sent (N bytes):\n\n<msg>" or "... message received [N] bytes :\n\n<msg>"
    const lines = block.split('\n');
    const what = lines[1] || '';
    const dir = what.includes('message received') ? 'received' : what.includes('message sent') ? 'sent' : null;
    if (!dir) continue;
    const msg = lines.slice(2).join('\n').replace(/^\n+/, '').replace(/\r?\n/g, '\r\n');
    out.push({ dir, msg: parseSip(Buffer.from(msg, 'latin1')) });
  }
  return out;
}

// One SIPp call from `scenario` (a template in scenarios/) to `port`.
// Returns {rc, ok, failed, received, sent, callId, files, describe()}.
async function runSipp({ sipp, workdir, port, scenario, vars, ip = '127.0.0.1', timeoutS = 20, args = [] }) {
  const n = ++sippRuns;
  const stem = path.join(workdir, `sipp${n}-${scenario.replace('.xml', '')}`);
  fs.writeFileSync(`${stem}.xml`, renderScenario(scenario, vars));
  const files = { msgs: `${stem}-messages.log`, errors: `${stem}-errors.log`, stats: `${stem}-stats.csv`,
    out: `${stem}-out.log` };
  const argv = [sipp, `127.0.0.1:${port}`, '-sf', `${stem}.xml`, '-t', 'u1', '-i', ip,
    '-p', String(await freePort(ip)), '-mp', String(await freeMediaPorts(ip)), '-m', '1',
    '-timeout', `${timeoutS}s`, '-timeout_error', '-nostdin', '-cid_str', `calls${process.pid}n${n}-%u@%s`,
    '-trace_msg', '-message_file', files.msgs, '-trace_err', '-error_file', files.errors,
    '-trace_stat', '-stf', files.stats, '-fd', '1', ...args];
  const out = fs.openSync(files.out, 'w');
  fs.writeSync(out, `+ ${argv.join(' ')}\n`);
  const child = spawnChild(argv, { stdio: ['ignore', out, out], cwd: workdir });
  fs.closeSync(out);
  const rc = await Promise.race([child.exited, deadline((timeoutS + 15) * 1000, 'timeout')]);
  if (rc === 'timeout') { process.kill(child.pid, 'SIGKILL'); await child.exited; }
  const trace = traceMessages(files.msgs);
  let ok = null;
  let failed = null;
  try {
    const rows = fs.readFileSync(files.stats, 'utf8').trim().split('\n').map((l) => l.split(';'));
    const stats = Object.fromEntries(rows[0].map((k, i) => [k, rows[rows.length - 1][i]]));
    ok = Number(stats['SuccessfulCall(C)']);
    failed = Number(stats['FailedCall(C)']);
  } catch { /* reported as null counters */ }
  const sent = trace.filter((t) => t.dir === 'sent').map((t) => t.msg);
  const received = trace.filter((t) => t.dir === 'received').map((t) => t.msg);
  const callId = sent.length ? sent[0].h('call-id') : null;
  return {
    rc, ok, failed, sent, received, callId, files,
    describe() {
      return `sipp rc=${rc} ok=${ok} failed=${failed}\n--- errors\n${tail(files.errors, 20)}\n--- output\n` +
        `${tail(files.out, 15)}\n--- messages\n${tail(files.msgs, 80)}`;
    },
  };
}

// A pcap (Ethernet/IPv4/UDP) of `packets` for SIPp's play_pcap_audio, which
// sends each RTP payload at its capture time to the SDP answer's address.
function writePcap(file, packets) {
  const parts = [];
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0); head.writeUInt16LE(2, 4); head.writeUInt16LE(4, 6);
  head.writeUInt32LE(65535, 16); head.writeUInt32LE(1, 20);
  parts.push(head);
  for (const { at, rtp } of packets) {
    const udpLen = 8 + rtp.length;
    const frame = Buffer.alloc(14 + 20 + 8);
    frame.writeUInt16BE(0x0800, 12);
    frame[14] = 0x45; frame.writeUInt16BE(20 + udpLen, 16); frame[22] = 64; frame[23] = 17;
    frame.set([127, 0, 0, 1], 26); frame.set([127, 0, 0, 1], 30);
    frame.writeUInt16BE(40000, 34); frame.writeUInt16BE(40002, 36); frame.writeUInt16BE(udpLen, 38);
    const rec = Buffer.alloc(16);
    const usec = 1700000000 * 1e6 + at * 1000;
    rec.writeUInt32LE(Math.floor(usec / 1e6), 0); rec.writeUInt32LE(usec % 1e6, 4);
    rec.writeUInt32LE(frame.length + rtp.length, 8); rec.writeUInt32LE(frame.length + rtp.length, 12);
    parts.push(rec, frame, rtp);
  }
  fs.writeFileSync(file, Buffer.concat(parts));
  return file;
}

// A SIPp UAS (a carrier or a SIP endpoint) for one call from `scenario`,
// started before the call that reaches it. Returns {port, result: Promise
// of what runSipp returns, stop()}.
async function startSippServer({ sipp, workdir, scenario, vars, ip = '127.0.0.1', timeoutS = 30, args = [] }) {
  const n = ++sippRuns;
  const stem = path.join(workdir, `sipp${n}-uas-${scenario.replace('.xml', '')}`);
  fs.writeFileSync(`${stem}.xml`, renderScenario(scenario, vars));
  const files = { msgs: `${stem}-messages.log`, errors: `${stem}-errors.log`, stats: `${stem}-stats.csv`,
    out: `${stem}-out.log` };
  const port = await freePort(ip);
  const argv = [sipp, '-sf', `${stem}.xml`, '-t', 'u1', '-i', ip, '-p', String(port),
    '-mp', String(await freeMediaPorts(ip)), '-m', '1', '-timeout', `${timeoutS}s`, '-timeout_error', '-nostdin',
    '-trace_msg', '-message_file', files.msgs, '-trace_err', '-error_file', files.errors,
    '-trace_stat', '-stf', files.stats, '-fd', '1', ...args];
  const out = fs.openSync(files.out, 'w');
  fs.writeSync(out, `+ ${argv.join(' ')}\n`);
  const child = spawnChild(argv, { stdio: ['ignore', out, out], cwd: workdir });
  fs.closeSync(out);
  const result = (async () => {
    const rc = await Promise.race([child.exited, deadline((timeoutS + 15) * 1000, 'timeout')]);
    if (rc === 'timeout') { process.kill(child.pid, 'SIGKILL'); await child.exited; }
    const trace = traceMessages(files.msgs);
    let ok = null;
    let failed = null;
    try {
      const rows = fs.readFileSync(files.stats, 'utf8').trim().split('\n').map((l) => l.split(';'));
      const stats = Object.fromEntries(rows[0].map((k, i) => [k, rows[rows.length - 1][i]]));
      ok = Number(stats['SuccessfulCall(C)']);
      failed = Number(stats['FailedCall(C)']);
    } catch { /* reported as null counters */ }
    const sent = trace.filter((t) => t.dir === 'sent').map((t) => t.msg);
    const received = trace.filter((t) => t.dir === 'received').map((t) => t.msg);
    return {
      rc, ok, failed, sent, received, files,
      describe() {
        return `sipp uas rc=${rc} ok=${ok} failed=${failed}\n--- errors\n${tail(files.errors, 20)}\n--- output\n` +
          `${tail(files.out, 15)}\n--- messages\n${tail(files.msgs, 80)}`;
      },
    };
  })();
  // SIPp binds its port before reading the scenario's first message.
  await sleep(150);
  return {
    port,
    result,
    stop() { if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGTERM'); },
  };
}

module.exports = {
  Callwire, WebhookApp, RawUac, runSipp, startSippServer, parseChallenge, digestHeader, until, sleep, tail, freePort,
  writePcap,
};
