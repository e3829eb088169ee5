'use strict';
// The twilio library builds every URL on its API host (and prefixes
// next_page_uri with it when paging). This RequestClient, passed as the
// client's `httpClient`, sends those requests to callwire instead and keeps
// everything else (auth header, form encoding, paging, error handling) the
// library's own. It also records each exchange so tests can look at the raw
// JSON the library received.
const http = require('node:http');
const twilio = require('twilio');

const API_ORIGIN = 'https://api.twilio.com';

class LocalRequestClient extends twilio.RequestClient {
  constructor(baseUrl, opts = {}) {
    super(opts);
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.exchanges = [];
    // Plain http on loopback: the library only configures an https agent.
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    this.axios.defaults.httpAgent = this.httpAgent;
  }

  async request(opts) {
    if (!opts.uri.startsWith(API_ORIGIN + '/')) {
      throw new Error(`unexpected request host: ${opts.uri}`);
    }
    const uri = this.baseUrl + opts.uri.slice(API_ORIGIN.length);
    const response = await super.request({ ...opts, uri });
    this.exchanges.push({ method: opts.method.toUpperCase(), uri, params: opts.params, data: opts.data,
      status: response.statusCode, body: response.body });
    return response;
  }

  // Exchanges whose path (without query) equals `path`.
  requestsTo(method, path) {
    return this.exchanges.filter((x) => x.method === method && new URL(x.uri).pathname === path);
  }

  close() { this.httpAgent.destroy(); }
}

module.exports = { LocalRequestClient };
