'use strict';
// The operator subcommands (`callwire domains …`, `credential-lists …`,
// `ip-acls …`, `accounts …`) run as real processes against a running
// `callwire serve`: tables on stdout, the API's error message and a non-zero
// exit on failure.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');

const { startServe, ACCOUNT_SID, AUTH_TOKEN, binary } = require('./serve');

let serve;

// Runs `callwire args…`; resolves with { code, stdout, stderr } whatever the exit status.
function callwire(args, { env = {}, auth = true } = {}) {
  const fullEnv = { ...process.env, ...env };
  // The serve credentials must not leak into the CLI through the test's own environment.
  delete fullEnv.CALLWIRE_ACCOUNT_SID;
  delete fullEnv.CALLWIRE_AUTH_TOKEN;
  delete fullEnv.CALLWIRE_API_URL;
  Object.assign(fullEnv, env);
  const fullArgs = auth ? [...args, '--api', serve.baseUrl, '--account-sid', ACCOUNT_SID, '--auth-token', AUTH_TOKEN] : args;
  return new Promise((resolve) => {
    execFile(binary(), fullArgs, { env: fullEnv, timeout: 20000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

// Table rows (header excluded) split on runs of 2+ spaces.
function rows(stdout) {
  const lines = stdout.trim().split('\n');
  return lines.slice(1).map((l) => l.split(/\s{2,}/));
}

function header(stdout) {
  return stdout.split('\n')[0].split(/\s{2,}/);
}

before(async () => {
  serve = await startServe();
});

after(async () => {
  if (serve) await serve.stop();
});

describe('callwire domains', () => {
  it('creates, lists and deletes a domain', async () => {
    const created = await callwire(['domains', 'create', 'demo.sip.localhost', '--friendly-name', 'Demo PBX',
      '--voice-url', 'https://app.example.com/voice']);
    assert.equal(created.code, 0, created.stderr);
    assert.deepEqual(header(created.stdout), ['SID', 'DOMAIN NAME', 'FRIENDLY NAME', 'AUTH TYPE', 'VOICE URL', 'SIP REGISTRATION']);
    const [row] = rows(created.stdout);
    assert.match(row[0], /^SD[0-9a-f]{32}$/);
    assert.deepEqual(row.slice(1), ['demo.sip.localhost', 'Demo PBX', '""', 'https://app.example.com/voice', 'false']);
    const sid = row[0];

    const second = await callwire(['domains', 'create', 'other.sip.localhost']);
    assert.equal(second.code, 0, second.stderr);

    const listed = await callwire(['domains', 'list']);
    assert.equal(listed.code, 0, listed.stderr);
    const names = rows(listed.stdout).map((r) => r[1]).sort();
    assert.deepEqual(names, ['demo.sip.localhost', 'other.sip.localhost']);
    assert.ok(rows(listed.stdout).some((r) => r[0] === sid));

    const dup = await callwire(['domains', 'create', 'demo.sip.localhost']);
    assert.equal(dup.code, 1);
    assert.equal(dup.stdout, '');
    assert.match(dup.stderr, /already exists/);
    assert.match(dup.stderr, /error 21232, HTTP 400/);

    const bySid = await callwire(['domains', 'delete', sid]);
    assert.equal(bySid.code, 0, bySid.stderr);
    assert.equal(bySid.stdout.trim(), `Deleted ${sid}`);
    const byName = await callwire(['domains', 'delete', 'OTHER.sip.localhost']);
    assert.equal(byName.code, 0, byName.stderr);
    assert.match(byName.stdout, /^Deleted SD[0-9a-f]{32}\n$/);

    // A name that starts like a SID is still looked up as a name.
    const sdName = await callwire(['domains', 'create', 'sdcafe.sip.localhost']);
    assert.equal(sdName.code, 0, sdName.stderr);
    const bySdName = await callwire(['domains', 'delete', 'sdcafe.sip.localhost']);
    assert.equal(bySdName.code, 0, bySdName.stderr);
    assert.equal(bySdName.stdout.trim(), `Deleted ${rows(sdName.stdout)[0][0]}`);
    const unknown = await callwire(['domains', 'delete', 'nobody.sip.localhost']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no domain named nobody\.sip\.localhost/);

    const empty = await callwire(['domains', 'list']);
    assert.equal(empty.code, 0, empty.stderr);
    assert.deepEqual(rows(empty.stdout), []);

    const again = await callwire(['domains', 'delete', sid]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /error 20404, HTTP 404/);
  });

  it('follows next_page_uri and manages a sub-account\'s domains', async () => {
    const made = [];
    for (let i = 0; i < 5; ++i) {
      const r = await callwire(['domains', 'create', `bulk${i}.sip.localhost`]);
      assert.equal(r.code, 0, r.stderr);
      made.push(rows(r.stdout)[0][0]);
    }
    const listed = await callwire(['domains', 'list', '--page-size', '2']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(rows(listed.stdout).map((r) => r[0]).sort(), [...made].sort());

    const sub = await callwire(['accounts', 'create', '--friendly-name', 'paging sub']);
    assert.equal(sub.code, 0, sub.stderr);
    const subSid = rows(sub.stdout)[0][0];
    const subDomain = await callwire(['domains', 'create', 'bulk-sub.sip.localhost', '--subaccount', subSid]);
    assert.equal(subDomain.code, 0, subDomain.stderr);
    const subListed = await callwire(['domains', 'list', '--subaccount', subSid]);
    assert.deepEqual(rows(subListed.stdout).map((r) => r[1]), ['bulk-sub.sip.localhost']);
    const mainListed = await callwire(['domains', 'list', '--page-size', '1']);
    assert.equal(rows(mainListed.stdout).length, 5, 'the sub-account\'s domain is not in the main list');

    for (const sid of made) {
      const r = await callwire(['domains', 'delete', sid]);
      assert.equal(r.code, 0, r.stderr);
    }
    const r = await callwire(['domains', 'delete', 'bulk-sub.sip.localhost', '--subaccount', subSid]);
    assert.equal(r.code, 0, r.stderr);
  });
});

describe('callwire credential-lists', () => {
  it('manages lists and credentials without ever printing a password', async () => {
    const list = await callwire(['credential-lists', 'create', 'office phones']);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(header(list.stdout), ['SID', 'FRIENDLY NAME', 'DATE CREATED']);
    const [clSid, clName] = rows(list.stdout)[0];
    assert.match(clSid, /^CL[0-9a-f]{32}$/);
    assert.equal(clName, 'office phones');

    const cred = await callwire(['credential-lists', 'credentials', 'create', '--list', clSid, '--username', 'alice',
      '--password', 'IWasAtSignal2018']);
    assert.equal(cred.code, 0, cred.stderr);
    const [crSid, username] = rows(cred.stdout)[0];
    assert.match(crSid, /^CR[0-9a-f]{32}$/);
    assert.equal(username, 'alice');

    // The password may come from the environment instead of the command line.
    const fromEnv = await callwire(['credential-lists', 'credentials', 'create', '--list', clSid, '--username', 'bob'],
      { env: { CALLWIRE_SIP_PASSWORD: 'Env1PasswordOk' } });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);

    const weak = await callwire(['credential-lists', 'credentials', 'create', '--list', clSid, '--username', 'carol',
      '--password', 'weak']);
    assert.equal(weak.code, 1);
    assert.match(weak.stderr, /HTTP 400/);

    const creds = await callwire(['credential-lists', 'credentials', 'list', '--list', clSid]);
    assert.equal(creds.code, 0, creds.stderr);
    assert.deepEqual(rows(creds.stdout).map((r) => r[1]).sort(), ['alice', 'bob']);
    for (const out of [list, cred, fromEnv, creds]) {
      assert.ok(!out.stdout.includes('IWasAtSignal2018') && !out.stdout.includes('Env1PasswordOk'));
    }

    const lists = await callwire(['credential-lists', 'list']);
    assert.deepEqual(rows(lists.stdout).map((r) => r[0]), [clSid]);

    const delCred = await callwire(['credential-lists', 'credentials', 'delete', '--list', clSid, crSid]);
    assert.equal(delCred.code, 0, delCred.stderr);
    const left = await callwire(['credential-lists', 'credentials', 'list', '--list', clSid]);
    assert.deepEqual(rows(left.stdout).map((r) => r[1]), ['bob']);

    const delList = await callwire(['credential-lists', 'delete', clSid]);
    assert.equal(delList.code, 0, delList.stderr);
    assert.deepEqual(rows((await callwire(['credential-lists', 'list'])).stdout), []);
  });
});

describe('callwire ip-acls', () => {
  it('manages ACLs and their addresses', async () => {
    const acl = await callwire(['ip-acls', 'create', 'carrier']);
    assert.equal(acl.code, 0, acl.stderr);
    const [alSid, alName] = rows(acl.stdout)[0];
    assert.match(alSid, /^AL[0-9a-f]{32}$/);
    assert.equal(alName, 'carrier');

    const ip = await callwire(['ip-acls', 'ip-addresses', 'create', '--list', alSid, '--ip', '192.0.2.20']);
    assert.equal(ip.code, 0, ip.stderr);
    assert.deepEqual(header(ip.stdout), ['SID', 'IP ADDRESS', 'CIDR PREFIX', 'FRIENDLY NAME']);
    const ipRow = rows(ip.stdout)[0];
    assert.match(ipRow[0], /^IP[0-9a-f]{32}$/);
    assert.equal(ipRow[1], '192.0.2.20');
    assert.equal(ipRow[3], '192.0.2.20', 'the address names the entry by default');

    const range = await callwire(['ip-acls', 'ip-addresses', 'create', '--list', alSid, '--ip', '198.51.100.0',
      '--cidr', '24', '--friendly-name', 'office']);
    assert.equal(range.code, 0, range.stderr);
    assert.deepEqual(rows(range.stdout)[0].slice(1), ['198.51.100.0', '24', 'office']);

    const bad = await callwire(['ip-acls', 'ip-addresses', 'create', '--list', alSid, '--ip', '10.0.*.*']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /HTTP 400/);

    const listed = await callwire(['ip-acls', 'ip-addresses', 'list', '--list', alSid]);
    assert.deepEqual(rows(listed.stdout).map((r) => r[1]).sort(), ['192.0.2.20', '198.51.100.0']);
    const acls = await callwire(['ip-acls', 'list']);
    assert.deepEqual(rows(acls.stdout).map((r) => r[0]), [alSid]);

    const del = await callwire(['ip-acls', 'ip-addresses', 'delete', '--list', alSid, ipRow[0]]);
    assert.equal(del.code, 0, del.stderr);
    assert.deepEqual(rows((await callwire(['ip-acls', 'ip-addresses', 'list', '--list', alSid])).stdout).map((r) => r[1]),
      ['198.51.100.0']);
    assert.equal((await callwire(['ip-acls', 'delete', alSid])).code, 0);
    assert.deepEqual(rows((await callwire(['ip-acls', 'list'])).stdout), []);
  });
});

describe('callwire accounts', () => {
  it('creates, lists and updates sub-accounts', async () => {
    const created = await callwire(['accounts', 'create', '--friendly-name', 'Tenant A']);
    assert.equal(created.code, 0, created.stderr);
    assert.deepEqual(header(created.stdout), ['SID', 'FRIENDLY NAME', 'STATUS', 'AUTH TOKEN']);
    const [sid, name, status, token] = rows(created.stdout)[0];
    assert.match(sid, /^AC[0-9a-f]{32}$/);
    assert.equal(name, 'Tenant A');
    assert.equal(status, 'active');
    assert.match(token, /^[0-9a-f]{32}$/);

    // The new token works for the sub-account's own resources.
    const own = await callwire(['domains', 'list', '--api', serve.baseUrl, '--account-sid', sid, '--auth-token', token],
      { auth: false });
    assert.equal(own.code, 0, own.stderr);

    const listed = await callwire(['accounts', 'list']);
    assert.equal(listed.code, 0, listed.stderr);
    const bySid = Object.fromEntries(rows(listed.stdout).map((r) => [r[0], r]));
    assert.equal(bySid[sid][1], 'Tenant A');
    assert.equal(bySid[sid][3], ACCOUNT_SID, 'owner is the main account');
    assert.ok(bySid[ACCOUNT_SID], 'the main account is listed');

    const filtered = await callwire(['accounts', 'list', '--friendly-name', 'Tenant A']);
    assert.deepEqual(rows(filtered.stdout).map((r) => r[0]), [sid]);

    const suspended = await callwire(['accounts', 'update', sid, '--status', 'suspended', '--friendly-name', 'Tenant A2']);
    assert.equal(suspended.code, 0, suspended.stderr);
    assert.deepEqual(rows(suspended.stdout)[0].slice(0, 3), [sid, 'Tenant A2', 'suspended']);

    const badStatus = await callwire(['accounts', 'update', sid, '--status', 'sleeping']);
    assert.equal(badStatus.code, 1);
    assert.match(badStatus.stderr, /HTTP 400/);
  });
});

describe('callwire admin errors', () => {
  it('reads the connection from the environment', async () => {
    const r = await callwire(['domains', 'list'], {
      auth: false,
      env: { CALLWIRE_API_URL: serve.baseUrl, CALLWIRE_ACCOUNT_SID: ACCOUNT_SID, CALLWIRE_AUTH_TOKEN: AUTH_TOKEN },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(header(r.stdout)[0], 'SID');
  });

  it('prints the API message for a wrong token', async () => {
    const r = await callwire(['domains', 'list', '--api', serve.baseUrl, '--account-sid', ACCOUNT_SID,
      '--auth-token', 'f'.repeat(32)], { auth: false });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^callwire domains list: .*\(error 20003, HTTP 401\)\n$/);
  });

  it('fails clearly without credentials or without a server', async () => {
    const noCreds = await callwire(['domains', 'list', '--api', serve.baseUrl], { auth: false });
    assert.equal(noCreds.code, 1);
    assert.match(noCreds.stderr, /credentials missing/);

    // A port nobody listens on: the server's own port after it was picked is
    // not reusable, so ask the kernel for one and close it again.
    const net = require('node:net');
    const port = await new Promise((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    });
    const down = await callwire(['domains', 'list', '--api', `http://127.0.0.1:${port}`, '--account-sid', ACCOUNT_SID,
      '--auth-token', AUTH_TOKEN], { auth: false });
    assert.equal(down.code, 1);
    assert.match(down.stderr, /cannot reach the API/);

    const badUrl = await callwire(['domains', 'list', '--api', 'ftp://nowhere', '--account-sid', ACCOUNT_SID,
      '--auth-token', AUTH_TOKEN], { auth: false });
    assert.equal(badUrl.code, 1);
    assert.match(badUrl.stderr, /bad --api URL/);
  });

  it('refuses a missing subcommand or argument with status 2', async () => {
    const r = await callwire(['domains'], { auth: false });
    assert.equal(r.code, 2);
    const missing = await callwire(['domains', 'create'], { auth: true });
    assert.equal(missing.code, 2);
  });
});
