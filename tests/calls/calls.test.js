'use strict';
// End-to-end tests of the inbound call pipeline: SIPp plays the customer's
// PBX against a real `callwire serve`, and a local web app (harness.js)
// answers the voice webhooks and checks every X-Twilio-Signature with the
// official twilio library. CALLS_GROUP picks one group (each starts its own
// callwire with the flags it needs; ctest runs the groups as separate tests):
//   routing  ACL admission, silence for blocked sources, edges, refusals,
//            webhook parameters and headers, signatures, Redirect, Reject, /metrics
//   digest   407 challenge, wrong password, replayed nonce-count, stale nonce,
//            ACL and credentials together
//   dialog   answer + BYE both ways with CallDuration, <Hangup/> first,
//            CANCEL while the webhook runs
//   media    SDP answer/offer, RTP of <Say> (the message twimlet) and <Play>,
//            488 without a common codec
//   reinvite re-INVITE and UPDATE on answered calls (hold, resume, new address,
//            codec change, refresh, 488, 491, offer in the 200), SRTP (SDES)
//   options  --acl-miss-403, --reject-status 603, --webhook-timeout, the
//            fallback URL, total failure, Monitor Alerts
//   input    <Gather> (RFC 4733 keys from a SIPp pcap, SIP INFO, barge-in,
//            timeout) and <Record> (action, REST recording and its WAV,
//            status callbacks, hangup, silence, maxLength)
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const dgram = require('node:dgram');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
  Callwire, WebhookApp, RawUac, runSipp, parseChallenge, digestHeader, until, sleep, writePcap,
} = require('./harness');

const BIN = process.env.CALLWIRE_BIN;
const SIPP = process.env.SIPP_BIN || 'sipp';
const GROUP = process.env.CALLS_GROUP || 'all';
const PASSWORD = 'Correct-Horse-42';
const CALLER = '+14155550100';

function groupEnabled(name) { return GROUP === 'all' || GROUP === name; }

// One callwire + one web app + the SIP resources every group uses.
function setup(name, flags = [], startFlags = []) {
  const env = {
    sid: 'AC' + crypto.randomBytes(16).toString('hex'),
    token: crypto.randomBytes(16).toString('hex'),
  };
  before(async () => {
    assert.ok(BIN, 'CALLWIRE_BIN must name the callwire binary');
    env.workdir = fs.mkdtempSync(path.join(os.tmpdir(), `callwire-calls-${name}-`));
    env.app = new WebhookApp(env.token);
    await env.app.start();
    env.cw = new Callwire({ bin: BIN, workdir: env.workdir, name: 'callwire', flags, sid: env.sid, token: env.token });
    await env.cw.start(startFlags);
    env.domains = await provision(env.cw, env.app);
    env.metricsBefore = (await env.cw.api('GET', '/metrics')).text;
  });
  after(async () => {
    const code = env.cw ? await env.cw.stop() : 0;
    if (env.app) await env.app.stop();
    assert.equal(code, 0, `callwire did not exit cleanly on SIGTERM (log: ${env.cw && env.cw.logPath})`);
    if (!env.failed) fs.rmSync(env.workdir, { recursive: true, force: true });
    else console.log(`# files kept in ${env.workdir}`);
  });
  return env;
}

async function provision(cw, app) {
  const acl = await cw.create('SIP/IpAccessControlLists.json', { FriendlyName: 'loopback PBX' });
  await cw.create(`SIP/IpAccessControlLists/${acl.sid}/IpAddresses.json`,
    { FriendlyName: 'pbx', IpAddress: '127.0.0.1', CidrPrefixLength: '32' });
  const cl = await cw.create('SIP/CredentialLists.json', { FriendlyName: 'phones' });
  await cw.create(`SIP/CredentialLists/${cl.sid}/Credentials.json`, { Username: 'alice', Password: PASSWORD });

  const domains = {};
  const make = async (label, { acl: useAcl, legacyAcl, creds, method, fallback = true, status = true }) => {
    const form = { DomainName: `${label}.sip.localhost`, VoiceUrl: `${app.base}/app/voice` };
    if (method) form.VoiceMethod = method;
    if (fallback) form.VoiceFallbackUrl = `${app.base}/app/fallback`;
    if (status) form.VoiceStatusCallbackUrl = `${app.base}/app/status`;
    const d = await cw.create('SIP/Domains.json', form);
    if (useAcl) {
      await cw.create(`SIP/Domains/${d.sid}/Auth/Calls/IpAccessControlListMappings.json`,
        { IpAccessControlListSid: acl.sid });
    }
    if (legacyAcl) {
      await cw.create(`SIP/Domains/${d.sid}/IpAccessControlListMappings.json`, { IpAccessControlListSid: acl.sid });
    }
    if (creds) {
      await cw.create(`SIP/Domains/${d.sid}/Auth/Calls/CredentialListMappings.json`, { CredentialListSid: cl.sid });
    }
    domains[label] = d;
  };
  await make('acme', { acl: true });
  await make('getter', { legacyAcl: true, method: 'GET' });
  await make('nofb', { acl: true, fallback: false });
  await make('creds', { creds: true });
  await make('both', { acl: true, creds: true });
  await make('empty', {});
  return domains;
}

// Marks the group's files to be kept when a test fails.
function check(env, fn) {
  return async () => {
    try {
      await fn();
    } catch (e) {
      env.failed = true;
      throw e;
    }
  };
}

function sipp(env, scenario, vars, opts = {}) {
  const host = vars.host || 'acme.sip.localhost';
  const user = vars.user || CALLER;
  const ruri = `sip:${user}@${host}`;
  // SIPp signs digest responses for sip:<-auth_uri>; by default that is the
  // server's address, not the Request-URI the server checks it against.
  const args = [...(opts.args || []), '-auth_uri', `${user}@${host}`];
  return runSipp({ sipp: SIPP, workdir: env.workdir, port: env.cw.sipPort, scenario,
    vars: { ruri, to: ruri, checks: '', challenge_checks: '', ...vars }, ...opts, args });
}

function assertSippOk(r) {
  assert.ok(r.rc === 0 && r.ok === 1 && r.failed === 0, `the SIPp call must succeed\n${r.describe()}`);
}

// SIP answers SIPp received, as "100 180 486" for the INVITE transaction(s).
function statuses(r, method = 'INVITE') {
  return r.received.filter((m) => m.status && (m.h('cseq') || '').endsWith(method)).map((m) => m.status);
}

const voiceFor = (env, callId, ms = 5000) =>
  env.app.waitFor((q) => q.path === '/app/voice' && q.params.SipCallId === callId, ms, `voice for ${callId}`);
const statusFor = (env, callSid, ms = 8000) =>
  env.app.waitFor((q) => q.path === '/app/status' && q.params.CallSid === callSid, ms, `status callback for ${callSid}`);

function assertSigned(req) {
  assert.equal(req.signatureValid, true, `twilio.validateRequest rejected ${req.method} ${req.fullUrl} ` +
    `(X-Twilio-Signature ${req.headers['x-twilio-signature']})`);
  assert.equal(req.signatureValidWithWrongToken, false, 'the signature must not validate under another token');
}

async function callResource(env, callSid, wantStatus) {
  let last;
  await until(async () => {
    last = await env.cw.api('GET', `Calls/${callSid}.json`);
    return last.status === 200 && last.body.status === wantStatus;
  }, 5000, `Call ${callSid} with status ${wantStatus} (last: ${last && last.status} ${last && last.text})`);
  return last.body;
}

const rfc2822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/;

// Sum of a Prometheus sample family, optionally restricted to label values.
function metric(text, name, labels = {}) {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] || '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[4]);
  }
  return sum;
}

// ---------------------------------------------------------------------------

