'use strict';
// End-to-end tests of hold on one side of a bridged <Dial> (run-calls
// dial_hold). SIPp plays the caller and the carrier; the RTP of both legs
// goes to the test's own sockets, each side sending a constant level all
// call long. callwire answers a hold re-INVITE on the leg that sent it (it
// is not forwarded to the other leg): the holding side gets no more RTP,
// what it still sends (music on hold) reaches the other party, and
// a=sendrecv brings both directions back. A codec change from the callee is
// refused (488): the bridge relays the pair of codecs it started with.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { until } = require('./harness');
const { acmeEnv } = require('./acme_env');
const { dialKit, rtpSocket, rtp } = require('./dial_kit');

const { env, check } = acmeEnv('dial_hold');
const { twiml, caller, carrier, actionFor, assertSigned, assertOk, callResource } = dialKit(env, 'hold');

const TALK_MS = 2000;
const HOLD_MS = 3000;
const CALLER_FILL = 0x11;
const CALLEE_FILL = 0x22;

// Keeps the arrival time of every packet `ep` receives.
function timeArrivals(ep) {
  const arrivals = [];
  ep.sock.on('message', (m) => arrivals.push({ at: Date.now(), m }));
  return arrivals;
}

// Sends a constant level from `ep` to callwire every 20 ms, once callwire
// has sent something to `ep` (its port is then known); returns stop().
function stream(ep, fill, ssrc) {
  let seq = 0;
  const timer = setInterval(() => {
    if (ep.peer === null) return;
    ep.sock.send(rtp({ seq, ts: seq * 160, ssrc, fill }), ep.peer, '127.0.0.1');
    seq++;
  }, 20);
  return () => clearInterval(timer);
}

// Packets in [from, to) ms after t0: all of them, and those carrying `fill`.
function during(arrivals, t0, from, to, fill) {
  const inside = arrivals.filter((x) => x.at >= t0 + from && x.at < t0 + to);
  const level = inside.filter((x) => x.m.length === 172 && (x.m[1] & 0x7f) === 0 &&
    x.m.subarray(12).every((b) => b === fill)).length;
  return { all: inside.length, level };
}

// The three phases of a hold scenario, counted from `t0` (when the holding
// side's talk_ms pause began), with margins around each re-INVITE.
const phases = {
  talk: [1000, TALK_MS - 200],
  hold: [TALK_MS + 500, TALK_MS + HOLD_MS - 300],
  resumed: [TALK_MS + HOLD_MS + 500, 2 * TALK_MS + HOLD_MS - 300],
};
const expected = (phase) => (phases[phase][1] - phases[phase][0]) / 20;

// The holding side `held` and the other side `other` (arrival logs), each
// sending its own fill: during hold `held` gets nothing and `other` still
// hears `held`; before and after, both hear each other.
function assertHoldPhases({ held, heldFill, heldName, other, otherFill, otherName, t0 }) {
  for (const phase of ['talk', 'hold', 'resumed']) {
    const [from, to] = phases[phase];
    const atHeld = during(held, t0, from, to, otherFill);
    const atOther = during(other, t0, from, to, heldFill);
    const want = expected(phase) / 2;
    assert.ok(atOther.level >= want,
      `${phase}: the ${otherName} must hear the ${heldName}: ${atOther.level} packets, ~${expected(phase)} sent`);
    if (phase === 'hold') {
      assert.equal(atHeld.all, 0, `hold: callwire must send the ${heldName} no RTP (${atHeld.all} packets)`);
    } else {
      assert.ok(atHeld.level >= want,
        `${phase}: the ${heldName} must hear the ${otherName}: ${atHeld.level} packets, ~${expected(phase)} sent`);
    }
  }
}

// A bridged call whose callee (SIPp `scenario`, its re-INVITE answers
// checked there as `checked`) sends re-INVITEs after talk_ms, then hangs up.
// Both sides stream their level (SSRCs `ssrcs`); the caller must see no
// re-INVITE and the Dial action says completed and bridged. `more` gets the
// arrival logs, t0 (the callee's ACK, when the caller's audio reaches it)
// and the action.
async function calleeReinvites(scenario, vars, ssrcs, checked, more) {
  const a = await rtpSocket();
  const b = await rtpSocket();
  const atA = timeArrivals(a);
  const atB = timeArrivals(b);
  const uas = await carrier(scenario, { rtp_port: b.port, ring_ms: 300, talk_ms: TALK_MS, ...vars });
  const stopA = stream(a, CALLER_FILL, ssrcs[0]);
  const stopB = stream(b, CALLEE_FILL, ssrcs[1]);
  try {
    const name = twiml(`<Response><Dial action="/app/dial-action"><Sip>sip:bob@127.0.0.1:${uas.port}</Sip>` +
      '</Dial></Response>');
    const call = caller('dial_caller_wait.xml', name, { rtp_port: a.port, bye_wait_ms: 20000 });
    // The callee's talk_ms pause starts at its ACK, when the bridge sends it the caller's audio.
    await until(() => b.firstAt !== null, 5000, 'the caller\'s RTP at the callee');
    const t0 = b.firstAt;
    assertOk(await uas.result, `carrier (${checked} are checked by its scenario)`);
    const r = await call;
    assertOk(r, 'caller');
    // A re-INVITE is answered on the callee's leg: the caller sees none.
    const reinvites = r.received.filter((m) => m.first.startsWith('INVITE '));
    assert.equal(reinvites.length, 0, 'the callee\'s re-INVITEs must not reach the caller');
    const action = await actionFor(r.callId);
    assertSigned(action);
    assert.equal(action.params.DialCallStatus, 'completed');
    assert.equal(action.params.DialBridged, 'true');
    await more({ atA, atB, t0, action });
  } finally {
    stopA();
    stopB();
    uas.stop();
    a.sock.close();
    b.sock.close();
  }
}

