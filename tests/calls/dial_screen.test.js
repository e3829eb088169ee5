'use strict';
// End-to-end tests of screening (run-calls dial_screen): <Number url> and
// <Sip url> (contract 10.6). SIPp plays the caller and the carrier or SIP
// endpoint; the RTP of both legs goes to the test's own sockets. When the
// callee answers, callwire requests the screening URL with the child call's
// parameters and runs the TwiML on the callee's leg; the caller is bridged
// only when that document runs to its end. The callee's keys reach the
// screening's <Gather> as RFC 4733 events or as SIP INFO.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { until, sleep } = require('./harness');
const { acmeEnv } = require('./acme_env');
const { dialKit, rtpSocket, rtp, sendAudio, payloadsOf } = require('./dial_kit');

const { env, check } = acmeEnv('dial_screen');
const { trunk, twiml, caller, carrier, actionFor, assertSigned, assertOk, callResource } = dialKit(env, 'screen');

// The screening request (or action) callwire made to /app/doc/<name>.
const docRequest = (name, ms = 10000) => env.app.waitFor((q) => q.path === `/app/doc/${name}`, ms,
  `request of /app/doc/${name}`);

// Packets carrying sound (not µ-law silence 0xff/0x7f), of payload type 0.
const sounding = (ep) => ep.packets.filter((m) => m.length === 172 && (m[1] & 0x7f) === 0 &&
  m.subarray(12).some((b) => b !== 0xff && b !== 0x7f)).length;

// A <Sip> callee whose screening at `screenPath` fails: it must get a BYE, the
// Dial action no-answer, and the debugger an alert `code` on the child call.
async function expectScreenedOut(screenPath, code) {
  const uas = await carrier('carrier_answer.xml', { rtp_port: 40002, ring_ms: 300 });
  try {
    const name = twiml('<Response><Dial action="/app/dial-action">' +
      `<Sip url="${screenPath}">sip:bob@127.0.0.1:${uas.port}</Sip></Dial></Response>`);
    const r = await caller('dial_caller_wait.xml', name, { rtp_port: 40000, bye_wait_ms: 15000 });
    assertOk(r, 'caller');
    assertOk(await uas.result, 'endpoint (it must receive the BYE)');
    const action = await actionFor(r.callId);
    assert.equal(action.params.DialCallStatus, 'no-answer');
    await until(async () => {
      const alerts = await env.cw.api('GET', '/v1/Alerts');
      return alerts.status === 200 && (alerts.body.alerts || []).some((x) =>
        x.error_code === code && x.resource_sid === action.params.DialCallSid);
    }, 5000, `alert ${code} on ${action.params.DialCallSid}`);
  } finally {
    uas.stop();
  }
}

// A <Sip url> screening whose <Gather numDigits="1"> accepts the call: the
// callee (SIPp `scenario`) presses `key`, by `press(b)` from the test's RTP
// socket or by its own scenario; the Gather action (outbound-dial, Digits =
// key) returns a document whose end bridges; `bridged(a, b)` may check the
// bridge; the caller hangs up after `holdMs` and the Dial action says
// completed with the screened leg.
async function screenedByGather({ scenario, vars, key, holdMs, press, bridged, checked = '' }) {
  const a = await rtpSocket();
  const b = await rtpSocket();
  const uas = await carrier(scenario, { rtp_port: b.port, ring_ms: 300, ...vars });
  try {
    const accepted = twiml('<Response><Say>Connecting</Say></Response>');
    const screen = twiml(`<Response><Gather numDigits="1" timeout="10" action="/app/doc/${accepted}">` +
      `<Say>Press ${key} to take the call</Say></Gather><Hangup/></Response>`);
    const name = twiml('<Response><Dial action="/app/dial-action">' +
      `<Sip url="/app/doc/${screen}">sip:bob@127.0.0.1:${uas.port}</Sip></Dial></Response>`);
    const call = caller('dial_caller.xml', name, { rtp_port: a.port, hold_ms: holdMs });
    await docRequest(screen);
    if (press) await press(b);
    const act = await docRequest(accepted);
    assertSigned(act);
    assert.equal(act.params.Digits, key);
    assert.equal(act.params.Direction, 'outbound-dial');
    if (bridged) await bridged(a, b);
    const r = await call;
    assertOk(r, 'caller');
    assertOk(await uas.result, checked ? `endpoint (${checked})` : 'endpoint');
    const action = await actionFor(r.callId);
    assert.equal(action.params.DialCallStatus, 'completed');
    assert.equal(action.params.DialCallSid, act.params.CallSid);
  } finally {
    uas.stop();
    a.sock.close();
    b.sock.close();
  }
}

