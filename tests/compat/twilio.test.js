'use strict';
// callwire's REST API driven by the official twilio helper library, through
// its normal resource API: every resource is created, listed (with a page
// size smaller than the count, so the library follows next_page_uri),
// fetched, updated and removed, and the fields the library reads back are
// checked. Errors must arrive as the library's RestException.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const twilio = require('twilio');

const { startServe, ACCOUNT_SID, AUTH_TOKEN } = require('./serve');
const { LocalRequestClient } = require('./local_request_client');

const BASE = 'localhost';  // callwire's default --sip-domain-base
const V2010 = '/2010-04-01';
const STRONG_PASSWORDS = ['IWasAtSignal2018', 'Compat0Password9', 'AnotherGood1Pass'];

let serve;
const httpClients = [];

function clientFor(sid, token) {
  const httpClient = new LocalRequestClient(serve.baseUrl);
  httpClients.push(httpClient);
  return { client: twilio(sid, token, { httpClient }), http: httpClient };
}

function assertRecentDate(value, what) {
  assert.ok(value instanceof Date, `${what} is a Date (got ${JSON.stringify(value)})`);
  assert.ok(!Number.isNaN(value.getTime()), `${what} is a valid date`);
  assert.ok(Math.abs(Date.now() - value.getTime()) < 10 * 60 * 1000, `${what} is close to now: ${value}`);
}

// Runs `fn`, expecting it to reject with a twilio RestException.
async function restError(fn) {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof twilio.RestException, `RestException expected, got ${e && e.stack}`);
    return e;
  }
  assert.fail('the request succeeded but an error was expected');
}

function assertNoPasswordSeen(httpClient) {
  for (const x of httpClient.exchanges) {
    const text = typeof x.body === 'string' ? x.body : JSON.stringify(x.body);
    for (const p of STRONG_PASSWORDS) assert.ok(!text.includes(p), `password echoed by ${x.method} ${x.uri}`);
    assert.ok(!/"password"/i.test(text), `a password field in ${x.method} ${x.uri}: ${text}`);
  }
}

before(async () => {
  serve = await startServe();
});

after(async () => {
  for (const h of httpClients) h.close();
  if (serve) await serve.stop();
});

describe('accounts', () => {
  it('fetches the main account with its fixed credentials', async () => {
    const { client } = clientFor(ACCOUNT_SID, AUTH_TOKEN);
    const main = await client.api.v2010.accounts(ACCOUNT_SID).fetch();
    assert.equal(main.sid, ACCOUNT_SID);
    assert.equal(main.status, 'active');
    assert.equal(main.ownerAccountSid, ACCOUNT_SID);
    assert.equal(main.uri, `${V2010}/Accounts/${ACCOUNT_SID}.json`);
    assert.ok(main.dateCreated instanceof Date && !Number.isNaN(main.dateCreated.getTime()));
    assert.equal(typeof main.subresourceUris, 'object');
  });

  it('creates, lists across pages, fetches and updates sub-accounts', async () => {
    const { client, http } = clientFor(ACCOUNT_SID, AUTH_TOKEN);
    const created = [];
    for (let i = 0; i < 3; ++i) {
      const a = await client.api.v2010.accounts.create({ friendlyName: `compat sub ${i}` });
      assert.match(a.sid, /^AC[0-9a-f]{32}$/);
      assert.match(a.authToken, /^[0-9a-f]{32}$/);
      assert.notEqual(a.authToken, AUTH_TOKEN);
      assert.equal(a.friendlyName, `compat sub ${i}`);
      assert.equal(a.ownerAccountSid, ACCOUNT_SID);
      assert.equal(a.status, 'active');
      assertRecentDate(a.dateCreated, 'account dateCreated');
      created.push(a);
    }
    const defaulted = await client.api.v2010.accounts.create();
    assert.match(defaulted.friendlyName, /^SubAccount Created at \d{4}-\d{2}-\d{2} \d{1,2}:\d{2} [ap]m$/);
    created.push(defaulted);

    const all = await client.api.v2010.accounts.list({ pageSize: 2 });
    const sids = all.map((a) => a.sid);
    for (const a of created) assert.ok(sids.includes(a.sid), `list has ${a.sid}`);
    assert.ok(sids.includes(ACCOUNT_SID), 'list has the main account');
    assert.equal(new Set(sids).size, sids.length, 'no account listed twice across pages');
    assert.ok(http.requestsTo('GET', `${V2010}/Accounts.json`).length >= 3, 'the library followed next_page_uri');

    const byName = await client.api.v2010.accounts.list({ friendlyName: 'compat sub 1' });
    assert.deepEqual(byName.map((a) => a.sid), [created[1].sid]);

    const fetched = await client.api.v2010.accounts(created[0].sid).fetch();
    assert.equal(fetched.friendlyName, 'compat sub 0');
    assert.equal(fetched.ownerAccountSid, ACCOUNT_SID);

    const renamed = await client.api.v2010.accounts(created[0].sid).update({ friendlyName: 'renamed sub' });
    assert.equal(renamed.friendlyName, 'renamed sub');
    const suspended = await client.api.v2010.accounts(created[0].sid).update({ status: 'suspended' });
    assert.equal(suspended.status, 'suspended');
    assert.equal(suspended.friendlyName, 'renamed sub');
    const suspendedOnly = await client.api.v2010.accounts.list({ status: 'suspended' });
    assert.deepEqual(suspendedOnly.map((a) => a.sid), [created[0].sid]);
    const active = await client.api.v2010.accounts(created[0].sid).update({ status: 'active' });
    assert.equal(active.status, 'active');
  });

  it('keeps a sub-account inside its own resources', async () => {
    const { client: main } = clientFor(ACCOUNT_SID, AUTH_TOKEN);
    const sub = await main.api.v2010.accounts.create({ friendlyName: 'boundary sub' });
    const mainDomain = await main.sip.domains.create({ domainName: `boundary.sip.${BASE}` });

    const { client: asSub } = clientFor(sub.sid, sub.authToken);
    const own = await asSub.api.v2010.accounts(sub.sid).fetch();
    assert.equal(own.sid, sub.sid);
    const subDomain = await asSub.sip.domains.create({ domainName: `sub-own.sip.${BASE}` });
    assert.equal(subDomain.accountSid, sub.sid);
    const seen = await asSub.sip.domains.list();
    assert.deepEqual(seen.map((d) => d.sid), [subDomain.sid]);
    const e = await restError(() => asSub.sip.domains(mainDomain.sid).fetch());
    assert.equal(e.status, 404);
    assert.equal(e.code, 20404);

    // The main account manages the sub-account's resources through its path.
    const viaParent = await main.api.v2010.accounts(sub.sid).sip.domains(subDomain.sid).fetch();
    assert.equal(viaParent.domainName, `sub-own.sip.${BASE}`);

    await asSub.sip.domains(subDomain.sid).remove();
    await main.sip.domains(mainDomain.sid).remove();
  });
});

