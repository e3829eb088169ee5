// Voice webhook for `make bench` (bench/calls): answers every request with
// <Reject reason="busy"/> as fast as node can, keeping connections alive so
// callwire's pooled client never reconnects. Loopback only; port 0 by
// default. Prints "listening PORT" once ready; SIGTERM closes it.
'use strict';
const http = require('http');

const BODY = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n' +
                         '<Response><Reject reason="busy"/></Response>\n');
const HEADERS = {'Content-Type': 'application/xml', 'Content-Length': BODY.length};

let requests = 0;
const server = http.createServer({keepAlive: true}, (req, res) => {
  // Drain the form body before answering so the connection can be reused.
  req.on('data', () => {});
  req.on('end', () => {
    requests++;
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
