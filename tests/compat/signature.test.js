'use strict';
// Webhooks sent by callwire's own client (tests/webhook/send_webhook.cpp, the
// production signing, encoding and headers) must pass the official twilio
// helper library's validateRequest, exactly as a customer's app would call
// it: the URL the app was reached at, and the decoded POST params.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { execFile } = require('node:child_process');
const twilio = require('twilio');

const TOKEN = '0123456789abcdef0123456789abcdef';
const SENDER = process.env.CALLWIRE_SEND_WEBHOOK;

let server;
let base;
const received = [];

// Decoded form body → the object shape validateRequest expects (repeated
// names become arrays, as Express's body parser makes them).
function formParams(body) {
  const params = {};
  for (const [k, v] of new URLSearchParams(body)) {
    if (k in params) params[k] = [].concat(params[k], v);
    else params[k] = v;
  }
  return params;
}

function send(url, method, params) {
  const args = [url, TOKEN, method, ...params.map(([k, v]) => `${k}=${v}`)];
  return new Promise((resolve, reject) => {
    execFile(SENDER, args, { timeout: 20000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${SENDER} failed: ${err.message}\n${stdout}${stderr}`));
      else resolve(stdout.trim());
    });
  });
}

async function sendAndReceive(path, method, params) {
  const before = received.length;
  const out = await send(base + path, method, params);
  assert.equal(out, 'status 200');
  assert.equal(received.length, before + 1, 'exactly one request reached the app');
  return received[received.length - 1];
}

before(async () => {
  assert.ok(SENDER, 'CALLWIRE_SEND_WEBHOOK must name the callwire_send_webhook tool');
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      received.push({
        method: req.method,
        url: base + req.url,
        headers: req.headers,
        body,
        params: req.method === 'POST' ? formParams(body) : {},
      });
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.end('<Response/>');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => new Promise((resolve) => server.close(resolve)));

const PARAMS = [
  ['AccountSid', 'AC' + 'a'.repeat(32)],
  ['CallSid', 'CA' + 'b'.repeat(32)],
  ['CallStatus', 'ringing'],
  ['From', 'sip:alice@203.0.113.5'],
  ['To', 'sip:+14155550100@acme.sip.localhost'],
  ['SipHeader_X-Note', 'two words+plus&amp=eq;param=1'],
  ['SipHeader_User-to-User', '56a390f3d2b7310023a2;encoding=hex'],
  ['Caller', 'Ünïcödé “quotes” 😀'],
  ['Empty', ''],
  ['Digits', '5678'],
  ['Digits', '1234'],
];

describe('callwire webhook signatures under twilio.validateRequest', () => {
  it('accepts a POST webhook, and refuses it with the wrong token or changed params', async () => {
    const r = await sendAndReceive('/voice?tenant=1', 'POST', PARAMS);
    assert.equal(r.method, 'POST');
    assert.equal(r.headers['content-type'], 'application/x-www-form-urlencoded');
    const sig = r.headers['x-twilio-signature'];
    assert.ok(sig, 'X-Twilio-Signature present');
    assert.equal(r.params.Caller, 'Ünïcödé “quotes” 😀');
    assert.deepEqual(r.params.Digits, ['5678', '1234']);
    assert.equal(twilio.validateRequest(TOKEN, sig, r.url, r.params), true);
    assert.equal(twilio.validateRequest('wrong' + TOKEN.slice(5), sig, r.url, r.params), false);
    assert.equal(twilio.validateRequest(TOKEN, sig, r.url, { ...r.params, CallStatus: 'completed' }), false);
    assert.equal(twilio.validateRequest(TOKEN, sig, base + '/voice?tenant=2', r.params), false);
  });

  it('accepts a GET webhook whose params were merged into the query', async () => {
    const r = await sendAndReceive('/voice?tenant=1', 'GET', PARAMS);
    assert.equal(r.method, 'GET');
    assert.equal(r.body, '');
    const query = new URL(r.url).searchParams;
    assert.equal(query.get('tenant'), '1');
    assert.equal(query.get('SipHeader_X-Note'), 'two words+plus&amp=eq;param=1');
    const sig = r.headers['x-twilio-signature'];
    assert.equal(twilio.validateRequest(TOKEN, sig, r.url, {}), true);
    assert.equal(twilio.validateRequest(TOKEN.toUpperCase(), sig, r.url, {}), false);
  });

  it('signs the URL without its fragment overrides, which never reach the app', async () => {
    const r = await sendAndReceive('/voice#ct=2000&rt=3000&tt=5000&rc=2&rp=all', 'POST', PARAMS.slice(0, 3));
    assert.equal(r.url, base + '/voice');
    assert.equal(twilio.validateRequest(TOKEN, r.headers['x-twilio-signature'], r.url, r.params), true);
  });

  it('sends the other webhook headers', async () => {
    const r = await sendAndReceive('/h', 'POST', [['A', '1']]);
    assert.equal(r.headers['user-agent'], 'TwilioProxy/1.1');
    assert.equal(r.headers.accept, '*/*');
    assert.match(r.headers['i-twilio-idempotency-token'], /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