describe('SIP domains', () => {
  it('creates, lists across pages, fetches, updates and removes domains', async () => {
    const { client, http } = clientFor(ACCOUNT_SID, AUTH_TOKEN);
    const created = [];
    for (let i = 0; i < 5; ++i) {
      const d = await client.sip.domains.create({
        domainName: `compat${i}.sip.${BASE}`,
        friendlyName: `Compat ${i}`,
        voiceUrl: `https://app.example.com/voice/${i}`,
      });
      created.push(d);
    }
    const d0 = created[0];
    assert.match(d0.sid, /^SD[0-9a-f]{32}$/);
    assert.equal(d0.accountSid, ACCOUNT_SID);
    assert.equal(d0.apiVersion, '2010-04-01');
    assert.equal(d0.domainName, `compat0.sip.${BASE}`);
    assert.equal(d0.friendlyName, 'Compat 0');
    assert.equal(d0.voiceUrl, 'https://app.example.com/voice/0');
    assert.equal(d0.voiceMethod, 'POST');
    assert.equal(d0.voiceFallbackUrl, null);
    assert.equal(d0.voiceFallbackMethod, 'POST');
    assert.equal(d0.voiceStatusCallbackUrl, null);
    assert.equal(d0.voiceStatusCallbackMethod, 'POST');
    assert.equal(d0.authType, '');
    assert.equal(d0.sipRegistration, false);
    assert.equal(d0.emergencyCallingEnabled, false);
    assert.equal(d0.secure, false);
    assert.equal(d0.byocTrunkSid, null);
    assert.equal(d0.emergencyCallerSid, null);
    assertRecentDate(d0.dateCreated, 'domain dateCreated');
    assertRecentDate(d0.dateUpdated, 'domain dateUpdated');
    const uri = `${V2010}/Accounts/${ACCOUNT_SID}/SIP/Domains/${d0.sid}`;
    assert.equal(d0.uri, `${uri}.json`);
    assert.equal(d0.subresourceUris.credential_list_mappings, `${uri}/CredentialListMappings.json`);
    assert.equal(d0.subresourceUris.ip_access_control_list_mappings, `${uri}/IpAccessControlListMappings.json`);

    const listPath = `${V2010}/Accounts/${ACCOUNT_SID}/SIP/Domains.json`;
    const before = http.requestsTo('GET', listPath).length;
    const listed = await client.sip.domains.list({ pageSize: 2 });
    assert.deepEqual(listed.map((d) => d.sid).sort(), created.map((d) => d.sid).sort());
    assert.equal(http.requestsTo('GET', listPath).length - before, 3, '5 domains at 2 per page are 3 pages');
    for (const d of listed) assertRecentDate(d.dateCreated, 'listed dateCreated');

    // Manual paging through the library's Page objects.
    const page1 = await client.sip.domains.page({ pageSize: 4 });
    assert.equal(page1.instances.length, 4);
    assert.ok(page1.nextPageUrl, 'first page has a next page');
    const page2 = await page1.nextPage();
    assert.equal(page2.instances.length, 1);
    assert.equal(page2.nextPageUrl, undefined);
    const limited = await client.sip.domains.list({ limit: 3, pageSize: 2 });
    assert.equal(limited.length, 3);

    const fetched = await client.sip.domains(d0.sid).fetch();
    assert.equal(fetched.sid, d0.sid);
    assert.equal(fetched.domainName, d0.domainName);
    assert.equal(fetched.voiceUrl, d0.voiceUrl);

    const updated = await client.sip.domains(d0.sid).update({
      friendlyName: 'Renamed',
      voiceUrl: 'https://app.example.com/v2',
      voiceMethod: 'GET',
      voiceFallbackUrl: 'https://fallback.example.com/voice',
      voiceStatusCallbackUrl: 'https://app.example.com/status',
      voiceStatusCallbackMethod: 'GET',
      sipRegistration: true,
      secure: true,
    });
    assert.equal(updated.friendlyName, 'Renamed');
    assert.equal(updated.voiceUrl, 'https://app.example.com/v2');
    assert.equal(updated.voiceMethod, 'GET');
    assert.equal(updated.voiceFallbackUrl, 'https://fallback.example.com/voice');
    assert.equal(updated.voiceFallbackMethod, 'POST');
    assert.equal(updated.voiceStatusCallbackUrl, 'https://app.example.com/status');
    assert.equal(updated.voiceStatusCallbackMethod, 'GET');
    assert.equal(updated.sipRegistration, true);
    assert.equal(updated.secure, true);
    assert.equal(updated.domainName, d0.domainName, 'update leaves unsent fields alone');
    assert.ok(updated.dateUpdated.getTime() >= d0.dateCreated.getTime());

    const renamedHost = await client.sip.domains(d0.sid).update({ domainName: `compat-renamed.sip.${BASE}` });
    assert.equal(renamedHost.domainName, `compat-renamed.sip.${BASE}`);

    for (const d of created) assert.equal(await client.sip.domains(d.sid).remove(), true);
    assert.deepEqual(await client.sip.domains.list(), []);
    const gone = await restError(() => client.sip.domains(d0.sid).fetch());
    assert.equal(gone.status, 404);
    assert.equal(gone.code, 20404);
    assert.equal(gone.moreInfo, 'https://www.twilio.com/docs/errors/20404');
  });

  it('reports a duplicate domain as RestException 21232', async () => {
    const { client } = clientFor(ACCOUNT_SID, AUTH_TOKEN);
    const d = await client.sip.domains.create({ domainName: `dup.sip.${BASE}` });
    const e = await restError(() => client.sip.domains.create({ domainName: `dup.sip.${BASE}` }));
    assert.equal(e.status, 400);
    assert.equal(e.code, 21232);
    assert.match(e.message, /already exists/);
    assert.equal(e.moreInfo, 'https://www.twilio.com/docs/errors/21232');
    await client.sip.domains(d.sid).remove();
  });

  it('refuses a domain outside the configured base', async () => {
    const { client } = clientFor(ACCOUNT_SID, AUTH_TOKEN);
    const e = await restError(() => client.sip.domains.create({ domainName: 'elsewhere.example.com' }));
    assert.equal(e.status, 400);
    assert.equal(typeof e.code, 'number');
    assert.ok(e.message.length > 0);
  });
});

