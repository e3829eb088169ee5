'use strict';
// End-to-end tests of RFC 4028 session timers (run-calls timers): SIPp as
// the caller's PBX and as the carrier of a <Dial>, against a callwire
// started with --session-min-se 2 --session-expires 4 so that refreshes
// (at half the interval) and expiries (interval - interval/3) come within
// seconds.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const path = require('node:path');
const { runSipp, startSippServer, until } = require('./harness');
const { acmeEnv } = require('./acme_env');

const SIPP = process.env.SIPP_BIN || 'sipp';
const MIN_SE = 2;
const INTERVAL = 4;

const { env, check } = acmeEnv('timers', ['--session-min-se', String(MIN_SE), '--session-expires', String(INTERVAL)]);
let cases = 0;

const RURI = 'sip:+14155550100@acme.sip.localhost';

function sipp(scenario, vars) {
  return runSipp({ sipp: SIPP, workdir: env.workdir, port: env.cw.sipPort, scenario,
    vars: { ruri: RURI, to: RURI, rtp_port: 40000, checks: '', ...vars }, timeoutS: 30 });
}

function assertOk(r, who) {
  assert.ok(r.rc === 0 && r.ok === 1 && r.failed === 0, `the ${who} SIPp call must succeed\n${r.describe()}`);
}

const ereg = (header, regexp, name) =>
  `      <ereg regexp="${regexp}" search_in="hdr" header="${header}:" check_it="true" assign_to="${name}"/>`;

const statusFor = (callId, ms = 10000) => env.app.waitFor(
  (q) => q.path === '/app/status' && q.params.SipCallId === callId, ms, `status callback for ${callId}`);

describe('timers: the caller leg (callwire answers)', () => {
  it('the caller asks to refresh and never does: BYE before the session expires, CallStatus completed',
    check(async () => {
      const started = Date.now();
      const r = await sipp('timer_expire.xml', { bye_wait_ms: 8000,
        // Require: timer must be accepted (no 420): callwire lists timer in Supported.
        headers: ['X-Case: say_long', 'Supported: timer', 'Require: timer', `Session-Expires: ${INTERVAL};refresher=uac`,
          `Min-SE: ${MIN_SE}`],
        checks: [ereg('Session-Expires', `^ *${INTERVAL};refresher=uac`, 'se_ok'), ereg('Require', 'timer', 'require_ok')]
          .join('\n') });
      const elapsed = Date.now() - started;
      assertOk(r, 'caller');
      // Expiry: 4 s - 4/3 s after the 200, i.e. ~2.7 s (the TwiML would run 30 s).
      assert.ok(elapsed >= 2500 && elapsed < 6000, `the BYE came ${elapsed} ms after the INVITE`);
      const s = await statusFor(r.callId);
      assert.equal(s.params.CallStatus, 'completed');
    }));

  it('refresher=uas with UPDATE allowed: callwire refreshes with UPDATE without body at half the interval',
    check(async () => {
      const started = Date.now();
      const r = await sipp('timer_refresh.xml', { method: 'UPDATE', interval: INTERVAL, refresh_wait_ms: 3500,
        headers: ['X-Case: say_long', 'Supported: timer', `Session-Expires: ${INTERVAL};refresher=uas`,
          'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE'],
        checks: [ereg('Session-Expires', `^ *${INTERVAL};refresher=uas`, 'se_ok'), ereg('Require', 'timer', 'require_ok')]
          .join('\n'),
        refresh_checks: '', refresh_answer: '      Content-Length: 0', refresh_ack: '' });
      const elapsed = Date.now() - started;
      assertOk(r, 'caller');
      const updates = r.received.filter((m) => m.first.startsWith('UPDATE'));
      assert.equal(updates.length, 2, r.describe());
      for (const u of updates) assert.equal(u.h('content-length'), '0', `an UPDATE refresh has no body:\n${u.text}`);
      // Two refreshes 2 s apart: the second one ~4 s after the answer.
      assert.ok(elapsed >= 3700, `two refreshes came within ${elapsed} ms`);
      assert.ok(!r.received.some((m) => m.first.startsWith('BYE')), 'callwire must not hang up');
      const s = await statusFor(r.callId);
      assert.equal(s.params.CallStatus, 'completed');
    }));

  it('refresher=uas without UPDATE in Allow: callwire refreshes with a re-INVITE carrying its unchanged SDP',
    check(async () => {
      const sdp = ['      Content-Type: application/sdp', '      Content-Length: [len]', '',
        '      v=0', '      o=pbx 1 1 IN IP4 127.0.0.1', '      s=-', '      c=IN IP4 127.0.0.1', '      t=0 0',
        '      m=audio 40000 RTP/AVP 0', '      a=rtpmap:0 PCMU/8000'].join('\n');
      const r = await sipp('timer_refresh.xml', { method: 'INVITE', interval: INTERVAL, refresh_wait_ms: 3500,
        headers: ['X-Case: say_long', 'Supported: timer', `Session-Expires: ${INTERVAL};refresher=uas`,
          'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS'],
        checks: ereg('Session-Expires', `^ *${INTERVAL};refresher=uas`, 'se_ok'),
        refresh_checks: '      <ereg regexp="m=audio [1-9]" search_in="body" check_it="true" assign_to="reinvite_sdp"/>',
        refresh_answer: sdp, refresh_ack: '  <recv request="ACK"/>' });
      assertOk(r, 'caller');
      const answer = r.received.find((m) => m.status === 200 && /CSeq: *1 INVITE/i.test(m.text));
      const reinvites = r.received.filter((m) => m.first.startsWith('INVITE'));
      assert.equal(reinvites.length, 2, r.describe());
      const origin = (m) => /^o=.*$/m.exec(m.text)[0];
      for (const m of reinvites) assert.equal(origin(m), origin(answer), 'a refresh re-offers the same SDP version');
    }));

  it(`Session-Expires below Min-SE ${MIN_SE} s: 422 Session Interval Too Small with Min-SE`, check(async () => {
    const r = await sipp('invite_final.xml', { final: 422,
      headers: ['X-Case: say_long', 'Supported: timer', 'Session-Expires: 1'],
      checks: ereg('Min-SE', `^ *${MIN_SE}$`, 'min_se_ok') });
    assertOk(r, 'caller');
    assert.ok(!env.app.find((q) => q.params.SipCallId === r.callId).length, 'no webhook for a refused INVITE');
  }));

  it('no timer asked: the 200 carries no Session-Expires and no refresh comes', check(async () => {
    const r = await sipp('timer_expire.xml', { bye_wait_ms: 6000, headers: ['X-Case: say_pause_hangup'] });
    assertOk(r, 'caller');
    const ok = r.received.find((m) => m.status === 200);
    assert.equal(ok.h('session-expires'), undefined);
    assert.ok(!r.received.some((m) => /^(UPDATE|INVITE)/.test(m.first)));
  }));
});