if (groupEnabled('routing')) {
  describe('routing', () => {
    const env = setup('routing', ['--edge', 'lab']);

    it('allowed IP: 180, signed voice webhook, <Reject reason="busy"/> → 486, status callback busy, Call resource',
      check(env, async () => {
        const r = await sipp(env, 'invite_final.xml', { final: 486, headers: ['X-Case: busy'] });
        assertSippOk(r);
        // The 180 goes out at once, so no 100 Trying precedes it (RFC 3261 §17.2.1).
        assert.deepEqual(statuses(r), [180, 486]);
        const v = await voiceFor(env, r.callId);
        assert.equal(v.method, 'POST');
        assertSigned(v);
        const p = v.params;
        assert.equal(p.AccountSid, env.sid);
        assert.equal(p.ApiVersion, '2010-04-01');
        assert.match(p.CallSid, /^CA[0-9a-f]{32}$/);
        assert.equal(p.CallStatus, 'ringing');
        assert.equal(p.Direction, 'inbound');
        assert.equal(p.To, `sip:${CALLER}@acme.sip.localhost`);
        assert.equal(p.Called, p.To);
        assert.match(p.From, /^sip:\+15550001111@127\.0\.0\.1(:\d+)?$/);
        assert.equal(p.Caller, p.From);
        assert.equal(p.SipDomain, 'acme.sip.localhost');
        assert.equal(p.SipDomainSid, env.domains.acme.sid);
        assert.equal(p.SipCallId, r.callId);
        assert.equal(p.SipSourceIp, '127.0.0.1');
        assert.equal(p.SipUsername, undefined, 'SipUsername only with credential auth');
        assert.equal(v.headers['user-agent'], 'TwilioProxy/1.1');
        assert.ok(v.headers['i-twilio-idempotency-token'], 'I-Twilio-Idempotency-Token missing');
        assert.match(v.headers['content-type'], /^application\/x-www-form-urlencoded/);

        const s = await statusFor(env, p.CallSid);
        assertSigned(s);
        assert.equal(s.params.CallStatus, 'busy');
        assert.equal(s.params.SipResponseCode, '486');
        assert.match(s.params.Timestamp, rfc2822);
        assert.equal(s.params.SipCallId, r.callId);
        const call = await callResource(env, p.CallSid, 'busy');
        assert.equal(call.direction, 'inbound');
        assert.equal(call.to, p.To);
        assert.equal(call.account_sid, env.sid);
      }));

    it('blocked IP: an INVITE from 127.0.0.2 (ACL holds 127.0.0.1 only) hears nothing at all, not even 100',
      check(env, async () => {
        const r = await sipp(env, 'invite_silence.xml', { wait_ms: 3000, headers: ['X-Case: busy'] },
          { ip: '127.0.0.2' });
        assert.notEqual(r.rc, 0, `the call must fail on its receive timeout\n${r.describe()}`);
        assert.equal(r.failed, 1, r.describe());
        assert.equal(r.received.length, 0,
          `callwire answered a blocked source: ${r.received.map((m) => m.first).join(' | ')}`);
        assert.ok(r.sent.filter((m) => m.first.startsWith('INVITE')).length >= 3,
          `SIPp should have retransmitted the INVITE\n${r.describe()}`);
        assert.equal(env.app.find((q) => q.params.SipCallId === r.callId).length, 0, 'no webhook for a dropped call');
      }));

    it('edge hostnames (dublin, us1, case, :port, --edge lab) reach the same domain; SipDomain is the plain name',
      check(env, async () => {
        for (const host of ['acme.sip.dublin.localhost', 'acme.sip.us1.localhost', 'ACME.SIP.Frankfurt.LocalHost',
          'acme.sip.localhost:5099', 'acme.sip.sao-paulo.localhost:5060', 'acme.sip.lab.localhost']) {
          const r = await sipp(env, 'invite_final.xml', { host, final: 486, headers: ['X-Case: busy'] });
          assert.ok(r.rc === 0 && r.ok === 1, `${host}: ${r.describe()}`);
          const v = await voiceFor(env, r.callId);
          assert.equal(v.params.SipDomain, 'acme.sip.localhost', host);
          assert.equal(v.params.SipDomainSid, env.domains.acme.sid, host);
          assert.equal(v.params.To, `sip:${CALLER}@${host}`, `${host}: To is the Request-URI`);
        }
      }));

    it('unknown domain → 404 with a Reason header, no webhook', check(env, async () => {
      const r = await sipp(env, 'invite_final.xml', {
        host: 'nope.sip.localhost', final: 404,
        checks: '      <ereg regexp="cause=404" search_in="hdr" header="Reason:" check_it="true" assign_to="reason"/>',
      });
      assertSippOk(r);
      const final = r.received.find((m) => m.status === 404);
      assert.match(final.h('reason'), /^SIP;cause=404;text=".*nope\.sip\.localhost.*"$/);
      assert.equal(env.app.find((q) => q.params.SipCallId === r.callId).length, 0);
    }));

    it('domain with nothing mapped → 403 with a Reason header', check(env, async () => {
      const r = await sipp(env, 'invite_final.xml', {
        host: 'empty.sip.localhost', final: 403,
        checks: '      <ereg regexp="cause=403" search_in="hdr" header="Reason:" check_it="true" assign_to="reason"/>',
      });
      assertSippOk(r);
      assert.ok(!statuses(r).includes(180), 'no call may be started');
      assert.equal(env.app.find((q) => q.params.SipCallId === r.callId).length, 0);
    }));

    it('X- headers and User-to-User reach the webhook exactly; other headers do not', check(env, async () => {
      const r = await sipp(env, 'invite_final.xml', {
        final: 486,
        headers: ['X-Case: busy', 'X-Customer-Id: 42', 'X-Info: a=1;b=2', 'X-Mixed-CASE-Name: Two Words & more=1;x',
          'User-to-User: 56a390f3d2b7310023a2;encoding=hex;purpose=call', 'Subject: not forwarded',
          'P-Asserted-Identity: <sip:+15550001111@127.0.0.1>', 'Xylophone: no dash, not forwarded'],
      });
      assertSippOk(r);
      const v = await voiceFor(env, r.callId);
      assertSigned(v);
      const forwarded = Object.fromEntries(Object.entries(v.params).filter(([k]) => k.startsWith('SipHeader_')));
      assert.deepEqual(forwarded, {
        'SipHeader_X-Case': 'busy',
        'SipHeader_X-Customer-Id': '42',
        'SipHeader_X-Info': 'a=1;b=2',
        'SipHeader_X-Mixed-CASE-Name': 'Two Words & more=1;x',
        'SipHeader_User-to-User': '56a390f3d2b7310023a2;encoding=hex;purpose=call',
      });
    }));

    it('VoiceMethod GET: parameters in the query string, signature valid for twilio.validateRequest',
      check(env, async () => {
        const r = await sipp(env, 'invite_final.xml', { host: 'getter.sip.localhost', final: 486,
          headers: ['X-Case: busy', 'X-Info: a=1;b=2'] });
        assertSippOk(r);
        const v = await voiceFor(env, r.callId);
        assert.equal(v.method, 'GET');
        assert.equal(v.body, '');
        assert.equal(v.params.SipDomain, 'getter.sip.localhost');
        assert.equal(v.params['SipHeader_X-Info'], 'a=1;b=2');
        assert.match(v.params.CallSid, /^CA[0-9a-f]{32}$/);
        assertSigned(v);
      }));

    it('<Redirect> to a relative URL is followed (POST, same call), then its TwiML runs', check(env, async () => {
      const r = await sipp(env, 'invite_final.xml', { final: 486, headers: ['X-Case: redirect'] });
      assertSippOk(r);
      const v = await voiceFor(env, r.callId);
      const next = await env.app.waitFor((q) => q.path === '/app/next' && q.params.CallSid === v.params.CallSid, 5000,
        'the redirected request');
      assert.equal(next.method, 'POST');
      assert.equal(next.fullUrl, `${env.app.base}/app/next`);
      assert.equal(next.params.SipCallId, r.callId);
      assertSigned(next);
      assert.equal((await statusFor(env, v.params.CallSid)).params.CallStatus, 'busy');
    }));

    it('<Reject/> → 404 (the default), CallStatus no-answer', check(env, async () => {
      const r = await sipp(env, 'invite_final.xml', { final: 404, headers: ['X-Case: reject'] });
      assertSippOk(r);
      assert.ok(statuses(r).includes(180), 'the call rang before the Reject');
      const v = await voiceFor(env, r.callId);
      const s = await statusFor(env, v.params.CallSid);
      assert.equal(s.params.CallStatus, 'no-answer');
      assert.equal(s.params.SipResponseCode, '404');
      await callResource(env, v.params.CallSid, 'no-answer');
    }));

    it('/metrics: the counters of the calls above moved', check(env, async () => {
      const now = (await env.cw.api('GET', '/metrics')).text;
      const before = env.metricsBefore;
      const moved = (name, labels) => metric(now, name, labels) - metric(before, name, labels);
      assert.ok(moved('callwire_calls_total', { status: 'busy' }) >= 10, 'busy calls');
      assert.ok(moved('callwire_calls_total', { status: 'no-answer' }) >= 1, 'no-answer calls');
      assert.ok(moved('callwire_invites_refused_total', { reason: 'unknown_domain' }) >= 1, 'unknown domain');
      assert.ok(moved('callwire_invites_refused_total', { reason: 'no_auth_mapped' }) >= 1, 'nothing mapped');
      assert.ok(moved('callwire_admission_drops_total', { reason: 'ip_acl' }) >= 1, 'ACL drops');
      assert.ok(moved('callwire_webhooks_total', { kind: 'voice', outcome: 'ok' }) >= 10, 'voice webhooks');
      assert.ok(moved('callwire_webhooks_total', { kind: 'status_callback', outcome: 'ok' }) >= 1, 'status callbacks');
      assert.ok(moved('callwire_webhook_latency_seconds_count', { kind: 'voice' }) >= 10, 'latency histogram');
      assert.equal(metric(now, 'callwire_active_calls'), 0, 'no call left active');
    }));

    it('callwire is still running', check(env, async () => assert.ok(env.cw.alive())));
  });
}

// ---------------------------------------------------------------------------