describe('credential lists and credentials', () => {
  it('creates, lists, fetches, updates and removes lists and credentials; passwords never come back', async () => {
    const { client, http } = clientFor(ACCOUNT_SID, AUTH_TOKEN);
    const lists = [];
    for (let i = 0; i < 3; ++i) lists.push(await client.sip.credentialLists.create({ friendlyName: `compat list ${i}` }));
    const cl = lists[0];
    assert.match(cl.sid, /^CL[0-9a-f]{32}$/);
    assert.equal(cl.accountSid, ACCOUNT_SID);
    assert.equal(cl.friendlyName, 'compat list 0');
    assertRecentDate(cl.dateCreated, 'list dateCreated');
    const clUri = `${V2010}/Accounts/${ACCOUNT_SID}/SIP/CredentialLists/${cl.sid}`;
    assert.equal(cl.uri, `${clUri}.json`);
    assert.equal(cl.subresourceUris.credentials, `${clUri}/Credentials.json`);

    const listed = await client.sip.credentialLists.list({ pageSize: 2 });
    assert.deepEqual(listed.map((l) => l.sid).sort(), lists.map((l) => l.sid).sort());
    assert.ok(http.requestsTo('GET', `${V2010}/Accounts/${ACCOUNT_SID}/SIP/CredentialLists.json`).length >= 2);

    assert.equal((await client.sip.credentialLists(cl.sid).fetch()).friendlyName, 'compat list 0');
    const renamed = await client.sip.credentialLists(cl.sid).update({ friendlyName: 'renamed list' });
    assert.equal(renamed.friendlyName, 'renamed list');

    const creds = client.sip.credentialLists(cl.sid).credentials;
    const made = [];
    for (let i = 0; i < 3; ++i) {
      made.push(await creds.create({ username: `user${i}`, password: STRONG_PASSWORDS[i] }));
    }
    const c0 = made[0];
    assert.match(c0.sid, /^CR[0-9a-f]{32}$/);
    assert.equal(c0.username, 'user0');
    assert.equal(c0.credentialListSid, cl.sid);
    assert.equal(c0.accountSid, ACCOUNT_SID);
    assertRecentDate(c0.dateCreated, 'credential dateCreated');
    assert.equal(c0.uri, `${clUri}/Credentials/${c0.sid}.json`);
    assert.equal(c0.password, undefined);

    const credList = await creds.list({ pageSize: 2 });
    assert.deepEqual(credList.map((c) => c.username).sort(), ['user0', 'user1', 'user2']);
    assert.ok(http.requestsTo('GET', `${clUri}/Credentials.json`).length >= 2, 'credentials paged');

    const fetched = await creds(c0.sid).fetch();
    assert.equal(fetched.username, 'user0');
    const updated = await creds(c0.sid).update({ password: 'Changed4Password' });
    assert.equal(updated.username, 'user0');
    assert.equal(updated.sid, c0.sid);

    const weak = await restError(() => creds.create({ username: 'weak', password: 'short' }));
    assert.equal(weak.status, 400);
    assert.ok(weak.message.length > 0);
    const noDigit = await restError(() => creds.create({ username: 'nodigit', password: 'NoDigitsAtAllHere' }));
    assert.equal(noDigit.status, 400);

    for (const c of made) assert.equal(await creds(c.sid).remove(), true);
    assert.deepEqual(await creds.list(), []);
    for (const l of lists) assert.equal(await client.sip.credentialLists(l.sid).remove(), true);
    const gone = await restError(() => client.sip.credentialLists(cl.sid).fetch());
    assert.equal(gone.status, 404);

    STRONG_PASSWORDS.push('Changed4Password');
    assertNoPasswordSeen(http);
  });
});

