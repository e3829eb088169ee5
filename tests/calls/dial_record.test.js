'use strict';
// End-to-end test of <Dial record> (run-calls dial_record): SIPp plays the
// caller's PBX and the carrier behind an outbound trunk, a real `callwire
// serve` bridges them and records the bridge. Both legs' RTP goes to the
// test's sockets, which send a different tone from each side (PCMU); the
// recording fetched from the REST API must hold each side's tone on its own
// channel, about as long as the bridge lasted.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const dgram = require('node:dgram');
const path = require('node:path');
const { runSipp, startSippServer, until, sleep } = require('./harness');
const { acmeEnv } = require('./acme_env');

const SIPP = process.env.SIPP_BIN || 'sipp';
const CALLER_ID = '+15005550006';

const { env, check } = acmeEnv('dialrec');

async function rtpSocket() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 42000 + 2 * crypto.randomInt(0, 4000);
    const sock = dgram.createSocket('udp4');
    const bound = await new Promise((resolve) => {
      sock.once('error', () => resolve(false));
      sock.bind(port, '127.0.0.1', () => resolve(true));
    });
    if (!bound) { sock.close(); continue; }
    const ep = { port, sock, packets: 0, peer: null };
    sock.on('message', (m, rinfo) => { ep.packets++; ep.peer = rinfo.port; });
    return ep;
  }
  throw new Error('no free even UDP port for RTP');
}

// G.711 mu-law of one linear sample (ITU-T G.711, as the codec library does).
function ulaw(sample) {
  const BIAS = 0x84;
  let sign = 0;
  let s = sample;
  if (s < 0) { s = -s; sign = 0x80; }
  s = Math.min(s, 32635) + BIAS;
  let exp = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exp > 0; mask >>= 1) exp--;
  const mant = (s >> (exp + 3)) & 0x0f;
  return (~(sign | (exp << 4) | mant)) & 0xff;
}

// Sends a `hz` tone as PCMU from `ep` to callwire's port `to()`, 20 ms a
// packet, until `stop.now` is set.
async function sendTone(ep, to, hz, ssrc, stop) {
  const t0 = Date.now();
  for (let i = 0; !stop.now; i++) {
    const h = Buffer.alloc(12 + 160);
    h[0] = 0x80;
    h[1] = i === 0 ? 0x80 : 0;
    h.writeUInt16BE(i & 0xffff, 2);
    h.writeUInt32BE((i * 160) >>> 0, 4);
    h.writeUInt32BE(ssrc >>> 0, 8);
    for (let k = 0; k < 160; k++) h[12 + k] = ulaw(Math.round(8000 * Math.sin(2 * Math.PI * hz * (i * 160 + k) / 8000)));
    const port = to();
    if (port) ep.sock.send(h, port, '127.0.0.1');
    const wait = t0 + 20 * (i + 1) - Date.now();
    await sleep(Math.max(0, wait));
  }
}

