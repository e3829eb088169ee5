'use strict';
// Starts the real `callwire serve` for a test: temp --data dir, SIP on an
// ephemeral loopback port, the REST API on another (read from its log), fixed main
// account credentials. stop() ends exactly the process it started, by PID.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const ACCOUNT_SID = 'AC' + '0c0ffee0'.repeat(4);
const AUTH_TOKEN = '5ec2e7'.repeat(5) + '42';

function binary() {
  const bin = process.env.CALLWIRE_BIN;
  if (!bin) throw new Error('CALLWIRE_BIN must name the callwire binary');
  if (!fs.existsSync(bin)) throw new Error(`CALLWIRE_BIN=${bin} does not exist`);
  return bin;
}

// One GET with a short timeout; resolves with the status, rejects on any
// connection error.
function probe(port) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/2010-04-01/Accounts.json', timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy(new Error('probe timeout')));
    req.on('error', reject);
  });
}

// Unref'd: a pending wait never keeps the test process alive on its own.
const delay = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)).unref());

class Serve {
  constructor(child, dataDir, output) {
    this.child = child;
    this.pid = child.pid;
    this.port = null;
    this.baseUrl = null;
    this.dataDir = dataDir;
    this.output = output;  // stdout+stderr lines so far
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    this.exitInfo = null;
    this.exited.then((info) => { this.exitInfo = info; });
    // If the test process dies first, do not leave the server behind.
    this.onExit = () => { if (!this.exitInfo) { try { process.kill(this.pid, 'SIGKILL'); } catch {} } };
    process.on('exit', this.onExit);
  }

  setPort(port) {
    this.port = port;
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  log() { return this.output.join(''); }

  async stop(timeoutMs = 10000) {
    process.removeListener('exit', this.onExit);
    if (!this.exitInfo) {
      try { process.kill(this.pid, 'SIGTERM'); } catch {}
      const done = await Promise.race([this.exited, delay(timeoutMs).then(() => null)]);
      if (!done) {
        try { process.kill(this.pid, 'SIGKILL'); } catch {}
        await this.exited;
      }
    }
    fs.rmSync(this.dataDir, { recursive: true, force: true });
    return this.exitInfo;
  }
}

// The REST port is bound as 127.0.0.1:0; serve logs the one it got.
const API_LINE = /REST API on http:\/\/127\.0\.0\.1:(\d+)/;

async function startServe(extraArgs = []) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callwire-compat-'));
  const args = ['serve', '--data', dataDir, '--sip-listen', '127.0.0.1:0', '--http-listen', '127.0.0.1:0',
    '--workers', '1', ...extraArgs];
  const env = { ...process.env, CALLWIRE_ACCOUNT_SID: ACCOUNT_SID, CALLWIRE_AUTH_TOKEN: AUTH_TOKEN };
  const child = spawn(binary(), args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  let wake = () => {};
  const onData = (d) => { output.push(d.toString()); wake(); };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const serve = new Serve(child, dataDir, output);

  // Bounded wait for the "REST API on" line, then for the port to answer.
  const deadline = Date.now() + 20000;
  let port = null;
  while (Date.now() < deadline && !serve.exitInfo) {
    const m = API_LINE.exec(serve.log());
    if (m) { port = Number(m[1]); break; }
    await Promise.race([new Promise((r) => { wake = r; }), serve.exited, delay(deadline - Date.now())]);
  }
  if (port !== null) {
    serve.setPort(port);
    let wait = 10;
    while (Date.now() < deadline && !serve.exitInfo) {
      try {
        await probe(port);
        return serve;
      } catch {
        await Promise.race([delay(wait), serve.exited]);
        wait = Math.min(wait * 2, 250);
      }
    }
  }
  const why = serve.exitInfo ? `exited (${JSON.stringify(serve.exitInfo)})` : 'was not ready within 20 s';
  await serve.stop();
  throw new Error(`callwire serve ${why}; output:\n${serve.log()}`);
}

module.exports = { startServe, ACCOUNT_SID, AUTH_TOKEN, binary };