describe('IP access control lists and addresses', () => {
  it('creates, lists, fetches, updates and removes ACLs and addresses', async () => {
    const { client, http } = clientFor(ACCOUNT_SID, AUTH_TOKEN);
    const acls = [];
    for (let i = 0; i < 3; ++i) acls.push(await client.sip.ipAccessControlLists.create({ friendlyName: `compat acl ${i}` }));
    const al = acls[0];
    assert.match(al.sid, /^AL[0-9a-f]{32}$/);
    assert.equal(al.friendlyName, 'compat acl 0');
    assert.equal(al.accountSid, ACCOUNT_SID);
    assertRecentDate(al.dateCreated, 'acl dateCreated');
    const alUri = `${V2010}/Accounts/${ACCOUNT_SID}/SIP/IpAccessControlLists/${al.sid}`;
    assert.equal(al.uri, `${alUri}.json`);
    assert.equal(al.subresourceUris.ip_addresses, `${alUri}/IpAddresses.json`);

    const listed = await client.sip.ipAccessControlLists.list({ pageSize: 2 });
    assert.deepEqual(listed.map((l) => l.sid).sort(), acls.map((l) => l.sid).sort());
    assert.ok(http.requestsTo('GET', `${V2010}/Accounts/${ACCOUNT_SID}/SIP/IpAccessControlLists.json`).length >= 2);
    assert.equal((await client.sip.ipAccessControlLists(al.sid).fetch()).friendlyName, 'compat acl 0');
    const renamed = await client.sip.ipAccessControlLists(al.sid).update({ friendlyName: 'renamed acl' });
    assert.equal(renamed.friendlyName, 'renamed acl');

    const ips = client.sip.ipAccessControlLists(al.sid).ipAddresses;
    const single = await ips.create({ friendlyName: 'pbx', ipAddress: '192.0.2.10' });
    assert.match(single.sid, /^IP[0-9a-f]{32}$/);
    assert.equal(single.ipAddress, '192.0.2.10');
    assert.equal(single.friendlyName, 'pbx');
    assert.equal(single.ipAccessControlListSid, al.sid);
    assert.equal(typeof single.cidrPrefixLength, 'number');
    assertRecentDate(single.dateCreated, 'ip dateCreated');
    assert.equal(single.uri, `${alUri}/IpAddresses/${single.sid}.json`);
    const range = await ips.create({ friendlyName: 'office', ipAddress: '198.51.100.0', cidrPrefixLength: 24 });
    assert.equal(range.cidrPrefixLength, 24);
    const third = await ips.create({ friendlyName: 'sbc', ipAddress: '203.0.113.7' });

    const ipList = await ips.list({ pageSize: 2 });
    assert.deepEqual(ipList.map((x) => x.ipAddress).sort(), ['192.0.2.10', '198.51.100.0', '203.0.113.7']);
    assert.ok(http.requestsTo('GET', `${alUri}/IpAddresses.json`).length >= 2, 'addresses paged');

    assert.equal((await ips(single.sid).fetch()).ipAddress, '192.0.2.10');
    const moved = await ips(single.sid).update({ ipAddress: '192.0.2.11', friendlyName: 'pbx2', cidrPrefixLength: 32 });
    assert.equal(moved.ipAddress, '192.0.2.11');
    assert.equal(moved.friendlyName, 'pbx2');
    assert.equal(moved.cidrPrefixLength, 32);

    const wildcard = await restError(() => ips.create({ friendlyName: 'bad', ipAddress: '10.0.0.*' }));
    assert.equal(wildcard.status, 400);

    for (const x of [single, range, third]) assert.equal(await ips(x.sid).remove(), true);
    assert.deepEqual(await ips.list(), []);
    for (const l of acls) assert.equal(await client.sip.ipAccessControlLists(l.sid).remove(), true);
    assert.deepEqual(await client.sip.ipAccessControlLists.list(), []);
  });
});

