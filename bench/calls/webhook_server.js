// Voice webhook for `make bench` (bench/calls): answers every request with
// <Reject reason="busy"/> as fast as node can, keeping connections alive so
// callwire's pooled client never reconnects. Loopback only; port 0 by
// default. Prints "listening PORT" once ready; SIGTERM closes it.
//
// Each request's SipHeader_X-Bench-Sent (the time SIPp sent the INVITE, put
// there by the bench scenarios) is subtracted from the arrival time: GET
// /stats answers {count, p50_us, p99_us} over the requests since the last
// /stats (SIPp and node read the same system clock).
'use strict';
const http = require('http');
const {performance} = require('perf_hooks');

const MAX_SAMPLES = 1000000;
let samples = [];
const nowUs = () => (performance.timeOrigin + performance.now()) * 1000;

function record(body, arrivedUs) {
  const m = /SipHeader_X-Bench-Sent=(\d+)\.\d+\.(\d+)/.exec(body);
  if (m && samples.length < MAX_SAMPLES) samples.push(arrivedUs - (Number(m[1]) * 1e6 + Number(m[2])));
}

function stats() {
  const s = samples.sort((a, b) => a - b);
  samples = [];
  const at = (q) => s.length ? s[Math.min(s.length - 1, Math.round(q * (s.length - 1)))] : null;
  return JSON.stringify({count: s.length, p50_us: at(0.5), p99_us: at(0.99)});
}

const BODY = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n' +
                         '<Response><Reject reason="busy"/></Response>\n');
const HEADERS = {'Content-Type': 'application/xml', 'Content-Length': BODY.length};

let requests = 0;
const server = http.createServer({keepAlive: true}, (req, res) => {
  const arrivedUs = nowUs();
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, {'Content-Type': 'application/json'});
    res.end(stats());
    return;
  }
  // Read the whole form body before answering so the connection can be reused.
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    requests++;
    record(Buffer.concat(chunks).toString('latin1'), arrivedUs);
    res.writeHead(200, HEADERS);
    res.end(BODY);
  });
});
server.keepAliveTimeout = 120000;
server.headersTimeout = 121000;
server.requestTimeout = 0;
server.listen(Number(process.argv[2] || 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => {
  process.stdout.write(`requests ${requests}\n`);
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