if (groupEnabled('digest')) {
  describe('digest', () => {
    const secret1 = crypto.randomBytes(16).toString('hex');
    const env = setup('digest', [], ['--nonce-secret', secret1]);
    const challengeChecks = ['realm="sip\\.localhost"', 'qop="auth"', 'nonce="[^"]+"', 'opaque="[^"]+"']
      .map((re, i) => `      <ereg regexp="${re}" search_in="hdr" header="Proxy-Authenticate:" check_it="true" ` +
        `assign_to="pa${i}"/>`).join('\n');

    it('credential list: 407 (realm, qop, nonce, opaque), INVITE with credentials → webhook with SipUsername → 486',
      check(env, async () => {
        const r = await sipp(env, 'invite_digest.xml', { host: 'creds.sip.localhost', final: 486,
          challenge_checks: challengeChecks, headers: ['X-Case: busy'] }, { args: ['-au', 'alice', '-ap', PASSWORD] });
        assertSippOk(r);
        const c = parseChallenge(r.received.find((m) => m.status === 407).h('proxy-authenticate'));
        assert.equal(c.scheme, 'Digest');
        assert.equal(c.realm, 'sip.localhost');
        assert.equal(c.qop, 'auth');
        assert.ok(c.nonce && c.opaque, 'nonce and opaque');
        assert.ok(!c.algorithm || c.algorithm === 'MD5', `algorithm ${c.algorithm}`);
        assert.equal(c.stale, undefined, 'a first challenge is not stale');
        const v = await voiceFor(env, r.callId);
        assertSigned(v);
        assert.equal(v.params.SipUsername, 'alice');
        assert.equal(v.params.SipDomain, 'creds.sip.localhost');
      }));

    it('wrong password → 403, no webhook', check(env, async () => {
      const r = await sipp(env, 'invite_digest.xml', { host: 'creds.sip.localhost', final: 403,
        challenge_checks: challengeChecks }, { args: ['-au', 'alice', '-ap', 'Wrong-Password-1'] });
      assertSippOk(r);
      assert.ok(!statuses(r).includes(180));
      assert.equal(env.app.find((q) => q.params.SipCallId === r.callId).length, 0);
    }));

    it('replayed nonce-count is refused with a new challenge; the next count is accepted', check(env, async () => {
      const uac = await new RawUac().open();
      try {
        const ruri = `sip:${CALLER}@creds.sip.localhost`;
        const port = env.cw.sipPort;
        const first = await uac.invite({ port, ruri });
        assert.equal(first.final && first.final.status, 407);
        const challenge = parseChallenge(first.final.h('proxy-authenticate'));
        const auth1 = digestHeader({ challenge, username: 'alice', password: PASSWORD, uri: ruri, nc: 1 });
        const ok = await uac.invite({ port, ruri, callId: first.callId, cseq: 2, headers: [auth1, 'X-Case: busy'] });
        assert.equal(ok.final && ok.final.status, 486, 'nc=1 is accepted');
        // The very same request again (a captured packet replayed, new Call-ID).
        const replay = await uac.invite({ port, ruri, headers: [auth1, 'X-Case: busy'] });
        assert.equal(replay.final && replay.final.status, 407, 'a replayed nonce-count must not be accepted');
        assert.ok(!replay.all.some((m) => m.status === 180), 'no call for a replay');
        assert.equal(env.app.find((q) => q.params.SipCallId === replay.callId).length, 0);
        const auth2 = digestHeader({ challenge, username: 'alice', password: PASSWORD, uri: ruri, nc: 2 });
        const next = await uac.invite({ port, ruri, headers: [auth2, 'X-Case: busy'] });
        assert.equal(next.final && next.final.status, 486, 'nc=2 on the same nonce is accepted');
      } finally {
        uac.close();
      }
    }));

    it('both ACL and credentials mapped: right IP without credentials → 407, then with them → 486',
      check(env, async () => {
        const r = await sipp(env, 'invite_digest.xml', { host: 'both.sip.localhost', final: 486,
          challenge_checks: challengeChecks, headers: ['X-Case: busy'] }, { args: ['-au', 'alice', '-ap', PASSWORD] });
        assertSippOk(r);
        assert.equal((await voiceFor(env, r.callId)).params.SipUsername, 'alice');
      }));

    it('both mapped: wrong IP with valid-looking credentials → silence', check(env, async () => {
      const uac = await new RawUac().open();
      try {
        const ruri = `sip:${CALLER}@both.sip.localhost`;
        const first = await uac.invite({ port: env.cw.sipPort, ruri });
        assert.equal(first.final && first.final.status, 407);
        const challenge = parseChallenge(first.final.h('proxy-authenticate'));
        const auth = digestHeader({ challenge, username: 'alice', password: PASSWORD, uri: ruri, nc: 1 });
        const r = await sipp(env, 'invite_silence.xml', { host: 'both.sip.localhost', wait_ms: 3000,
          headers: [auth, 'X-Case: busy'] }, { ip: '127.0.0.2' });
        assert.notEqual(r.rc, 0, r.describe());
        assert.equal(r.received.length, 0, `answered: ${r.received.map((m) => m.first).join(' | ')}`);
        assert.equal(env.app.find((q) => q.params.SipCallId === r.callId).length, 0);
      } finally {
        uac.close();
      }
    }));

    it('stale nonce (issued by a previous run with another --nonce-secret) → 407 with stale=true, fresh one works',
      check(env, async () => {
        const uac = await new RawUac().open();
        try {
          const ruri = `sip:${CALLER}@creds.sip.localhost`;
          const first = await uac.invite({ port: env.cw.sipPort, ruri });
          assert.equal(first.final && first.final.status, 407);
          const old = parseChallenge(first.final.h('proxy-authenticate'));
          assert.equal(await env.cw.stop(), 0, 'clean stop before the restart');
          await env.cw.start(['--nonce-secret', crypto.randomBytes(16).toString('hex')]);
          const auth = digestHeader({ challenge: old, username: 'alice', password: PASSWORD, uri: ruri, nc: 1 });
          const stale = await uac.invite({ port: env.cw.sipPort, ruri, headers: [auth, 'X-Case: busy'] });
          assert.equal(stale.final && stale.final.status, 407, 'an old nonce is challenged again');
          const c = parseChallenge(stale.final.h('proxy-authenticate'));
          assert.equal(c.stale, 'true', `stale=true expected in ${stale.final.h('proxy-authenticate')}`);
          assert.notEqual(c.nonce, old.nonce);
          const fresh = digestHeader({ challenge: c, username: 'alice', password: PASSWORD, uri: ruri, nc: 1 });
          const ok = await uac.invite({ port: env.cw.sipPort, ruri, headers: [fresh, 'X-Case: busy'] });
          assert.equal(ok.final && ok.final.status, 486);
        } finally {
          uac.close();
        }
      }));

    it('callwire is still running', check(env, async () => assert.ok(env.cw.alive())));
  });
}

// ---------------------------------------------------------------------------

if (groupEnabled('dialog')) {
  describe('dialog', () => {
    const env = setup('dialog');

    it('<Say/><Pause length="2"/><Hangup/>: 200 accepting audio and declining video, ACK, BYE after ~2 s, CallDuration 2',
      check(env, async () => {
        const started = Date.now();
        const r = await sipp(env, 'invite_answer_callee_bye.xml', { bye_wait_ms: 6000,
          headers: ['X-Case: say_pause_hangup'] });
        assertSippOk(r);
        const elapsed = Date.now() - started;
        assert.ok(elapsed >= 1800, `the BYE came after ${elapsed} ms, before the 2 s pause ended`);
        const v = await voiceFor(env, r.callId);
        const s = await statusFor(env, v.params.CallSid);
        assertSigned(s);
        assert.equal(s.params.CallStatus, 'completed');
        const d = Number(s.params.CallDuration);
        assert.ok(d >= 1 && d <= 3, `CallDuration ${s.params.CallDuration}, expected 2 ± 1`);
        assert.match(s.params.Timestamp, rfc2822);
        const call = await callResource(env, v.params.CallSid, 'completed');
        assert.equal(call.duration, s.params.CallDuration);
      }));

    it('caller hangs up after ~1.5 s: BYE answered 200, status callback completed with its CallDuration',
      check(env, async () => {
        const r = await sipp(env, 'invite_answer_caller_bye.xml', { talk_ms: 1500, headers: ['X-Case: say_long'] });
        assertSippOk(r);
        const v = await voiceFor(env, r.callId);
        const s = await statusFor(env, v.params.CallSid);
        assert.equal(s.params.CallStatus, 'completed');
        const d = Number(s.params.CallDuration);
        assert.ok(d >= 1 && d <= 2, `CallDuration ${s.params.CallDuration}, expected 1.5 rounded`);
        assert.equal(s.params.SipResponseCode, '200');
      }));

    it('<Hangup/> first: the call is answered, then BYE after the ACK', check(env, async () => {
      const r = await sipp(env, 'invite_answer_callee_bye.xml', { bye_wait_ms: 4000, headers: ['X-Case: hangup'] });
      assertSippOk(r);
      const ackAt = r.sent.findIndex((m) => m.first.startsWith('ACK'));
      const byeAt = r.received.findIndex((m) => m.first.startsWith('BYE'));
      assert.ok(ackAt >= 0 && byeAt >= 0, r.describe());
      const v = await voiceFor(env, r.callId);
      const s = await statusFor(env, v.params.CallSid);
      assert.equal(s.params.CallStatus, 'completed');
      assert.ok(Number(s.params.CallDuration) <= 1, `CallDuration ${s.params.CallDuration}`);
    }));

    it('CANCEL while the webhook runs → 487; the late webhook answer is ignored; CallStatus canceled',
      check(env, async () => {
        const r = await sipp(env, 'invite_cancel.xml', { cancel_after_ms: 300, listen_ms: 3000,
          headers: ['X-Case: slow2000'] });
        assertSippOk(r);
        const answers = statuses(r);
        assert.ok(answers.includes(487), r.describe());
        assert.ok(!answers.includes(200), `a 200 answered the cancelled INVITE: ${answers}`);
        const v = await voiceFor(env, r.callId);
        // The app did answer (late): callwire must have dropped that answer.
        await until(() => v.answeredAt || v.clientGone, 5000, 'the slow webhook to finish');
        const s = await statusFor(env, v.params.CallSid);
        assert.equal(s.params.CallStatus, 'canceled');
        assert.equal(s.params.SipResponseCode, '487');
        await callResource(env, v.params.CallSid, 'canceled');
        await sleep(300);
        assert.equal(env.app.find((q) => q.params.CallSid === v.params.CallSid && q.path !== '/app/voice')
          .map((q) => q.path).join(','), '/app/status', 'only one status callback, no other request');
      }));

    it('callwire is still running', check(env, async () => assert.ok(env.cw.alive())));
  });
}

// ---------------------------------------------------------------------------
// RTP as the PBX sees it: a UDP socket of the test is the SDP's audio port.

async function rtpSink() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 42000 + 2 * crypto.randomInt(0, 4000);  // even, as RTP wants
    const sock = dgram.createSocket('udp4');
    const bound = await new Promise((resolve) => {
      sock.once('error', () => resolve(false));
      sock.bind(port, '127.0.0.1', () => resolve(true));
    });
    if (!bound) { sock.close(); continue; }
    const packets = [];
    sock.on('message', (m) => packets.push({ m, at: Date.now() }));
    return { port, packets, close: () => sock.close() };
  }
  throw new Error('no free even UDP port for RTP');
}