describe('dial_hold', () => {
  it('the caller holds (a=sendonly) and resumes: its music still reaches the callee, the callee\'s audio ' +
     'stops toward it; after a=sendrecv both directions flow; the caller hangs up', check(async () => {
    const a = await rtpSocket();
    const b = await rtpSocket();
    const atA = timeArrivals(a);
    const atB = timeArrivals(b);
    const uas = await carrier('carrier_answer.xml', { rtp_port: b.port, ring_ms: 300 });
    const stopA = stream(a, CALLER_FILL, 0x1111);
    const stopB = stream(b, CALLEE_FILL, 0x2222);
    try {
      const name = twiml(`<Response><Dial action="/app/dial-action"><Sip>sip:bob@127.0.0.1:${uas.port}</Sip>` +
        '</Dial></Response>');
      const call = caller('dial_caller_hold.xml', name, { rtp_port: a.port, talk_ms: TALK_MS, hold_ms: HOLD_MS });
      // The caller is answered before the callee rings: its first RTP (ringback) starts its talk_ms pause.
      await until(() => a.firstAt !== null, 5000, 'ringback RTP toward the caller');
      const t0 = a.firstAt;
      const r = await call;
      assertOk(r, 'caller (the hold and resume answers are checked by its scenario)');
      assertOk(await uas.result, 'carrier');
      // Hold stays on the caller's leg: the callee sees one INVITE and the BYE, no re-INVITE.
      const u = await uas.result;
      const invites = u.received.filter((m) => m.first.startsWith('INVITE '));
      assert.equal(invites.length, 1, 'the caller\'s re-INVITEs must not reach the callee');
      assertHoldPhases({ held: atA, heldFill: CALLER_FILL, heldName: 'caller',
        other: atB, otherFill: CALLEE_FILL, otherName: 'callee', t0 });
      const action = await actionFor(r.callId);
      assertSigned(action);
      assert.equal(action.params.DialCallStatus, 'completed');
      assert.equal(action.params.DialBridged, 'true');
    } finally {
      stopA();
      stopB();
      uas.stop();
      a.sock.close();
      b.sock.close();
    }
  }));

  it('the callee holds (re-INVITE on the outbound leg) and resumes: its music still reaches the caller, ' +
     'the caller\'s audio stops toward it; the callee hangs up and the Dial action says completed',
  check(() => calleeReinvites('carrier_hold.xml', { hold_ms: HOLD_MS }, [0x3333, 0x4444],
    'the hold and resume answers', async ({ atA, atB, t0, action }) => {
      assertHoldPhases({ held: atB, heldFill: CALLEE_FILL, heldName: 'callee',
        other: atA, otherFill: CALLER_FILL, otherName: 'caller', t0 });
      assert.ok(Number(action.params.DialCallDuration) >= 6, `DialCallDuration ${action.params.DialCallDuration}`);
      await callResource(action.params.DialCallSid, 'completed');
    })));

  it('the callee offers another codec in a re-INVITE: 488 with a Reason (the bridge relays a fixed pair), ' +
     'the caller sees nothing of it and both directions go on in the first codec',
  check(() => calleeReinvites('carrier_codec.xml', { other_pt: 8, other_name: 'PCMA' }, [0x5555, 0x6666],
    'the 488 and its Reason', async ({ atA, atB, t0 }) => {
      // PCMU (payload type 0, the level each side sends) both ways, before and after the refusal.
      for (const [phase, from, to] of [['before', 1000, TALK_MS - 200], ['after', TALK_MS + 500, 2 * TALK_MS - 300]]) {
        const want = (to - from) / 20 / 2;
        const atCaller = during(atA, t0, from, to, CALLEE_FILL);
        const atCallee = during(atB, t0, from, to, CALLER_FILL);
        assert.ok(atCaller.level >= want, `${phase}: the caller must hear the callee in PCMU: ${atCaller.level} packets`);
        assert.ok(atCallee.level >= want, `${phase}: the callee must hear the caller in PCMU: ${atCallee.level} packets`);
      }
    })));

  it('callwire is still running', check(async () => assert.ok(env.cw.alive())));
});