describe('domain auth mappings', () => {
  it('maps lists through the legacy and Auth paths and derives auth_type', async () => {
    const { client } = clientFor(ACCOUNT_SID, AUTH_TOKEN);
    const domain = await client.sip.domains.create({ domainName: `mapped.sip.${BASE}` });
    const cl = await client.sip.credentialLists.create({ friendlyName: 'mapped creds' });
    const cl2 = await client.sip.credentialLists.create({ friendlyName: 'registration creds' });
    const al = await client.sip.ipAccessControlLists.create({ friendlyName: 'mapped acl' });
    const ctx = client.sip.domains(domain.sid);

    // Legacy credential-list mapping.
    const clMap = await ctx.credentialListMappings.create({ credentialListSid: cl.sid });
    assert.equal(clMap.sid, cl.sid);
    assert.equal(clMap.friendlyName, 'mapped creds');
    assert.equal(clMap.domainSid, domain.sid);
    assert.equal(clMap.accountSid, ACCOUNT_SID);
    assertRecentDate(clMap.dateCreated, 'mapping dateCreated');
    assert.equal((await client.sip.domains(domain.sid).fetch()).authType, 'CREDENTIAL_LIST');
    assert.equal((await ctx.credentialListMappings(cl.sid).fetch()).friendlyName, 'mapped creds');

    // Legacy IP-ACL mapping.
    const alMap = await ctx.ipAccessControlListMappings.create({ ipAccessControlListSid: al.sid });
    assert.equal(alMap.sid, al.sid);
    assert.equal(alMap.friendlyName, 'mapped acl');
    const both = (await client.sip.domains(domain.sid).fetch()).authType;
    assert.deepEqual(both.split(',').sort(), ['CREDENTIAL_LIST', 'IP_ACL']);
    assert.deepEqual((await ctx.ipAccessControlListMappings.list()).map((m) => m.sid), [al.sid]);
    assert.deepEqual((await ctx.credentialListMappings.list({ pageSize: 1 })).map((m) => m.sid), [cl.sid]);

    // Auth/Calls shares storage with the legacy paths.
    const calls = ctx.auth.calls;
    assert.deepEqual((await calls.credentialListMappings.list()).map((m) => m.sid), [cl.sid]);
    assert.deepEqual((await calls.ipAccessControlListMappings.list()).map((m) => m.sid), [al.sid]);
    const dup = await restError(() => calls.credentialListMappings.create({ credentialListSid: cl.sid }));
    assert.equal(dup.status, 400);
    assert.equal(dup.code, 21231);
    const dupAcl = await restError(() => calls.ipAccessControlListMappings.create({ ipAccessControlListSid: al.sid }));
    assert.equal(dupAcl.status, 400);
    assert.equal(dupAcl.code, 21231);

    // Remove through one path, re-create through the other.
    assert.equal(await calls.credentialListMappings(cl.sid).remove(), true);
    assert.deepEqual(await ctx.credentialListMappings.list(), []);
    assert.equal((await client.sip.domains(domain.sid).fetch()).authType, 'IP_ACL');
    const viaAuth = await calls.credentialListMappings.create({ credentialListSid: cl.sid });
    assert.equal(viaAuth.sid, cl.sid);
    assert.equal(viaAuth.friendlyName, 'mapped creds');
    assertRecentDate(viaAuth.dateCreated, 'auth mapping dateCreated');
    assert.equal((await calls.credentialListMappings(cl.sid).fetch()).sid, cl.sid);
    assert.equal((await calls.ipAccessControlListMappings(al.sid).fetch()).friendlyName, 'mapped acl');
    assert.equal(await calls.ipAccessControlListMappings(al.sid).remove(), true);
    assert.equal((await client.sip.domains(domain.sid).fetch()).authType, 'CREDENTIAL_LIST');

    // Registrations: credential lists only, separate from calls.
    const regs = ctx.auth.registrations.credentialListMappings;
    const reg = await regs.create({ credentialListSid: cl2.sid });
    assert.equal(reg.sid, cl2.sid);
    assert.equal(reg.friendlyName, 'registration creds');
    assert.deepEqual((await regs.list()).map((m) => m.sid), [cl2.sid]);
    assert.equal((await regs(cl2.sid).fetch()).sid, cl2.sid);
    assert.deepEqual((await calls.credentialListMappings.list()).map((m) => m.sid), [cl.sid],
      'a registration mapping is not a calls mapping');
    assert.equal((await client.sip.domains(domain.sid).fetch()).authType, 'CREDENTIAL_LIST');
    assert.equal(await regs(cl2.sid).remove(), true);
    assert.deepEqual(await regs.list(), []);

    assert.equal(await ctx.credentialListMappings(cl.sid).remove(), true);
    assert.equal((await client.sip.domains(domain.sid).fetch()).authType, '');
    const missing = await restError(() => ctx.credentialListMappings(cl.sid).fetch());
    assert.equal(missing.status, 404);

    await client.sip.domains(domain.sid).remove();
    await client.sip.credentialLists(cl.sid).remove();
    await client.sip.credentialLists(cl2.sid).remove();
    await client.sip.ipAccessControlLists(al.sid).remove();
  });
});

