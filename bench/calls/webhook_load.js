// Capacity check of the bench webhook server: POSTs a voice-webhook-sized
// form body over CONNECTIONS keep-alive connections (as callwire's client
// does, at most 16 per host) for at most SECONDS or REQUESTS, whichever comes
// first, then prints "requests N seconds S rps R errors E".
//   node webhook_load.js PORT [SECONDS=3] [CONNECTIONS=16] [REQUESTS=200000]
'use strict';
const http = require('http');

const [port, seconds = 3, connections = 16, maxRequests = 200000] = process.argv.slice(2).map(Number);
const agent = new http.Agent({keepAlive: true, maxSockets: connections});
// About the size of a real voice webhook's parameters.
const body = Buffer.from(
    'AccountSid=AC00000000000000000000000000000000&ApiVersion=2010-04-01&CallSid=CA' + '0'.repeat(32) +
    '&CallStatus=ringing&Called=sip%3Abench%40bench.sip.localhost&Caller=sip%3Asipp%40127.0.0.1' +
    '&Direction=inbound&From=sip%3Asipp%40127.0.0.1&To=sip%3Abench%40bench.sip.localhost' +
    '&SipCallId=1-1%40127.0.0.1&SipDomain=bench.sip.localhost&SipDomainSid=SD' + '0'.repeat(32) +
    '&SipSourceIp=127.0.0.1&SipSourcePort=5060&SipUsername=bench&SipUserAgent=callwire-bench');
const deadline = Date.now() + seconds * 1000;
const start = process.hrtime.bigint();
let sent = 0, done = 0, errors = 0, running = 0;

function finish() {
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(`requests ${done} seconds ${secs.toFixed(3)} rps ${(done / secs).toFixed(0)} errors ${errors}\n`);
  agent.destroy();
  process.exit(errors ? 1 : 0);
}

function one() {
  if (sent >= maxRequests || Date.now() >= deadline) {
    if (--running === 0) finish();
    return;
  }
  sent++;
  const req = http.request({host: '127.0.0.1', port, method: 'POST', path: '/voice', agent,
                            headers: {'Content-Type': 'application/x-www-form-urlencoded',
                                      'Content-Length': body.length}}, (res) => {
    res.on('data', () => {});
    res.on('end', () => { if (res.statusCode === 200) done++; else errors++; one(); });
  });
  req.on('error', () => { errors++; one(); });
  req.end(body);
}

for (let i = 0; i < connections; i++) { running++; one(); }
