import { describe, expect, it } from 'vitest';
import { CredentialCache } from './credential-cache.js';
import { Digest, digestResponse, parseAlgorithm } from './digest.js';

describe('digestResponse', () => {
  it('matches the RFC 2617 §3.5 MD5 example', () => {
    expect(
      digestResponse({
        algorithm: 'MD5',
        username: 'Mufasa',
        password: 'Circle Of Life',
        realm: 'testrealm@host.com',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        cnonce: '0a4f113b',
        nc: 1,
        qop: 'auth',
        method: 'GET',
        uri: '/dir/index.html',
        body: '',
      }),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });

  it('matches the RFC 7616 §3.9.1 SHA-256 example (the algorithm RFC 8760 brings to SIP)', () => {
    expect(
      digestResponse({
        algorithm: 'SHA-256',
        username: 'Mufasa',
        password: 'Circle of Life',
        realm: 'http-auth@example.org',
        nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
        cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
        nc: 1,
        qop: 'auth',
        method: 'GET',
        uri: '/dir/index.html',
        body: '',
      }),
    ).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });
});

describe('Digest', () => {
  const request = { method: 'REGISTER', ruri: { toString: () => 'sip:parley.test' } };

  it('declines challenges it cannot meet', () => {
    const digest = new Digest('alice', 'secret');
    expect(digest.authenticate(request, { realm: 'r', nonce: 'n', algorithm: 'SHA-512-256' })).toBe(false);
    expect(digest.authenticate(request, { nonce: 'n' })).toBe(false);
    expect(digest.authenticate(request, { realm: 'r' })).toBe(false);
    expect(digest.authenticate(request, { realm: 'r', nonce: 'n', qop: ['auth-conf'] })).toBe(false);
    expect(parseAlgorithm('sha-256')).toBe('SHA-256');
    expect(parseAlgorithm(undefined)).toBe('MD5');
  });

  it('writes a header a server can check, with a rising nonce count on reuse', () => {
    const digest = new Digest('alice', 'secret');
    expect(digest.authenticate(request, { realm: 'parley.test', nonce: 'abc', qop: ['auth'], algorithm: 'SHA-256', opaque: 'op' })).toBe(
      true,
    );
    const first = digest.toString();
    expect(first).toMatch(
      /^Digest username="alice", realm="parley.test", nonce="abc", uri="sip:parley.test", response="[0-9a-f]{64}", algorithm=SHA-256, opaque="op", qop=auth, cnonce="[0-9a-f]+", nc=00000001$/,
    );
    expect(digest.reuseFor({ method: 'MESSAGE', ruri: { toString: () => 'sip:bob@parley.test' } })).toBe(true);
    const second = digest.toString();
    expect(second).toContain('nc=00000002');
    expect(second).toContain('uri="sip:bob@parley.test"');
    // Check the response against an independent computation with the values in the header.
    const field = (name: string) => new RegExp(`${name}="?([^",]+)"?`).exec(second)![1]!;
    expect(field('response')).toBe(
      digestResponse({
        algorithm: 'SHA-256',
        username: 'alice',
        password: 'secret',
        realm: 'parley.test',
        nonce: 'abc',
        cnonce: field('cnonce'),
        nc: 2,
        qop: 'auth',
        method: 'MESSAGE',
        uri: 'sip:bob@parley.test',
        body: '',
      }),
    );
  });

  it('starts the nonce count again for a new nonce', () => {
    const digest = new Digest('alice', 'secret');
    digest.authenticate(request, { realm: 'r', nonce: 'one', qop: 'auth' });
    digest.reuseFor(request);
    digest.authenticate(request, { realm: 'r', nonce: 'two', qop: 'auth', stale: true });
    expect(digest.toString()).toContain('nc=00000001');
    expect(digest.stale).toBe(true);
  });
});

describe('CredentialCache', () => {
  it('signs REGISTER with the registrar credentials and other requests with the proxy credentials', () => {
    const cache = new CredentialCache();
    const headers: Record<string, string> = {};
    const make = (method: string) => ({
      method,
      ruri: { toString: () => 'sip:x@parley.test' },
      setHeader: (n: string, v: string) => (headers[`${method}:${n}`] = v),
    });
    cache.authorize(make('MESSAGE'));
    expect(headers).toEqual({}); // nothing learnt yet
    const registrar = new Digest('alice', 'secret');
    registrar.authenticate(
      { method: 'REGISTER', ruri: { toString: () => 'sip:parley.test' } },
      { realm: 'parley.test', nonce: 'reg', qop: 'auth' },
    );
    const proxy = new Digest('alice', 'secret');
    proxy.authenticate(
      { method: 'MESSAGE', ruri: { toString: () => 'sip:bob@parley.test' } },
      { realm: 'parley.test', nonce: 'prx', qop: 'auth' },
    );
    cache.remember('authorization', registrar);
    cache.remember('proxy-authorization', proxy);
    cache.authorize(make('REGISTER'));
    cache.authorize(make('MESSAGE'));
    expect(headers['REGISTER:authorization']).toContain('nonce="reg"');
    expect(headers['MESSAGE:proxy-authorization']).toContain('nonce="prx"');
    expect(headers['REGISTER:proxy-authorization']).toBeUndefined();
  });
});