describe('errors', () => {
  it('turns a wrong token into RestException 401 / 20003', async () => {
    const { client } = clientFor(ACCOUNT_SID, '0'.repeat(32));
    const e = await restError(() => client.sip.domains.list());
    assert.equal(e.status, 401);
    assert.equal(e.code, 20003);
    assert.equal(e.moreInfo, 'https://www.twilio.com/docs/errors/20003');
  });

  it('turns an unknown SID into RestException 404 / 20404', async () => {
    const { client } = clientFor(ACCOUNT_SID, AUTH_TOKEN);
    const e = await restError(() => client.sip.credentialLists('CL' + 'f'.repeat(32)).fetch());
    assert.equal(e.status, 404);
    assert.equal(e.code, 20404);
    assert.ok(e.message.includes('CL' + 'f'.repeat(32)), e.message);
  });
});

// Call logs and Monitor Alerts. Calls and alerts are written by the call
// pipeline only, so a fresh server has none: the library must read empty
// lists (both envelopes), turn unknown SIDs into RestException 20404 and the
// POSTs callwire does not offer into RestException 405 / 20004.
describe('call logs and alerts', () => {
  // The monitor domain (https://monitor.twilio.com) goes to callwire too, and
  // v1 paging URLs, which callwire makes absolute on its own host, pass
  // through unchanged.
  class LogsRequestClient extends LocalRequestClient {
    async request(opts) {
      let uri = opts.uri;
      const monitor = 'https://monitor.twilio.com/';
      if (uri.startsWith(monitor)) uri = 'https://api.twilio.com/' + uri.slice(monitor.length);
      else if (uri.startsWith(this.baseUrl + '/')) uri = 'https://api.twilio.com' + uri.slice(this.baseUrl.length);
      return super.request({ ...opts, uri });
    }
  }
  function logsClient(sid, token) {
    const httpClient = new LogsRequestClient(serve.baseUrl);
    httpClients.push(httpClient);
    return { client: twilio(sid, token, { httpClient }), http: httpClient };
  }

  it('lists no calls, with and without filters, in the v2010 envelope', async () => {
    const { client, http } = logsClient(ACCOUNT_SID, AUTH_TOKEN);
    assert.deepEqual(await client.calls.list(), []);
    const filtered = await client.calls.list({
      to: 'sip:alice@acme.sip.localhost', status: 'completed',
      startTimeAfter: new Date('2024-01-01T00:00:00Z'), startTimeBefore: new Date('2024-02-01T00:00:00Z'),
      endTime: new Date('2024-01-15T10:00:00Z'), pageSize: 5,
    });
    assert.deepEqual(filtered, []);
    const x = http.requestsTo('GET', `${V2010}/Accounts/${ACCOUNT_SID}/Calls.json`).at(-1);
    assert.equal(x.status, 200);
    const body = typeof x.body === 'string' ? JSON.parse(x.body) : x.body;
    assert.deepEqual(body.calls, []);
    assert.equal(body.next_page_uri, null);
    assert.match(body.uri, /StartTime%3E=2024-01-01T00%3A00%3A00Z/);
  });

  it('refuses a malformed date filter with RestException 400 / 20001', async () => {
    const { client } = logsClient(ACCOUNT_SID, AUTH_TOKEN);
    const e = await restError(() => client.calls.list({ startTime: 'yesterday' }));
    assert.equal(e.status, 400);
    assert.equal(e.code, 20001);
    assert.ok(e.message.includes('StartTime'), e.message);
  });

  it('turns an unknown call into RestException 404 / 20404', async () => {
    const { client } = logsClient(ACCOUNT_SID, AUTH_TOKEN);
    const sid = 'CA' + 'e'.repeat(32);
    const e = await restError(() => client.calls(sid).fetch());
    assert.equal(e.status, 404);
    assert.equal(e.code, 20404);
    assert.ok(e.message.includes(sid), e.message);
    const d = await restError(() => client.calls(sid).remove());
    assert.equal(d.status, 404);
  });

  it('answers outbound create and live update with RestException 405 / 20004', async () => {
    const { client } = logsClient(ACCOUNT_SID, AUTH_TOKEN);
    const create = await restError(() => client.calls.create({ to: 'sip:bob@example.com', from: '+15005550006',
      url: 'https://example.com/voice' }));
    assert.equal(create.status, 405);
    assert.equal(create.code, 20004);
    assert.ok(create.message.includes('outbound calls'), create.message);
    const update = await restError(() => client.calls('CA' + 'e'.repeat(32)).update({ status: 'completed' }));
    assert.equal(update.status, 405);
    assert.equal(update.code, 20004);
  });

  it('lists no alerts through client.monitor, and 404s an unknown alert', async () => {
    const { client, http } = logsClient(ACCOUNT_SID, AUTH_TOKEN);
    assert.deepEqual(await client.monitor.v1.alerts.list(), []);
    assert.deepEqual(await client.monitor.v1.alerts.list({
      logLevel: 'error', startDate: new Date('2015-07-30T20:00:00Z'), endDate: new Date('2015-07-31T20:00:00Z'),
      pageSize: 2,
    }), []);
    const x = http.requestsTo('GET', '/v1/Alerts').at(-1);
    assert.equal(x.status, 200);
    const body = typeof x.body === 'string' ? JSON.parse(x.body) : x.body;
    assert.equal(body.meta.key, 'alerts');
    assert.equal(body.meta.page_size, 2);
    assert.equal(body.meta.next_page_url, null);
    assert.ok(body.meta.url.startsWith(`${serve.baseUrl}/v1/Alerts?`), body.meta.url);

    const sid = 'NO' + 'a'.repeat(32);
    const e = await restError(() => client.monitor.v1.alerts(sid).fetch());
    assert.equal(e.status, 404);
    assert.equal(e.code, 20404);
    const bad = await restError(() => client.monitor.v1.alerts.list({ logLevel: 'fatal' }));
    assert.equal(bad.status, 400);
    assert.equal(bad.code, 20001);
  });

  it('refuses alerts without valid credentials with RestException 401 / 20003', async () => {
    const { client } = logsClient(ACCOUNT_SID, '0'.repeat(32));
    const e = await restError(() => client.monitor.v1.alerts.list());
    assert.equal(e.status, 401);
    assert.equal(e.code, 20003);
  });
});