// The channels of a 16-bit PCM WAV.
function readWav(buf) {
  assert.equal(buf.toString('latin1', 0, 4), 'RIFF', 'a WAV file');
  const channels = buf.readUInt16LE(22);
  const rate = buf.readUInt32LE(24);
  let off = 12;
  while (off + 8 <= buf.length) {
    const id = buf.toString('latin1', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    if (id === 'data') {
      const frames = size / (2 * channels);
      const ch = Array.from({ length: channels }, () => new Float64Array(frames));
      for (let i = 0; i < frames; i++)
        for (let c = 0; c < channels; c++) ch[c][i] = buf.readInt16LE(off + 8 + 2 * (i * channels + c));
      return { channels, rate, frames, ch };
    }
    off += 8 + size;
  }
  throw new Error('no data chunk');
}

// Share of the signal's energy at `hz` (Goertzel).
function toneShare(x, hz, rate = 8000) {
  const c = 2 * Math.cos(2 * Math.PI * hz / rate);
  let s1 = 0, s2 = 0, energy = 0;
  for (const v of x) {
    const s = v + c * s1 - s2;
    s2 = s1;
    s1 = s;
    energy += v * v;
  }
  if (energy === 0) return 0;
  return (s1 * s1 + s2 * s2 - c * s1 * s2) / (energy * x.length / 2);
}

describe('dial_record', () => {
  it('<Dial record="record-from-answer-dual">: the action gets RecordingUrl; the WAV has the caller on channel 1 ' +
     'and the callee on channel 2 for the bridged time; the Recording row and status callbacks say so',
  check(async () => {
    const a = await rtpSocket();
    const b = await rtpSocket();
    const ringMs = 500;
    const holdMs = 3500;
    const stop = { now: false };
    let uas = null;
    let t = null;
    try {
      uas = await startSippServer({ sipp: SIPP, workdir: env.workdir, scenario: 'carrier_answer.xml',
        vars: { invite_checks: '', ring_ms: ringMs, bye_wait_ms: 15000, hold_ms: 1500, rtp_port: b.port,
          codec_pt: 0, codec_name: 'PCMU' } });
      t = await env.cw.create('SIP/Trunks.json', { FriendlyName: 'sipp carrier',
        TerminationUri: `sip:127.0.0.1:${uas.port}`, CallerId: CALLER_ID });
      env.app.custom.rec = '<Response><Dial record="record-from-answer-dual" action="/app/dial-action" ' +
        'recordingStatusCallback="/app/leg-status" recordingStatusCallbackEvent="in-progress completed">' +
        '+14155551234</Dial></Response>';
      const ruri = 'sip:+14155550100@acme.sip.localhost';
      const call = runSipp({ sipp: SIPP, workdir: env.workdir, port: env.cw.sipPort, scenario: 'dial_caller.xml',
        vars: { ruri, to: ruri, headers: ['X-Case: rec'], rtp_port: a.port, hold_ms: holdMs, codec_pt: 0,
          codec_name: 'PCMU' }, timeoutS: 30 });
      // The caller is answered at once and hears ringback: its port is known then.
      await until(() => a.peer !== null, 5000, 'ringback RTP toward the caller');
      const sendA = sendTone(a, () => a.peer, 440, 0x1111, stop);
      await until(() => b.peer !== null, 5000, 'the caller\'s audio at the callee');
      const sendB = sendTone(b, () => b.peer, 1000, 0x2222, stop);

      const r = await call;
      stop.now = true;
      await Promise.all([sendA, sendB]);
      assert.ok(r.rc === 0 && r.ok === 1 && r.failed === 0, `the caller SIPp call must succeed\n${r.describe()}`);
      const carrier = await uas.result;
      assert.ok(carrier.rc === 0 && carrier.ok === 1, `the carrier SIPp call must succeed\n${carrier.describe()}`);

      const action = await env.app.waitFor((q) => q.path === '/app/dial-action' && q.params.SipCallId === r.callId,
        15000, 'the Dial action');
      assert.equal(action.signatureValid, true);
      assert.equal(action.params.DialCallStatus, 'completed');
      assert.match(action.params.RecordingSid, /^RE[0-9a-f]{32}$/);
      assert.equal(action.params.RecordingUrl,
        `${env.cw.base}/2010-04-01/Accounts/${env.sid}/Recordings/${action.params.RecordingSid}`);
      const bridged = (holdMs - ringMs) / 1000;
      const reported = Number(action.params.RecordingDuration);
      assert.ok(Math.abs(reported - bridged) <= 1, `RecordingDuration ${reported}, bridged about ${bridged} s`);

      const rec = await env.cw.api('GET', `Recordings/${action.params.RecordingSid}.json`);
      assert.equal(rec.status, 200, rec.text);
      assert.equal(rec.body.status, 'completed');
      assert.equal(rec.body.call_sid, action.params.CallSid);
      assert.equal(Number(rec.body.channels), 2);
      assert.equal(rec.body.source, 'DialVerb');

      const media = await fetch(`${action.params.RecordingUrl}.wav`);
      assert.equal(media.status, 200);
      const wav = readWav(Buffer.from(await media.arrayBuffer()));
      assert.equal(wav.channels, 2);
      assert.equal(wav.rate, 8000);
      const seconds = wav.frames / 8000;
      assert.ok(Math.abs(seconds - bridged) <= 0.6, `the recording lasts ${seconds} s, the bridge about ${bridged} s`);
      // The middle of the call: both sides were talking.
      const mid = (x) => x.subarray(Math.floor(x.length * 0.25), Math.floor(x.length * 0.75));
      const [c1, c2] = [mid(wav.ch[0]), mid(wav.ch[1])];
      assert.ok(toneShare(c1, 440) > 0.8, `channel 1 must be the caller's 440 Hz: ${toneShare(c1, 440)}`);
      assert.ok(toneShare(c1, 1000) < 0.05, `channel 1 must not hold the callee: ${toneShare(c1, 1000)}`);
      assert.ok(toneShare(c2, 1000) > 0.8, `channel 2 must be the callee's 1000 Hz: ${toneShare(c2, 1000)}`);
      assert.ok(toneShare(c2, 440) < 0.05, `channel 2 must not hold the caller: ${toneShare(c2, 440)}`);

      const statuses = await until(() => {
        const s = env.app.find((q) => q.path === '/app/leg-status' && q.params.RecordingSid === action.params.RecordingSid);
        return s.length >= 2 ? s : null;
      }, 5000, 'two recording status callbacks');
      assert.deepEqual(statuses.map((q) => q.params.RecordingStatus), ['in-progress', 'completed']);
      assert.equal(statuses[1].params.RecordingChannels, '2');
      assert.equal(statuses[1].params.RecordingSource, 'DialVerb');
      assert.equal(statuses[1].params.RecordingDuration, action.params.RecordingDuration);
      assert.equal(statuses[1].signatureValid, true);
    } finally {
      stop.now = true;
      if (uas) uas.stop();
      if (t) await env.cw.api('DELETE', `SIP/Trunks/${t.sid}.json`);
      a.sock.close();
      b.sock.close();
    }
  }));
});