describe('timers: the dialed leg (callwire calls)', () => {
  it('the carrier\'s 200 makes callwire the refresher: its INVITE offers timers and the UPDATE refresh comes',
    check(async () => {
      const uas = await startSippServer({ sipp: SIPP, workdir: env.workdir, scenario: 'carrier_timer.xml',
        vars: { ring_ms: 200, rtp_port: 40002, codec_pt: 0, codec_name: 'PCMU', hold_ms: 500, interval: INTERVAL,
          allow: 'INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE', method: 'UPDATE', refresh_wait_ms: 4000,
          refresh_answer: '      Content-Length: 0', refresh_ack: '',
          invite_checks: [ereg('Supported', 'timer', 'supported_ok'), ereg('Session-Expires', `^ *${INTERVAL}$`, 'se_ok'),
            ereg('Min-SE', `^ *${MIN_SE}$`, 'min_se_ok')].join('\n') } });
      const trunk = await env.cw.create('SIP/Trunks.json', { FriendlyName: 'sipp carrier',
        TerminationUri: `sip:127.0.0.1:${uas.port}`, CallerId: '+15005550006' });
      try {
        const name = `timers${++cases}`;
        env.app.custom[name] = '<Response><Dial action="/app/dial-action" timeout="10">+14155551234</Dial></Response>';
        const r = await runSipp({ sipp: SIPP, workdir: env.workdir, port: env.cw.sipPort, scenario: 'dial_caller_wait.xml',
          vars: { ruri: RURI, to: RURI, headers: [`X-Case: ${name}`], codec_pt: 0, codec_name: 'PCMU', rtp_port: 40000,
            bye_wait_ms: 15000 }, timeoutS: 30 });
        const carrier = await uas.result;
        assertOk(carrier, 'carrier');
        assertOk(r, 'caller');
        const refresh = carrier.received.find((m) => m.first.startsWith('UPDATE'));
        assert.ok(refresh, carrier.describe());
        const action = await until(() => env.app.find((q) => q.path === '/app/dial-action' &&
          q.params.SipCallId === r.callId)[0], 10000, 'the Dial action');
        assert.equal(action.params.DialCallStatus, 'completed');
      } finally {
        uas.stop();
        await env.cw.api('DELETE', `SIP/Trunks/${trunk.sid}.json`);
      }
    }));

  it('the carrier asks to refresh and never does: callwire ends the leg with BYE, as if the callee hung up',
    check(async () => {
      const uas = await startSippServer({ sipp: SIPP, workdir: env.workdir, scenario: 'carrier_timer_expire.xml',
        vars: { ring_ms: 200, rtp_port: 40002, codec_pt: 0, codec_name: 'PCMU', bye_wait_ms: 8000, interval: INTERVAL,
          invite_checks: '' } });
      const trunk = await env.cw.create('SIP/Trunks.json', { FriendlyName: 'sipp carrier',
        TerminationUri: `sip:127.0.0.1:${uas.port}`, CallerId: '+15005550006' });
      try {
        const name = `timers${++cases}`;
        env.app.custom[name] = '<Response><Dial action="/app/dial-action" timeout="10">+14155551234</Dial></Response>';
        const started = Date.now();
        const r = await runSipp({ sipp: SIPP, workdir: env.workdir, port: env.cw.sipPort, scenario: 'dial_caller_wait.xml',
          vars: { ruri: RURI, to: RURI, headers: [`X-Case: ${name}`], codec_pt: 0, codec_name: 'PCMU', rtp_port: 40000,
            bye_wait_ms: 15000 }, timeoutS: 30 });
        const carrier = await uas.result;
        const elapsed = Date.now() - started;
        assertOk(carrier, 'carrier');
        assertOk(r, 'caller');
        // Answered after ~0.2 s, expired 4 - 4/3 s later; without the timer the call would last until the caller quits.
        assert.ok(elapsed >= 2500 && elapsed < 8000, `the legs ended ${elapsed} ms after the INVITE`);
        const action = await until(() => env.app.find((q) => q.path === '/app/dial-action' &&
          q.params.SipCallId === r.callId)[0], 10000, 'the Dial action');
        assert.equal(action.params.DialCallStatus, 'completed');
      } finally {
        uas.stop();
        await env.cw.api('DELETE', `SIP/Trunks/${trunk.sid}.json`);
      }
    }));
});