describe('dial_screen', () => {
  it('<Number url>: the screening <Say> plays to the callee only, then the legs are bridged', check(async () => {
    const a = await rtpSocket();
    const b = await rtpSocket();
    const uas = await carrier('carrier_answer.xml', { rtp_port: b.port, ring_ms: 300 });
    const removeTrunk = await trunk(uas.port);
    try {
      const screen = twiml('<Response><Say>You have a call from the test. Connecting.</Say></Response>');
      const name = twiml('<Response><Dial action="/app/dial-action" timeout="10">' +
        `<Number url="/app/doc/${screen}">+14155551234</Number></Dial></Response>`);
      const call = caller('dial_caller.xml', name, { rtp_port: a.port, hold_ms: 9000 });
      const req = await docRequest(screen);
      assertSigned(req);
      assert.equal(req.method, 'POST');
      assert.match(req.params.CallSid, /^CA[0-9a-f]{32}$/);
      assert.match(req.params.ParentCallSid, /^CA[0-9a-f]{32}$/);
      assert.notEqual(req.params.CallSid, req.params.ParentCallSid);
      assert.equal(req.params.Direction, 'outbound-dial');
      assert.equal(req.params.CallStatus, 'in-progress');
      assert.equal(req.params.To, '+14155551234');
      assert.equal(req.params.Called, '+14155551234');
      assert.equal(req.params.AccountSid, env.sid);

      // The callee hears the prompt; what it says meanwhile does not reach the caller.
      await until(() => b.peer !== null && sounding(b) > 10, 8000, 'the screening prompt at the callee');
      const promptAt = Date.now();
      await sendAudio(b, b.peer, 0x33, 25, 0x3333);
      assert.equal(payloadsOf(a, 0, 0x33), 0, 'the caller must not hear the callee during screening');

      // The prompt ends: the legs are joined and audio crosses both ways.
      const sendA = (async () => {
        for (let i = 0; i < 200 && payloadsOf(b, 0, 0x11) < 30; i++) {
          a.sock.send(rtp({ seq: i, ts: i * 160, ssrc: 0x1111, fill: 0x11 }), a.peer, '127.0.0.1');
          await sleep(20);
        }
      })();
      await until(() => payloadsOf(b, 0, 0x11) > 0, 8000, 'caller audio at the callee after the screening');
      const bridgedAt = Date.now();
      await sendAudio(b, b.peer, 0x22, 50, 0x2222);
      await sendA;
      await sleep(200);
      assert.ok(bridgedAt > promptAt, 'the prompt plays before the bridge');
      assert.ok(payloadsOf(a, 0, 0x22) >= 40, `the caller must hear the callee: ${payloadsOf(a, 0, 0x22)} of 50`);
      assert.ok(payloadsOf(b, 0, 0x11) >= 20, `the callee must hear the caller: ${payloadsOf(b, 0, 0x11)}`);
      assert.equal(payloadsOf(a, 0, 0x33), 0, 'nothing said during the screening reaches the caller later');

      const r = await call;
      assertOk(r, 'caller');
      assertOk(await uas.result, 'carrier');
      const action = await actionFor(r.callId);
      assert.equal(action.params.DialCallStatus, 'completed');
      assert.equal(action.params.DialBridged, 'true');
      assert.equal(action.params.DialCallSid, req.params.CallSid);
      assert.equal(action.params.CallSid, req.params.ParentCallSid);
      const child = await callResource(req.params.CallSid, 'completed');
      assert.equal(child.parent_call_sid, req.params.ParentCallSid);
    } finally {
      uas.stop();
      await removeTrunk();
      a.sock.close();
      b.sock.close();
    }
  }));

  it('<Hangup/> in the screening: the callee gets a BYE and the action hears no-answer', check(async () => {
    const uas = await carrier('carrier_answer.xml', { rtp_port: 40002, ring_ms: 300 });
    try {
      const screen = twiml('<Response><Hangup/></Response>');
      const name = twiml('<Response><Dial action="/app/dial-action">' +
        `<Sip url="/app/doc/${screen}" method="GET">sip:bob@127.0.0.1:${uas.port}</Sip></Dial></Response>`);
      const r = await caller('dial_caller_wait.xml', name, { rtp_port: 40000, bye_wait_ms: 15000 });
      assertOk(r, 'caller');
      const u = await uas.result;
      assertOk(u, 'endpoint (it must receive the BYE)');
      assert.ok(u.received.some((m) => /^BYE /.test(m.first || '')), 'the screened-out callee gets a BYE');
      const req = await docRequest(screen);
      assert.equal(req.method, 'GET');
      assertSigned(req);
      const action = await actionFor(r.callId);
      assertSigned(action);
      assert.equal(action.params.DialCallStatus, 'no-answer');
      assert.equal(action.params.DialBridged, 'false');
      assert.equal(action.params.DialCallSid, req.params.CallSid);
    } finally {
      uas.stop();
    }
  }));

  it('<Sip url>: the screening request carries SipCallId and the 200 OK\'s X- headers; an empty document bridges',
    check(async () => {
      const uas = await carrier('carrier_answer.xml', { rtp_port: 40002, ring_ms: 300 });
      try {
        const screen = twiml('<Response></Response>');
        const name = twiml('<Response><Dial action="/app/dial-action">' +
          `<Sip url="/app/doc/${screen}">sip:bob@127.0.0.1:${uas.port}</Sip></Dial></Response>`);
        const r = await caller('dial_caller.xml', name, { rtp_port: 40000, hold_ms: 2500 });
        assertOk(r, 'caller');
        assertOk(await uas.result, 'endpoint');
        const req = await docRequest(screen);
        assertSigned(req);
        assert.match(req.params['SipHeader_X-Carrier-Ref'] || '', /^ref-\d+$/);
        assert.match(req.params.SipCallId || '', /@callwire$/);
        assert.equal(req.params.Called, `sip:bob@127.0.0.1:${uas.port}`);
        const action = await actionFor(r.callId);
        assert.equal(action.params.DialCallStatus, 'completed');
        assert.equal(action.params.DialBridged, 'true');
        assert.equal(action.params.DialCallSid, req.params.CallSid);
      } finally {
        uas.stop();
      }
    }));

  it('<Gather> in the screening reads the callee\'s key; its action\'s document ending bridges',
    check(() => screenedByGather({ scenario: 'carrier_answer.xml', vars: {}, key: '1', holdMs: 9000,
      press: async (b) => {
        await until(() => b.peer !== null, 8000, 'the screening prompt at the callee');
        for (let i = 0; i < 4; i++) {
          b.sock.send(rtp({ pt: 101, seq: 500 + i, ts: 7000, ssrc: 0x4444, event: 1, end: i === 3 }), b.peer,
            '127.0.0.1');
          await sleep(20);
        }
      },
      bridged: async (a, b) => {
        const sendA = (async () => {
          for (let i = 0; i < 250 && payloadsOf(b, 0, 0x11) < 30; i++) {
            a.sock.send(rtp({ seq: i, ts: i * 160, ssrc: 0x1111, fill: 0x11 }), a.peer, '127.0.0.1');
            await sleep(20);
          }
        })();
        await until(() => payloadsOf(b, 0, 0x11) > 0, 8000, 'caller audio at the callee after the action document');
        await sendA;
      } })));

  it('<Gather> in the screening reads a key the callee sends as SIP INFO (application/dtmf-relay)',
    check(() => screenedByGather({ scenario: 'carrier_info.xml', vars: { key_ms: 1500, key: 7, bye_wait_ms: 20000 },
      key: '7', holdMs: 6000, checked: 'its INFO must get 200, then the BYE must come' })));

  it('a screening URL that fails: alert 11200 on the child call, the callee gets a BYE, no-answer',
    check(() => expectScreenedOut('/app/doc/no-such-document', '11200')));

  it('the caller hanging up during the screening hangs up the callee too', check(async () => {
    const uas = await carrier('carrier_answer.xml', { rtp_port: 40002, ring_ms: 300, bye_wait_ms: 5000 });
    try {
      const screen = twiml('<Response><Say>Please hold</Say><Pause length="20"/></Response>');
      const name = twiml('<Response><Dial action="/app/dial-action">' +
        `<Sip url="/app/doc/${screen}">sip:bob@127.0.0.1:${uas.port}</Sip></Dial></Response>`);
      const started = Date.now();
      const r = await caller('dial_caller.xml', name, { rtp_port: 40000, hold_ms: 2000 });
      assertOk(r, 'caller');
      await docRequest(screen);
      assertOk(await uas.result, 'endpoint (it must receive the BYE)');
      assert.ok(Date.now() - started < 10000, 'the callee is hung up with the caller, not after the screening');
      const action = await actionFor(r.callId);
      assert.equal(action.params.DialBridged, 'false');
    } finally {
      uas.stop();
    }
  }));

  it('parallel: another leg keeps ringing during the screening and is cancelled when the screened leg is bridged',
    check(async () => {
      const ringer = await carrier('carrier_ring.xml', { cancel_wait_ms: 12000 });
      const answerer = await carrier('carrier_answer.xml', { rtp_port: 40002, ring_ms: 300 });
      try {
        const screen = twiml('<Response><Pause length="2"/></Response>');
        const name = twiml('<Response><Dial action="/app/dial-action">' +
          `<Sip statusCallback="/app/leg-status">sip:a@127.0.0.1:${ringer.port}</Sip>` +
          `<Sip url="/app/doc/${screen}">sip:b@127.0.0.1:${answerer.port}</Sip></Dial></Response>`);
        const r = await caller('dial_caller.xml', name, { rtp_port: 40000, hold_ms: 4500 });
        assertOk(r, 'caller');
        assertOk(await ringer.result, 'ringing endpoint (cancelled)');
        assertOk(await answerer.result, 'screened endpoint');
        const req = await docRequest(screen);
        const cancelled = await env.app.waitFor((q) => q.path === '/app/leg-status' && q.params.CallStatus === 'canceled',
          5000, 'the ringing leg\'s completed callback');
        assert.ok(cancelled.at - req.at >= 1800,
          `the other leg must ring until the screening ends (cancelled ${cancelled.at - req.at} ms after it began)`);
        const action = await actionFor(r.callId);
        assert.equal(action.params.DialCallStatus, 'completed');
        assert.equal(action.params.DialCallSid, req.params.CallSid);
      } finally {
        ringer.stop();
        answerer.stop();
      }
    }));

  it('<Dial> in screening TwiML is refused: alert 12200 on the child call, the callee is hung up',
    check(() => expectScreenedOut(`/app/doc/${twiml('<Response><Dial>+14155550199</Dial></Response>')}`, '12200')));

  it('<Number sendDigits url>: after the screening the digits reach the callee whole, then the bridge', check(async () => {
    const b = await rtpSocket();
    const uas = await carrier('carrier_answer.xml', { rtp_port: b.port, ring_ms: 300 });
    const removeTrunk = await trunk(uas.port);
    try {
      const screen = twiml('<Response><Pause length="1"/></Response>');
      const name = twiml('<Response><Dial action="/app/dial-action">' +
        `<Number url="/app/doc/${screen}" sendDigits="7">+14155551234</Number></Dial></Response>`);
      const r = await caller('dial_caller.xml', name, { rtp_port: 40000, hold_ms: 3500 });
      assertOk(r, 'caller');
      assertOk(await uas.result, 'carrier');
      await docRequest(screen);
      const events = b.packets.filter((m) => (m[1] & 0x7f) === 101 && m.length === 16 && m[12] === 7);
      const ends = events.filter((m) => (m[13] & 0x80) !== 0);
      assert.ok(events.length >= 3 && ends.length >= 1, `the key 7 must reach the callee whole: ${events.length} packets, ` +
        `${ends.length} with the end bit`);
      const action = await actionFor(r.callId);
      assert.equal(action.params.DialCallStatus, 'completed');
    } finally {
      uas.stop();
      await removeTrunk();
      b.sock.close();
    }
  }));

  it('answerOnBridge: the caller stays unanswered until the screening has run to its end', check(async () => {
    const uas = await carrier('carrier_answer.xml', { rtp_port: 40002, ring_ms: 300 });
    try {
      const screen = twiml('<Response><Pause length="2"/></Response>');
      const name = twiml('<Response><Dial answerOnBridge="true" timeLimit="1" action="/app/dial-action">' +
        `<Sip url="/app/doc/${screen}">sip:bob@127.0.0.1:${uas.port}</Sip></Dial></Response>`);
      const call = caller('dial_caller_wait.xml', name, { rtp_port: 40000, bye_wait_ms: 15000 });
      const req = await docRequest(screen);
      // The callee answered and is being screened; the caller is still ringing.
      const during = await env.cw.api('GET', `Calls/${req.params.ParentCallSid}.json`);
      assert.equal(during.status, 200);
      assert.equal(during.body.status, 'ringing', 'the caller must not be answered during the screening');
      const r = await call;
      assertOk(r, 'caller');
      assertOk(await uas.result, 'endpoint');
      const ok = r.received.find((m) => m.status === 200 && (m.h('cseq') || '').endsWith('INVITE'));
      const ringing = r.received.find((m) => m.status === 180);
      assert.ok(ok && ringing, 'the caller gets 180, then 200');
      const action = await actionFor(r.callId);
      assert.equal(action.params.DialCallStatus, 'completed');
      assert.equal(action.params.DialBridged, 'true');
      // Bridged after the 2 s Pause, then ended by timeLimit 1 s later.
      assert.ok(action.at - req.at >= 2800, `the bridge must follow the screening: ${action.at - req.at} ms`);
    } finally {
      uas.stop();
    }
  }));
});
