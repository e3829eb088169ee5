'use strict';
// Outbound trunks (callwire's extension, …/SIP/Trunks.json) through the
// official twilio library's generic client.request() — it has no class for
// this resource — and through `callwire trunks …` as a real process, against
// a real `callwire serve`. The password must never come back from either.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const twilio = require('twilio');

const { startServe, ACCOUNT_SID, AUTH_TOKEN, binary } = require('./serve');
const { LocalRequestClient } = require('./local_request_client');

const TRUNKS = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/SIP/Trunks`;
const PASSWORD = 'Carrier-Pass-2024';

let serve;
let http;
let client;

function callwire(args, env = {}) {
  const fullEnv = { ...process.env };
  delete fullEnv.CALLWIRE_ACCOUNT_SID;
  delete fullEnv.CALLWIRE_AUTH_TOKEN;
  delete fullEnv.CALLWIRE_API_URL;
  delete fullEnv.CALLWIRE_TRUNK_PASSWORD;
  Object.assign(fullEnv, env);
  const fullArgs = [...args, '--api', serve.baseUrl, '--account-sid', ACCOUNT_SID, '--auth-token', AUTH_TOKEN];
  return new Promise((resolve) => {
    execFile(binary(), fullArgs, { env: fullEnv, timeout: 20000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

function rows(stdout) {
  return stdout.trim().split('\n').slice(1).map((l) => l.split(/\s{2,}/));
}

before(async () => {
  serve = await startServe();
  http = new LocalRequestClient(serve.baseUrl);
  client = twilio(ACCOUNT_SID, AUTH_TOKEN, { httpClient: http });
});

after(async () => {
  if (http && http.httpAgent) http.httpAgent.destroy();
  if (serve) await serve.stop();
});

describe('SIP/Trunks through twilio client.request', () => {
  it('creates, lists, fetches, updates and deletes a trunk', async () => {
    const created = await client.request({ method: 'post', uri: `${TRUNKS}.json`,
      data: { TerminationUri: 'sip:carrier.example.net;transport=tls', Username: 'acme', Password: PASSWORD,
        NumberPrefixes: '+1,+4420', Priority: 5 } });
    assert.equal(created.statusCode, 201, JSON.stringify(created.body));
    const t = typeof created.body === 'string' ? JSON.parse(created.body) : created.body;
    assert.match(t.sid, /^BY[0-9a-f]{32}$/);
    assert.equal(t.termination_uri, 'sip:carrier.example.net;transport=tls');
    assert.deepEqual(t.number_prefixes, ['+1', '+4420']);
    assert.equal(t.priority, 5);
    assert.equal(t.password_set, true);
    assert.ok(!('password' in t));

    const list = await client.request({ method: 'get', uri: `${TRUNKS}.json` });
    assert.equal(list.statusCode, 200);
    const page = typeof list.body === 'string' ? JSON.parse(list.body) : list.body;
    assert.deepEqual(page.trunks.map((x) => x.sid), [t.sid]);

    const updated = await client.request({ method: 'post', uri: `${TRUNKS}/${t.sid}.json`,
      data: { Enabled: 'false', CallerId: '+14155550100' } });
    assert.equal(updated.statusCode, 200);
    const u = typeof updated.body === 'string' ? JSON.parse(updated.body) : updated.body;
    assert.equal(u.enabled, false);
    assert.equal(u.caller_id, '+14155550100');

    const bad = await client.request({ method: 'post', uri: `${TRUNKS}.json`, data: { TerminationUri: 'sips:x' } });
    assert.equal(bad.statusCode, 400);
    const err = typeof bad.body === 'string' ? JSON.parse(bad.body) : bad.body;
    assert.equal(err.code, 20001);

    const gone = await client.request({ method: 'delete', uri: `${TRUNKS}/${t.sid}.json` });
    assert.equal(gone.statusCode, 204);
    const missing = await client.request({ method: 'get', uri: `${TRUNKS}/${t.sid}.json` });
    assert.equal(missing.statusCode, 404);

    for (const x of http.exchanges) assert.ok(!JSON.stringify(x.body).includes(PASSWORD), x.uri);
  });
});

describe('callwire trunks', () => {
  it('sets up one carrier with one command and manages it', async () => {
    const created = await callwire(['trunks', 'create', '--uri', 'sip:carrier.example.net', '--username', 'u',
      '--password', PASSWORD]);
    assert.equal(created.code, 0, created.stderr);
    const [row] = rows(created.stdout);
    assert.match(row[0], /^BY[0-9a-f]{32}$/);
    const sid = row[0];
    // SID, FRIENDLY NAME, TERMINATION URI, PREFIXES, PRIORITY, WEIGHT, MAX CALLS, CALLER ID, FORMAT, USERNAME, PASSWORD, ENABLED
    assert.deepEqual(row.slice(1), ['sip:carrier.example.net', 'sip:carrier.example.net', 'all', '10', '10', '0', '-',
      'e164', 'u', 'set', 'true']);
    assert.ok(!created.stdout.includes(PASSWORD));

    const updated = await callwire(['trunks', 'update', sid, '--prefixes', '+44', '--priority', '1',
      '--friendly-name', 'uk']);
    assert.equal(updated.code, 0, updated.stderr);
    assert.deepEqual(rows(updated.stdout)[0].slice(1, 5), ['uk', 'sip:carrier.example.net', '+44', '1']);

    const shown = await callwire(['trunks', 'show', 'uk']);
    assert.equal(shown.code, 0, shown.stderr);
    assert.equal(rows(shown.stdout)[0][0], sid);

    const listed = await callwire(['trunks', 'list']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.ok(rows(listed.stdout).some((r) => r[0] === sid));

    const refused = await callwire(['trunks', 'create', '--uri', 'sip:user@carrier.example.net']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /no user part/);

    const viaEnv = await callwire(['trunks', 'create', '--uri', 'sip:other.example.net', '--username', 'v'],
      { CALLWIRE_TRUNK_PASSWORD: PASSWORD });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    assert.equal(rows(viaEnv.stdout)[0][10], 'set');

    const deleted = await callwire(['trunks', 'delete', sid]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, new RegExp(`Deleted ${sid}`));

    // The password sits encrypted in the database, under the key file the server created.
    const key = path.join(serve.dataDir, 'secret.key');
    assert.equal(fs.statSync(key).mode & 0o777, 0o600);
    assert.equal(fs.statSync(key).size, 32);
    for (const file of ['callwire.db', 'callwire.db-wal']) {
      const p = path.join(serve.dataDir, file);
      if (!fs.existsSync(p)) continue;
      assert.ok(!fs.readFileSync(p).includes(Buffer.from(PASSWORD)), `plaintext password in ${file}`);
    }
  });
});
