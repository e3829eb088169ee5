'use strict';
// What the <Dial> test files of tests/calls share: a trunk to a SIPp
// carrier, the TwiML a case answers with, the SIPp caller and carrier, the
// checks of webhook requests, and the test's own RTP endpoints (one a leg)
// with RTP packets of a constant level or RFC 4733 keys.
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const dgram = require('node:dgram');
const { runSipp, startSippServer, until, sleep } = require('./harness');

const SIPP = process.env.SIPP_BIN || 'sipp';
const CALLER_ID = '+15005550006';

// The helpers bound to one acmeEnv's `env`; case names start with `prefix`.
function dialKit(env, prefix) {
  let cases = 0;
  // A trunk to a SIPp carrier on `port`; removed again by the returned function.
  async function trunk(port, form = {}) {
    const t = await env.cw.create('SIP/Trunks.json', { FriendlyName: 'sipp carrier',
      TerminationUri: `sip:127.0.0.1:${port}`, CallerId: CALLER_ID, ...form });
    return async () => { await env.cw.api('DELETE', `SIP/Trunks/${t.sid}.json`); };
  }

  // The TwiML the voice webhook answers for this case (X-Case header).
  function twiml(xml) {
    const name = `${prefix}${++cases}`;
    env.app.custom[name] = xml;
    return name;
  }

  function caller(scenario, name, vars) {
    const ruri = 'sip:+14155550100@acme.sip.localhost';
    return runSipp({ sipp: SIPP, workdir: env.workdir, port: env.cw.sipPort, scenario,
      vars: { ruri, to: ruri, headers: [`X-Case: ${name}`], codec_pt: 0, codec_name: 'PCMU', ...vars }, timeoutS: 30 });
  }

  function carrier(scenario, vars) {
    return startSippServer({ sipp: SIPP, workdir: env.workdir, scenario,
      vars: { invite_checks: '', ring_ms: 300, bye_wait_ms: 15000, hold_ms: 1500, codec_pt: 0, codec_name: 'PCMU',
        ...vars } });
  }

  const actionFor = (callId, ms = 15000) => env.app.waitFor(
    (q) => q.path === '/app/dial-action' && q.params.SipCallId === callId, ms, `Dial action for ${callId}`);

  function assertSigned(req) {
    assert.equal(req.signatureValid, true, `twilio.validateRequest rejected ${req.method} ${req.fullUrl}`);
  }

  function assertOk(r, who) {
    assert.ok(r.rc === 0 && r.ok === 1 && r.failed === 0, `the ${who} SIPp call must succeed\n${r.describe()}`);
  }

  async function callResource(sid, wantStatus) {
    let last;
    await until(async () => {
      last = await env.cw.api('GET', `Calls/${sid}.json`);
      return last.status === 200 && last.body.status === wantStatus;
    }, 5000, `Call ${sid} with status ${wantStatus} (last: ${last && last.status} ${last && last.text})`);
    return last.body;
  }
  return { trunk, twiml, caller, carrier, actionFor, assertSigned, assertOk, callResource };
}

// ---------------------------------------------------------------------------
// RTP endpoints of the test: one per leg.

async function rtpSocket() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 42000 + 2 * crypto.randomInt(0, 4000);
    const sock = dgram.createSocket('udp4');
    const bound = await new Promise((resolve) => {
      sock.once('error', () => resolve(false));
      sock.bind(port, '127.0.0.1', () => resolve(true));
    });
    if (!bound) { sock.close(); continue; }
    const ep = { port, sock, packets: [], peer: null, firstAt: null };
    sock.on('message', (m, rinfo) => { ep.packets.push(m); ep.peer = rinfo.port; ep.firstAt ??= Date.now(); });
    return ep;
  }
  throw new Error('no free even UDP port for RTP');
}

// One RTP packet: PCMU (pt 0) filled with `fill`, or an RFC 4733 event.
function rtp({ pt = 0, seq, ts, ssrc, fill = 0xff, event = null, end = false }) {
  const h = Buffer.alloc(12);
  h[0] = 0x80;
  h[1] = pt;
  h.writeUInt16BE(seq & 0xffff, 2);
  h.writeUInt32BE(ts >>> 0, 4);
  h.writeUInt32BE(ssrc >>> 0, 8);
  if (event === null) return Buffer.concat([h, Buffer.alloc(160, fill)]);
  const p = Buffer.alloc(4);
  p[0] = event;
  p[1] = (end ? 0x80 : 0) | 10;
  p.writeUInt16BE(800, 2);
  return Buffer.concat([h, p]);
}

// Sends `count` packets 20 ms apart from `ep` to callwire's port `to`.
async function sendAudio(ep, to, fill, count, ssrc, pt = 0) {
  for (let i = 0; i < count; i++) {
    ep.sock.send(rtp({ pt, seq: i, ts: i * 160, ssrc, fill }), to, '127.0.0.1');
    await sleep(20);
  }
}

// Packets of payload type `pt` whose 160 payload bytes are all one value (a
// constant signal, relayed or transcoded), and that value.
function constantPayloads(ep, pt) {
  const found = ep.packets.filter((m) => m.length === 172 && (m[1] & 0x7f) === pt &&
    m.subarray(12).every((b) => b === m[12]));
  return { count: found.length, values: [...new Set(found.map((m) => m[12]))] };
}

const payloadsOf = (ep, pt, fill) => ep.packets.filter((m) => m.length === 172 && (m[1] & 0x7f) === pt &&
  m.subarray(12).every((b) => b === fill)).length;

module.exports = { dialKit, rtpSocket, rtp, sendAudio, constantPayloads, payloadsOf, CALLER_ID, SIPP };