// G.711 µ-law byte → linear PCM16 (ITU-T G.711).
function ulaw(u) {
  u = ~u & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

// The RTP packets of payload type `pt` (version 2, CSRCs and extension
// skipped) with the RMS of their µ-law audio.
function rtpAudio(packets, pt) {
  const audio = packets.map((p) => p.m).filter((m) => m.length > 12 && (m[0] >> 6) === 2 && (m[1] & 0x7f) === pt);
  let sum = 0;
  let n = 0;
  for (const m of audio) {
    let off = 12 + 4 * (m[0] & 0x0f);
    if (m[0] & 0x10) off += 4 + 4 * m.readUInt16BE(off + 2);
    for (let i = off; i < m.length; i++) { const x = ulaw(m[i]); sum += x * x; n++; }
  }
  return { count: audio.length, samples: n, rms: n ? Math.sqrt(sum / n) : 0 };
}

function sdpOf(msg) { return msg.text.split('\r\n\r\n').slice(1).join('\r\n\r\n'); }

if (groupEnabled('media')) {
  describe('media', () => {
    const RTP_FIRST = 30000 + 2 * crypto.randomInt(0, 4000);
    const RTP_LAST = RTP_FIRST + 999;
    const env = setup('media', ['--rtp-ports', `${RTP_FIRST}-${RTP_LAST}`, '--demo']);
    const PCMU_EVENTS = { payloads: '0 101', rtpmaps: 'a=rtpmap:0 PCMU/8000\na=rtpmap:101 telephone-event/8000\na=fmtp:101 0-16' };

    // A domain whose Voice URL is callwire's own message twimlet.
    async function twimletDomain(label, messages) {
      const query = messages.map((m, i) => `Message%5B${i}%5D=${encodeURIComponent(m)}`).join('&');
      const d = await env.cw.create('SIP/Domains.json',
        { DomainName: `${label}.sip.localhost`, VoiceUrl: `${env.cw.base}/twimlets/message?${query}` });
      const acls = await env.cw.api('GET', 'SIP/IpAccessControlLists.json');
      await env.cw.create(`SIP/Domains/${d.sid}/Auth/Calls/IpAccessControlListMappings.json`,
        { IpAccessControlListSid: acls.body.ip_access_control_lists[0].sid });
      return d;
    }

    it('the message twimlet answers <Say> and <Play> TwiML, without credentials', check(env, async () => {
      const r = await fetch(`${env.cw.base}/twimlets/message?Message%5B1%5D=http%3A%2F%2Fx%2Fa.mp3&` +
        'Message%5B0%5D=%20Hi%20%3Cthere%3E%20&Message%5B2%5D=%20');
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type'), /^text\/xml/);
      assert.equal(await r.text(), '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hi &lt;there&gt;</Say>' +
        '<Play>http://x/a.mp3</Play></Response>');
      const p = await fetch(`${env.cw.base}/twimlets/message?Message=Hello`, { method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'CallSid=CA1' });
      assert.equal(await p.text(), '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello</Say></Response>');
    }));

    it('INVITE with PCMU + telephone-event: SDP answer in the 200, spoken RTP for <Say>, BYE at the end',
      check(env, async () => {
        await twimletDomain('hello', ['Congratulations! You just made your first call with callwire SIP.']);
        const sink = await rtpSink();
        try {
          const r = await sipp(env, 'invite_media.xml', { host: 'hello.sip.localhost', rtp_port: sink.port,
            bye_wait_ms: 15000, ...PCMU_EVENTS });
          assertSippOk(r);
          const ok = r.received.find((m) => m.status === 200 && (m.h('cseq') || '').endsWith('INVITE'));
          const sdp = sdpOf(ok);
          assert.match(ok.h('content-type'), /application\/sdp/);
          const m = /m=audio (\d+) RTP\/AVP 0 101\r\n/.exec(sdp);
          assert.ok(m, `the answer must keep PCMU and telephone-event:\n${sdp}`);
          const port = Number(m[1]);
          assert.ok(port >= RTP_FIRST && port <= RTP_LAST, `RTP port ${port} outside ${RTP_FIRST}-${RTP_LAST}`);
          assert.match(sdp, /c=IN IP4 127\.0\.0\.1\r\n/);
          assert.match(sdp, /a=rtpmap:0 PCMU\/8000/);
          const audio = rtpAudio(sink.packets, 0);
          // ~3-4 s of speech at 50 packets/s.
          assert.ok(audio.count >= 100, `only ${audio.count} PCMU packets arrived`);
          assert.ok(audio.rms > 300, `the audio is silence (RMS ${audio.rms.toFixed(1)})`);
          assert.equal(env.app.find((q) => q.params.SipCallId === r.callId).length, 0, 'no app behind a twimlet');
        } finally {
          sink.close();
        }
      }));

    it('<Play> of the app\'s WAV, loop 2: about 2 s of the tone, then BYE', check(env, async () => {
      const sink = await rtpSink();
      try {
        const started = Date.now();
        const r = await sipp(env, 'invite_media.xml', { rtp_port: sink.port, bye_wait_ms: 10000,
          headers: ['X-Case: play_tone'], payloads: '0', rtpmaps: 'a=rtpmap:0 PCMU/8000' });
        assertSippOk(r);
        const audio = rtpAudio(sink.packets, 0);
        assert.ok(audio.count >= 90 && audio.count <= 130, `${audio.count} packets for 2 s of tone`);
        // A -6 dBFS sine has an RMS of about 11585.
        assert.ok(audio.rms > 5000, `tone RMS ${audio.rms.toFixed(1)}`);
        assert.ok(Date.now() - started >= 1900, 'the BYE came before the tone had played twice');
        // The BYE waits ~200 ms after the tone's last frame, so the caller's
        // jitter buffer plays it out: about 10 silence frames come in between.
        const pkts = rtpHeaders(sink.packets).filter((p) => p.pt === 0);
        const silent = (p) => p.m.subarray(12).every((x) => x === 0xff);
        let tail = 0;
        while (tail < pkts.length && silent(pkts[pkts.length - 1 - tail])) tail++;
        assert.ok(tail >= 7 && tail < pkts.length, `${tail} silence frames between the tone's end and the BYE`);
        assert.equal(env.app.find((q) => q.path === '/media/tone.wav').length, 1, 'fetched once (cached)');
        assert.equal(env.app.find((q) => q.path === '/media/tone.wav')[0].method, 'GET');
      } finally {
        sink.close();
      }
    }));

    it('<Play> of a missing file: alert 11200, the next verb still runs', check(env, async () => {
      const sink = await rtpSink();
      try {
        const r = await sipp(env, 'invite_media.xml', { rtp_port: sink.port, bye_wait_ms: 10000,
          headers: ['X-Case: play_missing'], payloads: '0', rtpmaps: 'a=rtpmap:0 PCMU/8000' });
        assertSippOk(r);
        assert.ok(rtpAudio(sink.packets, 0).rms > 300, 'the <Say> after the failed <Play> must be heard');
        const v = await voiceFor(env, r.callId);
        await until(async () => {
          const listed = (await env.cw.api('GET', '/v1/Alerts?PageSize=100')).body.alerts || [];
          return listed.some((a) => a.error_code === '11200' && a.resource_sid === v.params.CallSid);
        }, 5000, `an 11200 alert for ${v.params.CallSid}`);
      } finally {
        sink.close();
      }
    }));

    it('INVITE without SDP: our offer in the 200, the answer in the ACK, RTP to it', check(env, async () => {
      await twimletDomain('nosdp', ['One two three.']);
      const sink = await rtpSink();
      try {
        const r = await sipp(env, 'invite_no_sdp.xml', { host: 'nosdp.sip.localhost', rtp_port: sink.port,
          bye_wait_ms: 10000 });
        assertSippOk(r);
        const ok = r.received.find((m) => m.status === 200 && (m.h('cseq') || '').endsWith('INVITE'));
        const port = Number(/m=audio (\d+) RTP\/AVP /.exec(sdpOf(ok))[1]);
        assert.ok(port >= RTP_FIRST && port <= RTP_LAST, `RTP port ${port}`);
        const audio = rtpAudio(sink.packets, 0);
        assert.ok(audio.count >= 25 && audio.rms > 300, `RTP after the ACK: ${JSON.stringify(audio)}`);
      } finally {
        sink.close();
      }
    }));

    it('only G.729 offered: 488 with a Reason, CallStatus failed', check(env, async () => {
      const r = await sipp(env, 'invite_media_refused.xml', { final: 488, headers: ['X-Case: say_pause_hangup'],
        proto: 'RTP/AVP', payloads: '18', rtpmaps: 'a=rtpmap:18 G729/8000' });
      assertSippOk(r);
      const refused = r.received.find((m) => m.status === 488);
      assert.match(refused.h('reason') || '', /^SIP;cause=488/);
      assert.ok(!statuses(r).includes(200), 'no 200 for a call without a common codec');
      const v = await voiceFor(env, r.callId);
      const s = await statusFor(env, v.params.CallSid);
      assert.equal(s.params.CallStatus, 'failed');
      assert.equal(s.params.SipResponseCode, '488');
    }));

    it('an RTP/SAVP offer to a domain without Secure: 488 with a Reason (RTP only, as the contract says)',
      check(env, async () => {
        const key = crypto.randomBytes(30).toString('base64');
        const r = await sipp(env, 'invite_media_refused.xml', { final: 488, headers: ['X-Case: say_pause_hangup'],
          proto: 'RTP/SAVP', payloads: '0', rtpmaps: `a=rtpmap:0 PCMU/8000\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${key}` });
        assertSippOk(r);
        const refused = r.received.find((m) => m.status === 488);
        assert.match(refused.h('reason') || '', /^SIP;cause=488;text=".*SRTP/);
        assert.ok(!statuses(r).includes(200), 'no 200 for an SRTP-only offer');
      }));

    it('--demo: demo.sip.localhost with the printed password hears the congratulations', check(env, async () => {
      const printed = /username: (\S+)\n\s*password: (\S+)/.exec(fs.readFileSync(env.cw.logPath, 'utf8'));
      assert.ok(printed, 'callwire --demo must print the demo SIP account');
      const domains = (await env.cw.api('GET', 'SIP/Domains.json')).body.domains;
      const demo = domains.find((d) => d.domain_name === 'demo.sip.localhost');
      assert.ok(demo, 'the demo domain exists');
      assert.match(demo.voice_url, /\/twimlets\/message\?Message%5B0%5D=Congratulations!%20You%20just%20made/);
      const sink = await rtpSink();
      try {
        const r = await sipp(env, 'invite_digest_media.xml', { host: 'demo.sip.localhost', user: printed[1],
          rtp_port: sink.port, bye_wait_ms: 15000 }, { args: ['-au', printed[1], '-ap', printed[2]] });
        assertSippOk(r);
        const audio = rtpAudio(sink.packets, 0);
        assert.ok(audio.count >= 100 && audio.rms > 300, `the congratulations: ${JSON.stringify(audio)}`);
      } finally {
        sink.close();
      }
    }));

    it('callwire is still running', check(env, async () => assert.ok(env.cw.alive())));
  });
}

// ---------------------------------------------------------------------------
// re-INVITE / UPDATE on answered calls, and SRTP (SDES).

// RTP headers of what a sink received: {pt, seq, ts, ssrc, marker, at, payload}.
function rtpHeaders(packets) {
  return packets.map((p) => ({ m: p.m, at: p.at }))
    .filter(({ m }) => m.length >= 12 && (m[0] >> 6) === 2 && ((m[1] & 0x7f) < 64 || (m[1] & 0x7f) > 95))
    .map(({ m, at }) => ({ pt: m[1] & 0x7f, marker: (m[1] & 0x80) !== 0, seq: m.readUInt16BE(2), ts: m.readUInt32BE(4),
      ssrc: m.readUInt32BE(8), at, m }));
}

// The first answer of each CSeq number to `method` (retransmissions dropped).
function answersByCseq(r, method, status) {
  const out = {};
  for (const m of r.received) {
    const cseq = /^(\d+) (\w+)/.exec(m.h('cseq') || '');
    if (!cseq || cseq[2] !== method || (status && m.status !== status) || !m.status || m.status < 200) continue;
    out[cseq[1]] ||= m;
  }
  return out;
}

function origin(sdp) {
  const o = /^o=\S+ (\d+) (\d+) IN IP[46] /m.exec(sdp);
  assert.ok(o, `no o= line in\n${sdp}`);
  return { id: o[1], version: Number(o[2]) };
}

// The longest silence between consecutive packets, and where it is.
function longestGap(pkts) {
  let best = { ms: 0, at: -1 };
  for (let i = 1; i < pkts.length; i++) {
    const ms = pkts[i].at - pkts[i - 1].at;
    if (ms > best.ms) best = { ms, at: i };
  }
  return best;
}

// SRTP (RFC 3711) with AES_CM_128 and HMAC-SHA1, decrypted with node's
// crypto: the session keys from the master key||salt (kdr 0), then
// AES-128-CTR over the payload after checking the tag. ROC 0 (a short call).
function srtpKeys(keySalt) {
  const key = keySalt.subarray(0, 16);
  const salt = keySalt.subarray(16, 30);
  const derive = (label, len) => {
    const iv = Buffer.alloc(16);
    salt.copy(iv, 0);
    iv[7] ^= label;
    const c = crypto.createCipheriv('aes-128-ctr', key, iv);
    return Buffer.concat([c.update(Buffer.alloc(len)), c.final()]);
  };
  return { ke: derive(0, 16), ka: derive(1, 20), ks: derive(2, 14) };
}

function srtpDecrypt(keys, m, tagLen) {
  const body = m.subarray(0, m.length - tagLen);
  const tag = m.subarray(m.length - tagLen);
  const mac = crypto.createHmac('sha1', keys.ka).update(body).update(Buffer.alloc(4)).digest().subarray(0, tagLen);
  if (!crypto.timingSafeEqual(mac, tag)) return null;
  const cc = m[0] & 0x0f;
  const off = 12 + 4 * cc;
  const iv = Buffer.alloc(16);
  keys.ks.copy(iv, 0);
  for (let i = 0; i < 4; i++) iv[4 + i] ^= m[8 + i];  // SSRC
  iv[12] ^= m[2];  // index = ROC (0) || SEQ
  iv[13] ^= m[3];
  const c = crypto.createDecipheriv('aes-128-ctr', keys.ke, iv);
  return Buffer.concat([body.subarray(0, off), c.update(body.subarray(off)), c.final()]);
}

// One INVITE over TLS to a secure domain (the SIPp build may lack TLS): the
// answers to it until a final one; a 2xx is ACKed and the call ended by BYE,
// another final is ACKed.
async function tlsInvite(port, { ruri, sdp, headers = [] }) {
  const tls = require('node:tls');
  const sock = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
  await new Promise((resolve, reject) => { sock.once('secureConnect', resolve); sock.once('error', reject); });
  const local = sock.address().port;
  const callId = crypto.randomUUID();
  const tag = crypto.randomBytes(4).toString('hex');
  const via = () => `Via: SIP/2.0/TLS 127.0.0.1:${local};branch=z9hG4bK${crypto.randomBytes(8).toString('hex')};rport`;
  const from = `From: <sip:+15550001111@127.0.0.1>;tag=${tag}`;
  const messages = [];
  let waiting = null;
  let buf = Buffer.alloc(0);
  sock.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end).toString('latin1');
      const len = Number((/^(?:content-length|l)\s*:\s*(\d+)/im.exec(head) || [0, 0])[1]);
      if (buf.length < end + 4 + len) return;
      const lines = head.split('\r\n');
      const h = {};
      for (const line of lines.slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) h[line.slice(0, i).trim().toLowerCase()] ||= line.slice(i + 1).trim();
      }
      const m = { first: lines[0], status: Number((/^SIP\/2\.0 (\d{3})/.exec(lines[0]) || [0, 0])[1]), h,
        body: buf.subarray(end + 4, end + 4 + len).toString('latin1') };
      buf = buf.subarray(end + 4 + len);
      messages.push(m);
      if (waiting && waiting.test(m)) { const w = waiting; waiting = null; w.resolve(m); }
    }
  });
  const next = (test, ms = 8000) => new Promise((resolve) => {
    const found = messages.find(test);
    if (found) { resolve(found); return; }
    const timer = setTimeout(() => { waiting = null; resolve(null); }, ms);
    waiting = { test, resolve: (m) => { clearTimeout(timer); resolve(m); } };
  });
  const send = (lines, body = '') => sock.write([...lines, `Content-Length: ${Buffer.byteLength(body)}`, '', body]
    .join('\r\n'));
  const common = (cseq, method) => [from, `Call-ID: ${callId}`, `CSeq: ${cseq} ${method}`, 'Max-Forwards: 70'];
  const invite = [`INVITE ${ruri} SIP/2.0`, via(), `To: <${ruri}>`, ...common(1, 'INVITE'),
    `Contact: <sip:pbx@127.0.0.1:${local};transport=tls>`, 'User-Agent: callwire-calls-test', ...headers,
    'Content-Type: application/sdp'];
  send(invite, sdp);
  const final = await next((m) => m.status >= 200 && (m.h.cseq || '').endsWith('INVITE'), 10000);
  try {
    if (final && final.status >= 300) {
      send([`ACK ${ruri} SIP/2.0`, invite[1], `To: ${final.h.to}`, ...common(1, 'ACK')]);
    } else if (final) {
      send([`ACK ${ruri} SIP/2.0`, via(), `To: ${final.h.to}`, ...common(1, 'ACK')]);
      send([`BYE ${ruri} SIP/2.0`, via(), `To: ${final.h.to}`, ...common(2, 'BYE')]);
      await next((m) => m.status === 200 && (m.h.cseq || '').endsWith('BYE'), 5000);
    }
  } finally {
    sock.end();
  }
  return { final, messages };
}