// Recordings. The media engine writes them; here a helper binary seeds one
// into the running server's store (CALLWIRE_SEED_RECORDING), with its WAV
// in the data dir. The library lists, fetches and removes it; the media is
// fetched as Twilio apps do, by plain GET of media_url without credentials.
describe('recordings', () => {
  const { execFileSync } = require('node:child_process');
  const fs = require('node:fs');
  const path = require('node:path');

  function seedRecording(callSid) {
    const bin = process.env.CALLWIRE_SEED_RECORDING;
    assert.ok(bin, 'CALLWIRE_SEED_RECORDING must name the seed binary');
    return execFileSync(bin, [serve.dataDir, ACCOUNT_SID, callSid], { timeout: 20000 }).toString().trim();
  }

  function plainGet(url) {
    return new Promise((resolve, reject) => {
      require('node:http').get(url, { timeout: 5000 }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
  }

  it('lists, fetches, serves and removes a recording through the library', async () => {
    const callSid = 'CA' + '5eed'.repeat(8);
    const sid = seedRecording(callSid);
    assert.match(sid, /^RE[0-9a-f]{32}$/);
    const file = path.join(serve.dataDir, 'recordings', ACCOUNT_SID, `${sid}.wav`);
    assert.ok(fs.existsSync(file));
    const { client } = clientFor(ACCOUNT_SID, AUTH_TOKEN);

    const listed = await client.recordings.list({ pageSize: 10 });
    assert.deepEqual(listed.map((r) => r.sid), [sid]);
    const byCall = await client.calls(callSid).recordings.list();
    assert.deepEqual(byCall.map((r) => r.sid), [sid]);
    assert.deepEqual(await client.recordings.list({ callSid: 'CA' + 'e'.repeat(32) }), []);

    const r = await client.recordings(sid).fetch();
    assert.equal(r.sid, sid);
    assert.equal(r.accountSid, ACCOUNT_SID);
    assert.equal(r.callSid, callSid);
    assert.equal(r.conferenceSid, null);
    assert.equal(r.status, 'completed');
    assert.equal(r.duration, '2');
    assert.equal(r.channels, 1);
    assert.equal(r.source, 'RecordVerb');
    assert.equal(r.priceUnit, 'USD');
    assert.equal(r.price, null);
    assert.equal(r.apiVersion, '2010-04-01');
    assertRecentDate(r.dateCreated, 'dateCreated');
    assertRecentDate(r.startTime, 'startTime');
    assert.equal(r.uri, `${V2010}/Accounts/${ACCOUNT_SID}/Recordings/${sid}.json`);
    assert.equal(r.mediaUrl, `${serve.baseUrl}${V2010}/Accounts/${ACCOUNT_SID}/Recordings/${sid}`);

    const media = await plainGet(r.mediaUrl);
    assert.equal(media.status, 200);
    assert.equal(media.headers['content-type'], 'audio/x-wav');
    assert.ok(media.body.equals(fs.readFileSync(file)), 'media_url serves the WAV file');
    const wav = await plainGet(r.mediaUrl + '.wav');
    assert.equal(wav.status, 200);
    const mp3 = await plainGet(r.mediaUrl + '.mp3');
    assert.equal(mp3.status, 200);
    assert.equal(mp3.headers['content-type'], 'audio/mpeg');
    // 2 s at 32 kbit/s, starting with an MPEG audio frame header (sync bits).
    assert.ok(mp3.body.length > 7000, `MP3 of ${mp3.body.length} bytes`);
    assert.ok(mp3.body[0] === 0xff && (mp3.body[1] & 0xe0) === 0xe0, 'the MP3 starts with a frame header');
    const mp3File = file.replace(/\.wav$/, '.mp3');
    assert.ok(mp3.body.equals(fs.readFileSync(mp3File)), 'the MP3 is cached beside the WAV');

    const update = await restError(() => client.calls(callSid).recordings(sid).update({ status: 'paused' }));
    assert.equal(update.status, 405);
    assert.equal(update.code, 20004);

    assert.equal(await client.recordings(sid).remove(), true);
    assert.ok(!fs.existsSync(file), 'the WAV file is removed with the recording');
    assert.ok(!fs.existsSync(mp3File), 'so is its MP3');
    assert.deepEqual(await client.recordings.list(), []);
    const gone = await restError(() => client.recordings(sid).fetch());
    assert.equal(gone.status, 404);
    assert.equal(gone.code, 20404);
    assert.equal((await plainGet(r.mediaUrl)).status, 404);
  });
});
