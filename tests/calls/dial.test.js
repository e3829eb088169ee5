'use strict';
// End-to-end tests of <Dial> (run-calls dial): SIPp plays the caller's PBX
// and, as a second SIPp, the carrier behind an outbound trunk or the SIP
// endpoint of a <Sip> noun; a real `callwire serve` bridges them. The RTP
// of both legs goes to the test's own sockets, so the test sends audio and
// RFC 4733 keys from one side and checks what arrives on the other. The
// web app (harness.js) answers the voice webhook with the TwiML each case
// sets and records the Dial action and the legs' status callbacks, all
// checked against X-Twilio-Signature with the official twilio library.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { until, sleep, writePcap } = require('./harness');
const { acmeEnv } = require('./acme_env');
const { dialKit, rtpSocket, rtp, sendAudio, constantPayloads, payloadsOf, CALLER_ID } = require('./dial_kit');

// ---------------------------------------------------------------------------
// Set-up: one callwire, one web app, domain "acme" open to 127.0.0.1.

const { env, check } = acmeEnv('dial');
const { trunk, twiml, caller, carrier, actionFor, assertSigned, assertOk, callResource } = dialKit(env, 'dial');
let pcaps = 0;

// ---------------------------------------------------------------------------

describe('dial', () => {
  it('<Dial> a number through the trunk: caller ID, ringback, both directions of audio and DTMF cross, ' +
     'caller hangs up, the action and the child Call record tell it', check(async () => {
    const a = await rtpSocket();
    const b = await rtpSocket();
    const uas = await carrier('carrier_answer.xml', { rtp_port: b.port, ring_ms: 800,
      invite_checks: [
        `      <ereg regexp="^ *&lt;sip:\\+14155551234@127.0.0.1:[0-9]+>" search_in="hdr" header="To:" check_it="true" assign_to="to_ok"/>`,
        `      <ereg regexp="sip:\\${CALLER_ID}@" search_in="hdr" header="From:" check_it="true" assign_to="from_ok"/>`,
        '      <ereg regexp="CA[0-9a-f]{32}" search_in="hdr" header="X-Twilio-CallSid:" check_it="true" assign_to="sid_ok"/>',
      ].join('\n') });
    const removeTrunk = await trunk(uas.port);
    try {
      const name = twiml('<Response><Dial action="/app/dial-action" timeout="10">+1 (415) 555-1234</Dial></Response>');
      const call = caller('dial_caller.xml', name, { rtp_port: a.port, hold_ms: 4000 });
      // Ringback reaches the caller before the callee answers; then the legs are joined.
      await until(() => a.peer !== null, 5000, 'ringback RTP toward the caller');
      const callerSide = a.peer;
      await until(() => b.packets.length > 0 || payloadsOf(a, 0, 0xff) >= 0, 3000, 'the callee leg');
      await sleep(900);  // the callee answers after 800 ms
      const sendA = sendAudio(a, callerSide, 0x11, 50, 0x1111);
      await until(() => b.peer !== null && payloadsOf(b, 0, 0x11) > 0, 3000, 'caller audio at the callee');
      await sendAudio(b, b.peer, 0x22, 50, 0x2222);
      await sendA;
      // Keys: an RFC 4733 event from the caller reaches the callee's telephone-event type.
      for (let i = 0; i < 4; i++) {
        a.sock.send(rtp({ pt: 101, seq: 100 + i, ts: 9000, ssrc: 0x1111, event: 5, end: i === 3 }), callerSide, '127.0.0.1');
        await sleep(20);
      }
      await sleep(200);
      assert.ok(payloadsOf(b, 0, 0x11) >= 40, `the callee must hear the caller: ${payloadsOf(b, 0, 0x11)} of 50`);
      assert.ok(payloadsOf(a, 0, 0x22) >= 40, `the caller must hear the callee: ${payloadsOf(a, 0, 0x22)} of 50`);
      const events = b.packets.filter((m) => (m[1] & 0x7f) === 101 && m.length === 16 && m[12] === 5);
      assert.ok(events.length >= 3, `the key must reach the callee as RFC 4733: ${events.length}`);

      const r = await call;
      assertOk(r, 'caller');
      assertOk(await uas.result, 'carrier');
      const action = await actionFor(r.callId);
      assertSigned(action);
      assert.equal(action.params.DialCallStatus, 'completed');
      assert.equal(action.params.DialBridged, 'true');
      assert.match(action.params.DialCallSid, /^CA[0-9a-f]{32}$/);
      assert.ok(Number(action.params.DialCallDuration) >= 2, `DialCallDuration ${action.params.DialCallDuration}`);
      assert.equal(action.params.CallStatus, 'completed');
      const child = await callResource(action.params.DialCallSid, 'completed');
      assert.equal(child.parent_call_sid, action.params.CallSid);
      assert.equal(child.direction, 'outbound-dial');
      assert.equal(child.to, '+14155551234');
      assert.equal(child.from, CALLER_ID);
    } finally {
      uas.stop();
      await removeTrunk();
      a.sock.close();
      b.sock.close();
    }
  }));

  it('transcoding: a PCMA caller bridged to a PCMU-only callee hears it, and the other way round', check(async () => {
    const a = await rtpSocket();
    const b = await rtpSocket();
    const uas = await carrier('carrier_answer.xml', { rtp_port: b.port, ring_ms: 300, codec_pt: 0, codec_name: 'PCMU' });
    try {
      const name = twiml(`<Response><Dial action="/app/dial-action"><Sip>sip:bob@127.0.0.1:${uas.port}</Sip></Dial></Response>`);
      const call = caller('dial_caller.xml', name, { rtp_port: a.port, hold_ms: 3500, codec_pt: 8, codec_name: 'PCMA' });
      await until(() => a.peer !== null, 5000, 'ringback RTP toward the caller');
      await sleep(500);
      // A constant level each way (A-law 0xaa, µ-law 0x9e): the other side gets it re-encoded in its own law.
      const sendA = sendAudio(a, a.peer, 0xaa, 50, 0x7777, 8);
      await until(() => b.peer !== null && constantPayloads(b, 0).count > 0, 3000, 'PCMU at the callee');
      await sendAudio(b, b.peer, 0x9e, 50, 0x8888);
      await sendA;
      await sleep(200);
      const atB = constantPayloads(b, 0);
      const atA = constantPayloads(a, 8);
      assert.ok(atB.count >= 40, `the callee must get the caller's audio as PCMU: ${atB.count}`);
      assert.ok(atA.count >= 40, `the caller must get the callee's audio as PCMA: ${atA.count}`);
      // Transcoded, not copied: the bytes change with the law.
      assert.ok(!atB.values.includes(0xaa) && !atA.values.includes(0x9e),
        `payload bytes must be re-encoded: PCMU ${atB.values} PCMA ${atA.values}`);
      assertOk(await call, 'caller');
      assertOk(await uas.result, 'callee');
      const action = await actionFor((await call).callId);
      assert.equal(action.params.DialCallStatus, 'completed');
    } finally {
      uas.stop();
      a.sock.close();
      b.sock.close();
    }
  }));

  it('busy carrier: 486 → DialCallStatus=busy with DialSipResponseCode for <Sip>, the document goes on',
    check(async () => {
      const uas = await carrier('carrier_final.xml', { status: 486, reason: 'Busy Here' });
      try {
        const name = twiml(`<Response><Dial action="/app/dial-action"><Sip>sip:bob@127.0.0.1:${uas.port}</Sip></Dial></Response>`);
        const r = await caller('dial_caller_wait.xml', name, { rtp_port: 40000, bye_wait_ms: 10000 });
        assertOk(r, 'caller');
        assertOk(await uas.result, 'endpoint');
        const action = await actionFor(r.callId);
        assert.equal(action.params.DialCallStatus, 'busy');
        assert.equal(action.params.DialSipResponseCode, '486');
        assert.equal(action.params['DialSipHeader_X-Carrier-Cause'], 'cause-486');
        assert.ok(action.params.DialSipCallId, 'DialSipCallId');
        assert.equal(action.params.DialBridged, 'false');
      } finally {
        uas.stop();
      }
    }));

  it('no answer: the timeout CANCELs the callee (200 + 487) → no-answer; without action the next verb runs',
    check(async () => {
      const uas = await carrier('carrier_ring.xml', { cancel_wait_ms: 12000 });
      try {
        const name = twiml(`<Response><Dial timeout="5" ><Sip statusCallback="/app/leg-status" ` +
          `statusCallbackEvent="initiated ringing answered completed">sip:bob@127.0.0.1:${uas.port}</Sip></Dial>` +
          '<Redirect>/app/dial-action</Redirect></Response>');
        const started = Date.now();
        const r = await caller('dial_caller_wait.xml', name, { rtp_port: 40000, bye_wait_ms: 15000 });
        assertOk(r, 'caller');
        assertOk(await uas.result, 'endpoint');
        const next = await actionFor(r.callId);  // the Redirect after <Dial>
        assert.ok(next.at - started >= 4500, `the Dial must ring ~5 s, it rang ${next.at - started} ms`);
        const leg = await env.app.waitFor((q) => q.path === '/app/leg-status' && q.params.CallStatus === 'no-answer',
          5000, 'completed leg status callback');
        assertSigned(leg);
        assert.equal(leg.params.ParentCallSid, next.params.CallSid);
        const seen = env.app.find((q) => q.path === '/app/leg-status' && q.params.CallSid === leg.params.CallSid)
          .map((q) => q.params.CallStatus);
        assert.deepEqual(seen, ['initiated', 'ringing', 'no-answer']);
      } finally {
        uas.stop();
      }
    }));

  it('503 from the first trunk fails over to the second', check(async () => {
    const bad = await carrier('carrier_final.xml', { status: 503, reason: 'Service Unavailable' });
    const good = await carrier('carrier_answer_bye.xml', { rtp_port: 40002, hold_ms: 1000 });
    const r1 = await trunk(bad.port, { Priority: '1' });
    const r2 = await trunk(good.port, { Priority: '2' });
    try {
      const name = twiml('<Response><Dial action="/app/dial-action">+14155551234</Dial></Response>');
      const r = await caller('dial_caller_wait.xml', name, { rtp_port: 40000, bye_wait_ms: 15000 });
      assertOk(r, 'caller');
      assertOk(await bad.result, 'first carrier');
      assertOk(await good.result, 'second carrier');
      const action = await actionFor(r.callId);
      assert.equal(action.params.DialCallStatus, 'completed');
      const child = await callResource(action.params.DialCallSid, 'completed');
      assert.ok(child.trunk_sid, 'the child Call names the trunk that carried it');
    } finally {
      bad.stop();
      good.stop();
      await r1();
      await r2();
    }
  }));

  it('carrier digest challenge answered with the trunk credentials', check(async () => {
    const uas = await carrier('carrier_challenge.xml', { user: 'trunkuser', password: 'Trunk-Secret-9', rtp_port: 40002 });
    const removeTrunk = await trunk(uas.port, { Username: 'trunkuser', Password: 'Trunk-Secret-9' });
    try {
      const name = twiml('<Response><Dial action="/app/dial-action" timeLimit="2">+14155551234</Dial></Response>');
      const r = await caller('dial_caller_wait.xml', name, { rtp_port: 40000, bye_wait_ms: 15000 });
      assertOk(r, 'caller');
      assertOk(await uas.result, 'carrier');
      const action = await actionFor(r.callId);
      assert.equal(action.params.DialCallStatus, 'completed', 'the retried INVITE must pass verifyauth');
      const d = Number(action.params.DialCallDuration);
      assert.ok(d >= 1 && d <= 3, `timeLimit 2 s ends the bridge: DialCallDuration ${d}`);
    } finally {
      uas.stop();
      await removeTrunk();
    }
  }));

  it('parallel ringing: the first to answer wins, the other is cancelled', check(async () => {
    const ringer = await carrier('carrier_ring.xml', { cancel_wait_ms: 12000 });
    const answerer = await carrier('carrier_answer_bye.xml', { rtp_port: 40002, ring_ms: 500, hold_ms: 800 });
    try {
      const name = twiml(`<Response><Dial action="/app/dial-action"><Sip>sip:a@127.0.0.1:${ringer.port}</Sip>` +
        `<Sip>sip:b@127.0.0.1:${answerer.port}</Sip></Dial></Response>`);
      const r = await caller('dial_caller_wait.xml', name, { rtp_port: 40000, bye_wait_ms: 15000 });
      assertOk(r, 'caller');
      assertOk(await ringer.result, 'ringing endpoint (cancelled)');
      assertOk(await answerer.result, 'answering endpoint');
      const action = await actionFor(r.callId);
      assert.equal(action.params.DialCallStatus, 'completed');
      assert.equal(action.params['DialSipHeader_X-Carrier-Ref'] !== undefined, true, 'X- headers of the 200');
    } finally {
      ringer.stop();
      answerer.stop();
    }
  }));

  it('answerOnBridge: the caller stays unanswered while it rings, and its CANCEL cancels the callee', check(async () => {
    const uas = await carrier('carrier_ring.xml', { cancel_wait_ms: 12000 });
    try {
      const name = twiml(`<Response><Dial answerOnBridge="true" action="/app/dial-action">` +
        `<Sip>sip:bob@127.0.0.1:${uas.port}</Sip></Dial></Response>`);
      const r = await caller('invite_cancel.xml', name, { cancel_after_ms: 1500, listen_ms: 500 });
      assertOk(r, 'caller');
      assertOk(await uas.result, 'endpoint');
      const action = await actionFor(r.callId);
      assert.equal(action.params.DialCallStatus, 'canceled');
      assert.equal(action.params.CallStatus, 'canceled');
    } finally {
      uas.stop();
    }
  }));

  it('answerOnBridge: the caller is answered only when the callee answers (no ringing tone meanwhile)',
    check(async () => {
      const a = await rtpSocket();
      const uas = await carrier('carrier_answer_bye.xml', { rtp_port: 40002, ring_ms: 1500, hold_ms: 800 });
      try {
        const name = twiml(`<Response><Dial answerOnBridge="true" action="/app/dial-action">` +
          `<Sip>sip:bob@127.0.0.1:${uas.port}</Sip></Dial></Response>`);
        const r = await caller('dial_caller_wait.xml', name, { rtp_port: a.port, bye_wait_ms: 15000 });
        assertOk(r, 'caller');
        const u = await uas.result;
        assertOk(u, 'endpoint');
        const ok = r.received.find((m) => m.status === 200 && (m.h('cseq') || '').endsWith('INVITE'));
        const ringing = r.received.find((m) => m.status === 180);
        assert.ok(ok && ringing, 'the caller gets 180, then 200');
        const action = await actionFor(r.callId);
        assert.equal(action.params.DialCallStatus, 'completed');
        // The 200 to the caller follows the callee's: the whole Dial took the ring time and more.
        const voice = env.app.find((q) => q.path === '/app/voice' && q.params.SipCallId === r.callId)[0];
        assert.ok(action.at - voice.at >= 1500 + 700, `the call must ring ${1500} ms before the bridge`);
        // No ringing tone: no RTP reaches the caller before the callee answered.
        assert.ok(a.firstAt === null || a.firstAt - voice.at >= 1400, `RTP ${a.firstAt - voice.at} ms after the webhook`);
        // The callee hung up: the caller is still in the call when the action runs.
        assert.equal(action.params.CallStatus, 'in-progress');
      } finally {
        uas.stop();
        a.sock.close();
      }
    }));

  it('answerOnBridge passes the callee\'s early media (183) to the caller, whose 200 then repeats the 183\'s answer',
    check(async () => {
      const a = await rtpSocket();
      const packets = [];
      for (let i = 0; i < 60; i++) packets.push({ at: i * 20, rtp: rtp({ seq: i, ts: i * 160, ssrc: 0x3333, fill: 0x33 }) });
      const pcap = writePcap(path.join(env.workdir, `early${++pcaps}.pcap`), packets);
      const uas = await carrier('carrier_early.xml', { rtp_port: 40002, ring_ms: 2500, pcap });
      try {
        const name = twiml(`<Response><Dial answerOnBridge="true" action="/app/dial-action" timeLimit="1">` +
          `<Sip>sip:bob@127.0.0.1:${uas.port}</Sip></Dial></Response>`);
        const r = await caller('dial_caller_wait.xml', name, { rtp_port: a.port, bye_wait_ms: 15000 });
        assertOk(r, 'caller');
        assertOk(await uas.result, 'callee');
        const voice = env.app.find((q) => q.path === '/app/voice' && q.params.SipCallId === r.callId)[0];
        const heard = payloadsOf(a, 0, 0x33);
        assert.ok(heard >= 40, `the caller must hear the early audio: ${heard} of 60 packets`);
        assert.ok(a.firstAt - voice.at < 2000, `early audio ${a.firstAt - voice.at} ms after the webhook, before the answer`);
        const early = r.received.find((m) => m.status === 183);
        const ok = r.received.find((m) => m.status === 200 && (m.h('cseq') || '').endsWith('INVITE'));
        assert.ok(early && ok, 'the caller gets 183 then 200');
        const sdp = (m) => m.text.split('\r\n\r\n')[1];
        assert.match(sdp(early), /m=audio [1-9]/);
        assert.equal(sdp(ok), sdp(early), 'the 200 repeats the answer of the 183');
        const action = await actionFor(r.callId);
        assert.equal(action.params.DialCallStatus, 'completed');
      } finally {
        uas.stop();
        a.sock.close();
      }
    }));

  it('hangupOnStar: the caller pressing * drops the callee and the action gets completed', check(async () => {
    const a = await rtpSocket();
    const uas = await carrier('carrier_answer.xml', { rtp_port: 40002, ring_ms: 200 });
    try {
      const name = twiml(`<Response><Dial hangupOnStar="true" action="/app/dial-action">` +
        `<Sip>sip:bob@127.0.0.1:${uas.port}</Sip></Dial></Response>`);
      const call = caller('dial_caller_wait.xml', name, { rtp_port: a.port, bye_wait_ms: 15000 });
      await until(() => a.peer !== null, 5000, 'RTP toward the caller');
      await sleep(1200);  // answered and bridged
      for (let i = 0; i < 4; i++) {
        a.sock.send(rtp({ pt: 101, seq: 500 + i, ts: 20000, ssrc: 0x5555, event: 10, end: i === 3 }), a.peer, '127.0.0.1');
        await sleep(20);
      }
      const u = await uas.result;
      assertOk(u, 'endpoint (BYE from callwire)');
      const r = await call;
      assertOk(r, 'caller');
      const action = await actionFor(r.callId);
      assert.equal(action.params.DialCallStatus, 'completed');
      assert.equal(action.params.DialBridged, 'true');
    } finally {
      uas.stop();
      a.sock.close();
    }
  }));

  it('sequential: a busy first target, then the second is rung and answers', check(async () => {
    const busy = await carrier('carrier_final.xml', { status: 486, reason: 'Busy Here' });
    const good = await carrier('carrier_answer_bye.xml', { rtp_port: 40002, hold_ms: 600 });
    try {
      const name = twiml(`<Response><Dial sequential="true" action="/app/dial-action">` +
        `<Sip>sip:a@127.0.0.1:${busy.port}</Sip><Sip>sip:b@127.0.0.1:${good.port}</Sip></Dial></Response>`);
      const r = await caller('dial_caller_wait.xml', name, { rtp_port: 40000, bye_wait_ms: 15000 });
      assertOk(r, 'caller');
      const first = await busy.result;
      const second = await good.result;
      assertOk(first, 'first target');
      assertOk(second, 'second target');
      const inviteAt = (res) => res.received.find((m) => m.first.startsWith('INVITE '));
      assert.ok(inviteAt(first) && inviteAt(second));
      const action = await actionFor(r.callId);
      assert.equal(action.params.DialCallStatus, 'completed');
    } finally {
      busy.stop();
      good.stop();
    }
  }));

  it('a number no trunk serves fails at once with 13224 in the debugger', check(async () => {
    const name = twiml('<Response><Dial action="/app/dial-action">+4420 7946 0000</Dial></Response>');
    const r = await caller('dial_caller_wait.xml', name, { rtp_port: 40000, bye_wait_ms: 10000 });
    assertOk(r, 'caller');
    const action = await actionFor(r.callId);
    assert.equal(action.params.DialCallStatus, 'failed');
    let alerts;
    await until(async () => {
      alerts = await env.cw.api('GET', '/v1/Alerts');
      return alerts.status === 200 && (alerts.body.alerts || []).some((x) => x.error_code === '13224');
    }, 5000, `alert 13224 (last: ${alerts && alerts.text})`);
  }));

  it('callwire is still running', check(async () => assert.ok(env.cw.alive())));
});