if (groupEnabled('reinvite')) {
  describe('reinvite', () => {
    const RTP_FIRST = 30000 + 2 * crypto.randomInt(0, 4000);
    // TLS for the Secure-domain case: a certificate and a port made before callwire starts.
    // --srtp-on-insecure-domains: the SAVP case below runs on a domain without Secure.
    const flags = ['--rtp-ports', `${RTP_FIRST}-${RTP_FIRST + 999}`, '--srtp-on-insecure-domains'];
    const tlsSetup = {};
    before(async () => {
      tlsSetup.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callwire-reinvite-tls-'));
      const [cert, key] = [path.join(tlsSetup.dir, 'cert.pem'), path.join(tlsSetup.dir, 'key.pem')];
      require('node:child_process').execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes',
        '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
      tlsSetup.port = await require('./harness').freePort();
      flags.push('--sips-listen', `127.0.0.1:${tlsSetup.port}`, '--tls-cert', cert, '--tls-key', key);
    });
    after(() => { if (tlsSetup.dir) fs.rmSync(tlsSetup.dir, { recursive: true, force: true }); });
    const env = setup('reinvite', flags);
    const LONG = ['X-Case: say_long'];  // <Say>x</Say><Pause length="30"/>: RTP flows until our BYE

    it('hold: a=sendonly re-INVITE is answered a=recvonly and callwire sends no RTP until the resume re-INVITE',
      check(env, async () => {
        const sink = await rtpSink();
        try {
          const r = await sipp(env, 'reinvite_hold_resume.xml', { rtp_port: sink.port, talk_ms: 1500, hold_ms: 2500,
            headers: LONG });
          assertSippOk(r);
          const oks = answersByCseq(r, 'INVITE', 200);
          const [first, hold, resume] = [sdpOf(oks[1]), sdpOf(oks[2]), sdpOf(oks[3])];
          assert.match(hold, /a=recvonly\r\n/);
          assert.match(resume, /a=sendrecv\r\n/);
          const o1 = origin(first);
          assert.deepEqual([origin(hold), origin(resume)], [{ id: o1.id, version: o1.version + 1 },
            { id: o1.id, version: o1.version + 2 }], 'same o= session id, version + 1 per change');
          const pkts = rtpHeaders(sink.packets).filter((p) => p.pt === 0);
          const gap = longestGap(pkts);
          assert.ok(gap.ms >= 2000 && gap.ms < 4000, `no RTP for the 2.5 s on hold: longest gap ${gap.ms} ms`);
          assert.ok(gap.at >= 50 && pkts.length - gap.at >= 50,
            `RTP before (${gap.at}) and after (${pkts.length - gap.at}) the hold`);
          const [before, after] = [pkts[gap.at - 1], pkts[gap.at]];
          assert.equal(after.ssrc, before.ssrc, 'one SSRC across the hold');
          assert.equal(after.seq, (before.seq + 1) & 0xffff, 'no sequence numbers skipped while on hold');
          const elapsed = ((after.ts - before.ts) >>> 0) / 8;  // ms at 8 kHz
          assert.ok(Math.abs(elapsed - gap.ms) < 500, `timestamps moved ${elapsed} ms over a ${gap.ms} ms hold`);
          assert.ok(after.marker, 'resuming starts a talkspurt');
        } finally {
          sink.close();
        }
      }));

    it('codec change PCMU → PCMA by re-INVITE (one SSRC, no sequence gap), session refresh keeps the o= version, ' +
      'G.729-only re-INVITE → 488 with a Reason and the call goes on', check(env, async () => {
      const sink = await rtpSink();
      try {
        const r = await sipp(env, 'reinvite_codec.xml', { rtp_port: sink.port, talk_ms: 1200, headers: LONG });
        assertSippOk(r);
        const oks = answersByCseq(r, 'INVITE', 200);
        assert.match(sdpOf(oks[1]), /m=audio \d+ RTP\/AVP 0 101\r\n/);
        assert.match(sdpOf(oks[2]), /m=audio \d+ RTP\/AVP 8 101\r\n/);
        assert.match(sdpOf(oks[2]), /a=rtpmap:8 PCMA\/8000/);
        const [o1, o2, o3] = [origin(sdpOf(oks[1])), origin(sdpOf(oks[2])), origin(sdpOf(oks[3]))];
        assert.equal(o2.version, o1.version + 1, 'the codec change moves the version');
        assert.deepEqual(o3, o2, 'the refresh repeats the SDP and its version');
        assert.equal(sdpOf(oks[3]), sdpOf(oks[2]));
        const refused = answersByCseq(r, 'INVITE')[4];
        assert.equal(refused && refused.status, 488);
        assert.match(refused.h('reason') || '', /^SIP;cause=488;text="no common codec"/);

        const pkts = rtpHeaders(sink.packets);
        const firstPcma = pkts.findIndex((p) => p.pt === 8);
        assert.ok(firstPcma >= 40, `PCMU first (${firstPcma} packets)`);
        assert.ok(pkts.slice(firstPcma).every((p) => p.pt === 8), 'only PCMA after the switch');
        assert.ok(pkts.length - firstPcma >= 80, `${pkts.length - firstPcma} PCMA packets`);
        assert.ok(pkts.every((p) => p.ssrc === pkts[0].ssrc), 'one SSRC for the whole call');
        const [a, b] = [pkts[firstPcma - 1], pkts[firstPcma]];
        assert.equal(b.seq, (a.seq + 1) & 0xffff, 'sequence numbers run on across the codec change');
        assert.ok(b.marker, 'the first PCMA packet starts a talkspurt');
        // The 488 changed nothing: PCMA still flows in the last 1.2 s.
        const last = pkts[pkts.length - 1];
        assert.equal(last.pt, 8);
        assert.ok(pkts.filter((p) => p.at > last.at - 1000).length >= 40, 'RTP continued after the 488');
      } finally {
        sink.close();
      }
    }));

    it('UPDATE with SDP: the 200 carries the answer; new port and hold (a=recvonly), then resume', check(env, async () => {
      const a = await rtpSink();
      const b = await rtpSink();
      try {
        const r = await sipp(env, 'update_media.xml', { rtp_port: a.port, rtp_port2: b.port, talk_ms: 1200,
          hold_ms: 2000, headers: LONG });
        assertSippOk(r);
        const oks = answersByCseq(r, 'UPDATE', 200);
        assert.match(oks[2].h('content-type') || '', /application\/sdp/);
        assert.match(sdpOf(oks[2]), /a=recvonly\r\n/);
        assert.match(sdpOf(oks[3]), /a=sendrecv\r\n/);
        const pa = rtpHeaders(a.packets).filter((p) => p.pt === 0);
        const pb = rtpHeaders(b.packets).filter((p) => p.pt === 0);
        assert.ok(pa.length >= 40, `${pa.length} packets at the first port`);
        assert.ok(pb.length >= 40, `${pb.length} packets at the new port after the resume`);
        const held = pb[0].at - pa[pa.length - 1].at;
        assert.ok(held >= 1500, `no RTP anywhere while on hold (${held} ms between the last and the next packet)`);
        assert.equal(pb[0].ssrc, pa[0].ssrc);
      } finally {
        a.close();
        b.close();
      }
    }));

    it('re-INVITE without SDP: our offer in the 200 (same session, version + 1); an UPDATE crossing it → 491; ' +
      'the ACK answers PCMA', check(env, async () => {
      const sink = await rtpSink();
      try {
        const r = await sipp(env, 'reinvite_no_sdp_glare.xml', { rtp_port: sink.port, talk_ms: 1200, headers: LONG });
        assertSippOk(r);
        const oks = answersByCseq(r, 'INVITE', 200);
        const offer = sdpOf(oks[2]);
        assert.match(offer, /m=audio \d+ RTP\/AVP 0 /, `the codec in use is offered first:\n${offer}`);
        const [o1, o2] = [origin(sdpOf(oks[1])), origin(offer)];
        assert.deepEqual(o2, { id: o1.id, version: o1.version + 1 });
        const glare = answersByCseq(r, 'UPDATE')[3];
        assert.equal(glare && glare.status, 491);
        const pkts = rtpHeaders(sink.packets);
        const firstPcma = pkts.findIndex((p) => p.pt === 8);
        assert.ok(firstPcma > 0 && pkts.length - firstPcma >= 40, `PCMU then PCMA: ${firstPcma}/${pkts.length}`);
      } finally {
        sink.close();
      }
    }));

    it('SRTP (--srtp-on-insecure-domains): an RTP/SAVP offer gets RTP/SAVP with callwire\'s own key, and the RTP decrypts with it',
      check(env, async () => {
        const sink = await rtpSink();
        try {
          const key80 = crypto.randomBytes(30).toString('base64');
          const key32 = crypto.randomBytes(30).toString('base64');
          const r = await sipp(env, 'invite_savp.xml', { rtp_port: sink.port, talk_ms: 1500, key80, key32,
            headers: LONG });
          assertSippOk(r);
          const answer = sdpOf(answersByCseq(r, 'INVITE', 200)[1]);
          const c = /a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:([A-Za-z0-9+/=]{40})\r\n/.exec(answer);
          assert.ok(c, `a SAVP answer with one crypto line:\n${answer}`);
          assert.notEqual(c[1], key80, 'callwire answers with its own key');
          const keys = srtpKeys(Buffer.from(c[1], 'base64'));
          const pkts = rtpHeaders(sink.packets).filter((p) => p.pt === 0);
          assert.ok(pkts.length >= 50, `${pkts.length} SRTP packets`);
          let silence = 0;
          for (const p of pkts) {
            assert.equal(p.m.length, 12 + 160 + 10, 'PCMU frames with an 80-bit tag');
            const plain = srtpDecrypt(keys, p.m, 10);
            assert.ok(plain, `packet ${p.seq} does not authenticate with the answered key`);
            if (plain.subarray(12).every((x) => x === 0xff)) silence++;
          }
          // <Pause> sends µ-law silence frames: all 0xFF once decrypted, never on the wire.
          assert.ok(silence >= 40, `${silence} decrypted silence frames`);
          assert.ok(pkts.every((p) => !p.m.subarray(12, 172).every((x) => x === 0xff)), 'the payload is encrypted');
        } finally {
          sink.close();
        }
      }));

    it('Secure domain (TLS): a plain RTP/AVP offer → 488 with a Reason; an RTP/SAVP offer → 200 with RTP/SAVP',
      check(env, async () => {
        const d = await env.cw.create('SIP/Domains.json', { DomainName: 'vault.sip.localhost',
          VoiceUrl: `${env.app.base}/app/voice`, Secure: 'true' });
        assert.equal(d.secure, true);
        const acls = await env.cw.api('GET', 'SIP/IpAccessControlLists.json');
        await env.cw.create(`SIP/Domains/${d.sid}/Auth/Calls/IpAccessControlListMappings.json`,
          { IpAccessControlListSid: acls.body.ip_access_control_lists[0].sid });
        const ruri = `sip:${CALLER}@vault.sip.localhost`;
        const sdp = (proto, crypto80 = '') => ['v=0', 'o=pbx 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
          `m=audio 40000 ${proto} 0`, 'a=rtpmap:0 PCMU/8000', ...(crypto80 ? [crypto80] : []), 'a=sendrecv', ''].join('\r\n');

        const plain = await tlsInvite(tlsSetup.port, { ruri, sdp: sdp('RTP/AVP'), headers: LONG });
        assert.ok(plain.final, `no final answer: ${JSON.stringify(plain.messages.map((m) => m.first))}`);
        assert.equal(plain.final.status, 488);
        assert.match(plain.final.h.reason || '', /^SIP;cause=488;text="SRTP required/);

        const key = crypto.randomBytes(30).toString('base64');
        const savp = await tlsInvite(tlsSetup.port, { ruri, headers: LONG,
          sdp: sdp('RTP/SAVP', `a=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:${key}`) });
        assert.equal(savp.final && savp.final.status, 200, JSON.stringify(savp.messages.map((m) => m.first)));
        assert.match(savp.final.body, /m=audio \d+ RTP\/SAVP 0\r\n/);
        assert.match(savp.final.body, /a=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:[A-Za-z0-9+/]{40}\r\n/);
        assert.ok(!savp.final.body.includes(key), 'callwire answers with its own key');
      }));

    it('callwire is still running', check(env, async () => assert.ok(env.cw.alive())));
  });
}

// ---------------------------------------------------------------------------

if (groupEnabled('options')) {
  describe('options', () => {
    const env = setup('options', ['--acl-miss-403', '--reject-status', '603', '--webhook-timeout', '1000']);
    const failed = {};

    it('--acl-miss-403: an INVITE from outside the ACL gets 403 with X-Twilio-Error 32201', check(env, async () => {
      const r = await sipp(env, 'invite_final.xml', { final: 403,
        checks: '      <ereg regexp="^ *32201 " search_in="hdr" header="X-Twilio-Error:" check_it="true" assign_to="e"/>' },
      { ip: '127.0.0.2' });
      assertSippOk(r);
      assert.match(r.received.find((m) => m.status === 403).h('x-twilio-error'), /^32201 /);
      assert.equal(env.app.find((q) => q.params.SipCallId === r.callId).length, 0);
    }));

    it('control: the silence check of the blocked-IP cases fails when callwire does answer', check(env, async () => {
      const r = await sipp(env, 'invite_silence.xml', { wait_ms: 3000 }, { ip: '127.0.0.2' });
      assert.notEqual(r.rc, 0, r.describe());
      assert.ok(r.received.some((m) => m.status === 403), `the 403 must be seen\n${r.describe()}`);
    }));

    it('--reject-status 603: <Reject/> → 603', check(env, async () => {
      const r = await sipp(env, 'invite_final.xml', { final: 603, headers: ['X-Case: reject'] });
      assertSippOk(r);
      const v = await voiceFor(env, r.callId);
      assert.equal((await statusFor(env, v.params.CallSid)).params.SipResponseCode, '603');
    }));

    const fallbackCase = (title, xcase, code) => it(title, check(env, async () => {
      const r = await sipp(env, 'invite_final.xml', { final: 486, headers: [`X-Case: ${xcase}`] });
      assertSippOk(r);
      const v = await voiceFor(env, r.callId);
      const fb = await env.app.waitFor((q) => q.path === '/app/fallback' && q.params.CallSid === v.params.CallSid,
        5000, 'the fallback request');
      assertSigned(fb);
      assert.equal(fb.params.ErrorCode, code);
      assert.equal(fb.params.ErrorUrl, `${env.app.base}/app/voice`);
      assert.equal(fb.params.SipCallId, r.callId);
      assert.equal(fb.params[`SipHeader_X-Case`], xcase, 'the fallback gets the same parameters');
      assert.equal((await statusFor(env, v.params.CallSid)).params.CallStatus, 'busy');
      failed[code] = (failed[code] || []).concat(v.params.CallSid);
    }));
    fallbackCase('voice URL answers 500 → fallback with ErrorCode=11200 and ErrorUrl', 'e500', '11200');
    fallbackCase('voice URL slower than --webhook-timeout 1000 → fallback with ErrorCode=11200', 'wait3000', '11200');
    fallbackCase('voice URL answers invalid XML → fallback with ErrorCode=12100', 'badxml', '12100');

    it('no fallback URL and the voice URL fails → 500 with a Reason, CallStatus failed', check(env, async () => {
      const r = await sipp(env, 'invite_final.xml', { host: 'nofb.sip.localhost', final: 500, headers: ['X-Case: e500'],
        checks: '      <ereg regexp="cause=500" search_in="hdr" header="Reason:" check_it="true" assign_to="reason"/>' });
      assertSippOk(r);
      const v = await voiceFor(env, r.callId);
      const s = await statusFor(env, v.params.CallSid);
      assert.equal(s.params.CallStatus, 'failed');
      assert.equal(s.params.SipResponseCode, '500');
      failed['11200'] = (failed['11200'] || []).concat(v.params.CallSid);
    }));

    it('/v1/Alerts lists the 11200 and 12100 alerts of the calls above', check(env, async () => {
      let alerts = [];
      const want = Object.entries(failed).flatMap(([code, sids]) => sids.map((sid) => [code, sid]));
      assert.ok(want.length >= 4, 'the fallback cases must have run');
      await until(async () => {
        const r = await env.cw.api('GET', '/v1/Alerts?PageSize=100');
        assert.equal(r.status, 200, r.text);
        alerts = r.body.alerts;
        return want.every(([code, sid]) => alerts.some((a) => a.error_code === code && a.resource_sid === sid));
      }, 5000, `alerts ${JSON.stringify(want)}`).catch((e) => {
        throw new Error(`${e.message}; listed: ${JSON.stringify(alerts.map((a) => [a.error_code, a.resource_sid]))}`);
      });
      const a = alerts.find((x) => x.error_code === '12100');
      assert.equal(a.account_sid, env.sid);
      assert.equal(a.request_url, `${env.app.base}/app/voice`);
      assert.match(a.sid, /^NO[0-9a-f]{32}$/);
    }));

    it('callwire is still running', check(env, async () => assert.ok(env.cw.alive())));
  });
}

// ---------------------------------------------------------------------------
// input: <Gather> and <Record> on real calls. SIPp plays a pcap written here
// (PCMU audio and RFC 4733 key events) to callwire's RTP port; the app of
// this group answers /input/* with the TwiML each case needs.

// G.711 µ-law encoding of a PCM16 sample (ITU-T G.711, as ulaw() decodes).
function linearToUlaw(x) {
  const BIAS = 0x84;
  let sign = 0;
  if (x < 0) { sign = 0x80; x = -x; }
  x = Math.min(x, 32635) + BIAS;
  let exp = 7;
  for (let mask = 0x4000; (x & mask) === 0 && exp > 0; mask >>= 1) exp--;
  const mant = (x >> (exp + 3)) & 0x0f;
  return ~(sign | (exp << 4) | mant) & 0xff;
}

// RTP packets of a caller, 20 ms apart: ['silence', ms], ['tone', ms, hz],
// ['keys', '12#'] (RFC 4733 events, PT 101: 100 ms each, 3 end packets,
// 100 ms apart). Returns [{at (ms), rtp (Buffer)}].
function callerRtp(steps) {
  const out = [];
  let seq = 1000;
  let ts = 160000;
  let at = 0;
  const ssrc = 0x1234abcd;
  const packet = (pt, marker, payload, pts) => {
    const h = Buffer.alloc(12);
    h[0] = 0x80; h[1] = (marker ? 0x80 : 0) | pt;
    h.writeUInt16BE(seq++ & 0xffff, 2); h.writeUInt32BE(pts >>> 0, 4); h.writeUInt32BE(ssrc, 8);
    out.push({ at, rtp: Buffer.concat([h, payload]) });
  };
  let phase = 0;
  for (const [kind, a, b] of steps) {
    if (kind === 'silence' || kind === 'tone') {
      for (let t = 0; t < a; t += 20) {
        const payload = Buffer.alloc(160);
        for (let i = 0; i < 160; i++) {
          const s = kind === 'tone' ? Math.round(16384 * Math.sin(2 * Math.PI * b * (phase++) / 8000)) : 0;
          payload[i] = linearToUlaw(s);
        }
        packet(0, false, payload, ts);
        ts += 160; at += 20;
      }
    } else if (kind === 'keys') {
      for (const key of a) {
        const event = '0123456789*#'.indexOf(key);
        for (let i = 1; i <= 8; i++) {
          const end = i > 5;
          const p = Buffer.alloc(4);
          p[0] = event; p[1] = (end ? 0x80 : 0) | 10; p.writeUInt16BE(160 * Math.min(i, 5), 2);
          packet(101, i === 1, p, ts);
          if (!end) at += 20;
        }
        ts += 800;
        at += 100; ts += 800;
      }
    }
  }
  return out;
}

// Seconds of audio in a mono 16-bit WAV (its data chunk).
function wavSeconds(buf) {
  assert.equal(buf.toString('latin1', 0, 4), 'RIFF', 'a WAV file');
  let off = 12;
  while (off + 8 <= buf.length) {
    const id = buf.toString('latin1', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    if (id === 'data') return size / (2 * buf.readUInt32LE(24));
    off += 8 + size;
  }
  throw new Error('no data chunk');
}

// The webhook app plus /input/* answers: TwiML chosen by the X-Case header
// for /input/voice, fixed TwiML for the action pages.
class InputApp extends WebhookApp {
  constructor(token, pages) { super(token); this.pages = pages; }

  handle(req, res, body) {
    const page = this.pages[new URL(req.url, this.base).pathname];
    if (!page) return super.handle(req, res, body);
    // The base class records the request (and checks its signature); its
    // 404 for an unknown page goes nowhere.
    super.handle(req, { destroyed: false, on() {}, writeHead() {}, end(_t, cb) { if (cb) cb(); } }, body);
    const rec = this.requests[this.requests.length - 1];
    const text = typeof page === 'function' ? page(rec) : page;
    res.writeHead(text === '' ? 204 : 200, { 'Content-Type': 'text/xml' });
    res.end(text);
  }
}

if (groupEnabled('input')) {
  describe('input', () => {
    const RTP_FIRST = 30000 + 2 * crypto.randomInt(0, 4000);
    const cases = {
      gather_digits: '<Response><Gather numDigits="3" action="/input/gathered"><Say loop="10">Please enter your ' +
        'three digit code now.</Say></Gather><Say>not reached</Say></Response>',
      gather_finish: '<Response><Gather action="/input/gathered" timeout="4"><Say>Enter digits, then pound.</Say>' +
        '</Gather></Response>',
      gather_timeout: '<Response><Gather timeout="1" numDigits="1" action="/input/gathered"><Say>Hi</Say></Gather>' +
        '<Redirect>/input/after</Redirect></Response>',
      record: '<Response><Say>Leave a message after the beep.</Say><Record action="/input/recorded" maxLength="20" ' +
        'finishOnKey="#" recordingStatusCallback="/input/rstatus" ' +
        'recordingStatusCallbackEvent="in-progress completed"/></Response>',
      record_hangup: '<Response><Record action="/input/recorded"/><Say>not reached</Say></Response>',
      record_empty: '<Response><Record timeout="2" playBeep="false" action="/input/recorded"/>' +
        '<Redirect>/input/after</Redirect></Response>',
      record_max: '<Response><Record maxLength="2" playBeep="false" finishOnKey="" action="/input/recorded"/>' +
        '</Response>',
      record_mute: '<Response><Record timeout="1" playBeep="false" action="/input/recorded"/>' +
        '<Redirect>/input/after</Redirect></Response>',
    };
    const hangup = '<Response><Hangup/></Response>';
    const pages = {
      '/input/voice': (q) => cases[q.params['SipHeader_X-Case']] || '<Response><Reject/></Response>',
      '/input/gathered': hangup,
      '/input/recorded': hangup,
      '/input/after': hangup,
      '/input/rstatus': '',
    };
    const env = {
      sid: 'AC' + crypto.randomBytes(16).toString('hex'),
      token: crypto.randomBytes(16).toString('hex'),
    };
    before(async () => {
      assert.ok(BIN, 'CALLWIRE_BIN must name the callwire binary');
      env.workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'callwire-calls-input-'));
      env.app = new InputApp(env.token, pages);
      await env.app.start();
      env.cw = new Callwire({ bin: BIN, workdir: env.workdir, name: 'callwire', sid: env.sid, token: env.token,
        flags: ['--rtp-ports', `${RTP_FIRST}-${RTP_FIRST + 999}`] });
      await env.cw.start();
      const acl = await env.cw.create('SIP/IpAccessControlLists.json', { FriendlyName: 'loopback PBX' });
      await env.cw.create(`SIP/IpAccessControlLists/${acl.sid}/IpAddresses.json`,
        { FriendlyName: 'pbx', IpAddress: '127.0.0.1', CidrPrefixLength: '32' });
      const d = await env.cw.create('SIP/Domains.json',
        { DomainName: 'input.sip.localhost', VoiceUrl: `${env.app.base}/input/voice` });
      await env.cw.create(`SIP/Domains/${d.sid}/Auth/Calls/IpAccessControlListMappings.json`,
        { IpAccessControlListSid: acl.sid });
    });
    after(async () => {
      const code = env.cw ? await env.cw.stop() : 0;
      if (env.app) await env.app.stop();
      assert.equal(code, 0, `callwire did not exit cleanly on SIGTERM (log: ${env.cw && env.cw.logPath})`);
      if (!env.failed) fs.rmSync(env.workdir, { recursive: true, force: true });
      else console.log(`# files kept in ${env.workdir}`);
    });

    let pcaps = 0;
    const call = (which, steps, opts = {}) => {
      const pcap = writePcap(path.join(env.workdir, `caller${++pcaps}.pcap`), callerRtp(steps));
      const scenario = opts.callerHangsUpAfter ? 'input_pcap_bye.xml' : 'input_pcap.xml';
      return sipp(env, scenario, { host: 'input.sip.localhost', headers: [`X-Case: ${which}`], pcap,
        bye_wait_ms: opts.byeWait || 15000, bye_after_ms: opts.callerHangsUpAfter || 0 }, { timeoutS: 30 });
    };
    const inputVoice = (callId) => env.app.waitFor((q) => q.path === '/input/voice' && q.params.SipCallId === callId,
      5000, `voice for ${callId}`);
    const requestsOf = (callSid) => env.app.find((q) => q.params.CallSid === callSid);

    it('<Gather numDigits=3>: keys pressed during the prompt stop it and reach the action as Digits',
      check(env, async () => {
        const r = await call('gather_digits', [['silence', 1500], ['keys', '123'], ['silence', 500]]);
        assertSippOk(r);
        const v = await inputVoice(r.callId);
        const g = await env.app.waitFor((q) => q.path === '/input/gathered' && q.params.CallSid === v.params.CallSid,
          5000, 'the Gather action');
        assert.equal(g.method, 'POST');
        assert.equal(g.params.Digits, '123');
        assert.equal(g.params.CallStatus, 'in-progress');
        assert.equal(g.params.From, v.params.From);
        assertSigned(g);
        // Ten loops of the prompt last far longer: the keys interrupted it.
        assert.ok(g.at - v.at < 6000, `the action came ${g.at - v.at} ms after the call started`);
      }));

    it('<Gather> ends on the finishOnKey #, which is not part of Digits', check(env, async () => {
      const r = await call('gather_finish', [['silence', 3500], ['keys', '45#'], ['silence', 300]]);
      assertSippOk(r);
      const v = await inputVoice(r.callId);
      const g = await env.app.waitFor((q) => q.path === '/input/gathered' && q.params.CallSid === v.params.CallSid,
        5000, 'the Gather action');
      assert.equal(g.params.Digits, '45');
    }));

    it('<Gather> takes keys sent as SIP INFO (application/dtmf-relay, 11 = #), each INFO answered 200',
      check(env, async () => {
        const r = await sipp(env, 'input_info.xml', { host: 'input.sip.localhost', headers: ['X-Case: gather_finish'],
          info_after_ms: 800, first: '7', second: '11', bye_wait_ms: 15000 }, { timeoutS: 30 });
        assertSippOk(r);
        assert.equal(statuses(r, 'INFO').join(' '), '200 200', r.describe());
        const v = await inputVoice(r.callId);
        const g = await env.app.waitFor((q) => q.path === '/input/gathered' && q.params.CallSid === v.params.CallSid,
          5000, 'the Gather action');
        assert.equal(g.params.Digits, '7');
      }));

    it('<Gather> without input times out and goes on with the next verb, without the action',
      check(env, async () => {
        const r = await call('gather_timeout', [['silence', 3000]]);
        assertSippOk(r);
        const v = await inputVoice(r.callId);
        await env.app.waitFor((q) => q.path === '/input/after' && q.params.CallSid === v.params.CallSid, 5000,
          'the Redirect after the Gather');
        assert.deepEqual(requestsOf(v.params.CallSid).map((q) => q.path), ['/input/voice', '/input/after']);
      }));

    it('<Record>: 2 s of speech ended by #: the action, the status callbacks and the REST recording agree',
      check(env, async () => {
        const r = await call('record', [['silence', 4000], ['tone', 2000, 440], ['silence', 600], ['keys', '#'],
          ['silence', 300]]);
        assertSippOk(r);
        const v = await inputVoice(r.callId);
        const a = await env.app.waitFor((q) => q.path === '/input/recorded' && q.params.CallSid === v.params.CallSid,
          5000, 'the Record action');
        assertSigned(a);
        assert.equal(a.params.Digits, '#');
        assert.match(a.params.RecordingSid, /^RE[0-9a-f]{32}$/);
        assert.equal(a.params.RecordingUrl,
          `${env.cw.base}/2010-04-01/Accounts/${env.sid}/Recordings/${a.params.RecordingSid}`);
        assert.equal(a.params.RecordingDuration, '2');

        const rec = await env.cw.api('GET', `Recordings/${a.params.RecordingSid}.json`);
        assert.equal(rec.status, 200, rec.text);
        assert.equal(rec.body.status, 'completed');
        assert.equal(rec.body.call_sid, v.params.CallSid);
        assert.equal(Number(rec.body.duration), 2);
        assert.equal(Number(rec.body.channels), 1);
        assert.equal(rec.body.source, 'RecordVerb');
        const media = await fetch(`${a.params.RecordingUrl}.wav`);
        assert.equal(media.status, 200);
        const seconds = wavSeconds(Buffer.from(await media.arrayBuffer()));
        assert.ok(Math.abs(seconds - 2.0) <= 0.3, `the trimmed recording lasts ${seconds} s, not 2 s`);

        const statuses = await until(() => {
          const s = env.app.find((q) => q.path === '/input/rstatus' && q.params.CallSid === v.params.CallSid);
          return s.length === 2 && s;
        }, 5000, 'in-progress and completed recording status callbacks');
        assert.deepEqual(statuses.map((s) => s.params.RecordingStatus), ['in-progress', 'completed']);
        assert.equal(statuses[1].params.RecordingSid, a.params.RecordingSid);
        assert.equal(statuses[1].params.RecordingDuration, '2');
        assertSigned(statuses[1]);
      }));

    it('<Record> when the caller hangs up: the action still gets the recording with Digits=hangup',
      check(env, async () => {
        const r = await call('record_hangup', [['silence', 1500], ['tone', 1200, 600], ['silence', 400]],
          { callerHangsUpAfter: 3500 });
        assertSippOk(r);
        const v = await inputVoice(r.callId);
        const a = await env.app.waitFor((q) => q.path === '/input/recorded' && q.params.CallSid === v.params.CallSid,
          5000, 'the Record action after hangup');
        assert.equal(a.params.Digits, 'hangup');
        assert.equal(a.params.RecordingDuration, '1');
        const media = await fetch(`${a.params.RecordingUrl}.wav`);
        const seconds = wavSeconds(Buffer.from(await media.arrayBuffer()));
        assert.ok(Math.abs(seconds - 1.2) <= 0.3, `the recording lasts ${seconds} s, not 1.2 s`);
      }));

    it('<Record> hearing only silence: no action, the next verb runs, the recording is absent',
      check(env, async () => {
        const r = await call('record_empty', [['silence', 4000]]);
        assertSippOk(r);
        const v = await inputVoice(r.callId);
        await env.app.waitFor((q) => q.path === '/input/after' && q.params.CallSid === v.params.CallSid, 6000,
          'the Redirect after the empty Record');
        assert.deepEqual(requestsOf(v.params.CallSid).map((q) => q.path), ['/input/voice', '/input/after']);
        const list = await env.cw.api('GET', `Calls/${v.params.CallSid}/Recordings.json`);
        assert.equal(list.status, 200, list.text);
        assert.deepEqual(list.body.recordings.map((x) => x.status), ['absent']);
      }));

    it('<Record maxLength=2> stops after 2 s of audio: RecordingDuration 2, no Digits', check(env, async () => {
      const r = await call('record_max', [['tone', 4000, 500]]);
      assertSippOk(r);
      const v = await inputVoice(r.callId);
      const a = await env.app.waitFor((q) => q.path === '/input/recorded' && q.params.CallSid === v.params.CallSid,
        6000, 'the Record action');
      assert.equal(a.params.RecordingDuration, '2');
      assert.equal(a.params.Digits, undefined);
      const seconds = wavSeconds(Buffer.from(await (await fetch(`${a.params.RecordingUrl}.wav`)).arrayBuffer()));
      assert.ok(Math.abs(seconds - 2.0) <= 0.3, `the recording lasts ${seconds} s, not 2 s`);
      assert.ok(a.at - v.at < 4500, `the action came ${a.at - v.at} ms after the call started, not after 2 s`);
    }));

    it('<Record timeout=1> with no RTP at all ends after the timeout: absent, the next verb runs',
      check(env, async () => {
        const r = await call('record_mute', [['silence', 20]]);
        assertSippOk(r);
        const v = await inputVoice(r.callId);
        const after = await env.app.waitFor((q) => q.path === '/input/after' && q.params.CallSid === v.params.CallSid,
          6000, 'the Redirect after the mute Record');
        assert.ok(after.at - v.at < 4000, `the Record ended ${after.at - v.at} ms after the call started`);
        assert.deepEqual(requestsOf(v.params.CallSid).map((q) => q.path), ['/input/voice', '/input/after']);
      }));

    it('callwire is still running', check(env, async () => assert.ok(env.cw.alive())));
  });
}
