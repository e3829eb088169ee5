'use strict';
// One callwire for a test file of tests/calls (dial, dial_record, timers):
// started before the file's cases with `flags` and an RTP port range of its
// own, a local web app (harness.js WebhookApp), and domain acme.sip.localhost
// open to 127.0.0.1 whose Voice URL and status callback are that app's.
// Stopped after the cases by PID; the work folder is kept when a case failed.
const { before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Callwire, WebhookApp } = require('./harness');

function acmeEnv(name, flags = []) {
  const env = {
    sid: 'AC' + crypto.randomBytes(16).toString('hex'),
    token: crypto.randomBytes(16).toString('hex'),
  };
  before(async () => {
    assert.ok(process.env.CALLWIRE_BIN, 'CALLWIRE_BIN must name the callwire binary');
    env.workdir = fs.mkdtempSync(path.join(os.tmpdir(), `callwire-calls-${name}-`));
    env.app = new WebhookApp(env.token);
    await env.app.start();
    const first = 30000 + 2 * crypto.randomInt(0, 4000);
    env.cw = new Callwire({ bin: process.env.CALLWIRE_BIN, workdir: env.workdir, name: 'callwire', sid: env.sid,
      token: env.token, flags: ['--rtp-ports', `${first}-${first + 999}`, ...flags] });
    await env.cw.start();
    const acl = await env.cw.create('SIP/IpAccessControlLists.json', { FriendlyName: 'loopback PBX' });
    await env.cw.create(`SIP/IpAccessControlLists/${acl.sid}/IpAddresses.json`,
      { FriendlyName: 'pbx', IpAddress: '127.0.0.1', CidrPrefixLength: '32' });
    const d = await env.cw.create('SIP/Domains.json', { DomainName: 'acme.sip.localhost',
      VoiceUrl: `${env.app.base}/app/voice`, VoiceStatusCallbackUrl: `${env.app.base}/app/status` });
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
  // Wraps a case so that a failure keeps the work folder.
  const check = (fn) => async () => {
    try {
      await fn();
    } catch (e) {
      env.failed = true;
      throw e;
    }
  };
  return { env, check };
}

module.exports = { acmeEnv };
