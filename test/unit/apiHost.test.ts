// Which requests are Dfns requests (issue 9): the token and the exchange go to Dfns hosts only.
import { describe, expect, it } from 'vitest';
import {
  apiDomainHost,
  DFNS_API_HOSTS,
  isDfnsApi,
  isLoopback,
  notDfnsApi,
  refuseInsecure,
  refuseSchemeAsHost,
} from '../../src/protocol/apiHost';
import { parseUrl, refusePath } from '../../src/request';

const dfns = (url: string, apiDomain?: string) => isDfnsApi(parseUrl(url), apiDomain);

describe('dfnsApiDomain, written every way users write it', () => {
  it.each([
    ['api.dfns.io', 'https://api.dfns.io/wallets'],
    ['https://api.dfns.io', 'https://api.dfns.io/wallets'],
    ['https://api.dfns.io/', 'https://api.dfns.io/wallets'],
    ['  https://api.dfns.io/  ', 'https://api.dfns.io/wallets'],
    ['API.DFNS.IO', 'https://api.dfns.io/wallets'],
    ['api.dfns.io.', 'https://api.dfns.io/wallets'],
    ['api.dfns.io', 'https://API.Dfns.IO./wallets'],
    ['api.dfns.io', 'https://api.dfns.io:443/wallets'],
    ['https://api.dfns.io:443', 'https://api.dfns.io/wallets'],
    ['127.0.0.1:8080', 'http://127.0.0.1:8080/wallets'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/wallets'],
    ['localhost:3000', 'http://localhost:3000/wallets'],
    ['localhost:3000', 'localhost:3000/wallets'],
    ['[::1]:8080', 'http://[::1]:8080/wallets'],
    ['proxy.example.com', 'https://proxy.example.com/wallets'],
    ['https://user@api.dfns.io', 'https://api.dfns.io/wallets'],
  ])('%s names the host of %s', (apiDomain, url) => {
    expect(dfns(url, apiDomain)).toBe(true);
  });

  it.each([
    ['127.0.0.1:8080', 'http://127.0.0.1:8081/wallets', 'another port'],
    ['127.0.0.1:8080', 'http://127.0.0.1/wallets', 'no port'],
    ['localhost:3000', 'http://127.0.0.1:3000/wallets', 'another name for the same machine'],
    ['api.dfns.io', 'https://api.dfns.io:8443/wallets', 'a port that is not the default'],
    ['api.dfns.io', 'https://api.dfns.io.evil.example/wallets', 'a look-alike with a suffix'],
    ['api.dfns.io', 'https://evil-api.dfns.io.example/wallets', 'a look-alike with a prefix'],
    ['api.dfns.io', 'https://xapi.dfns.io/wallets', 'a longer name'],
    ['api.dfns.io', 'https://dfns.io/wallets', 'the parent domain'],
    ['api.dfns.io', 'https://api.dfns.io@evil.example/wallets', 'user info that looks like the host'],
    ['api.uae.dfns.io', 'https://api.dfns.io/wallets', 'another Dfns region than the one named'],
    ['https://', 'https://api.dfns.io/wallets', 'a value without a host'],
  ])('%s does not name %s (%s)', (apiDomain, url) => {
    expect(dfns(url, apiDomain)).toBe(false);
  });
});

describe('without dfnsApiDomain', () => {
  it("Dfns's own hosts, and only them", () => {
    for (const host of DFNS_API_HOSTS) expect(dfns(`https://${host}/wallets`)).toBe(true);
    expect(DFNS_API_HOSTS).toEqual(['api.dfns.io', 'api.uae.dfns.io', 'api.dfns.ninja', 'api.dfns.wtf']);
    expect(dfns('https://API.UAE.DFNS.IO./wallets')).toBe(true);
    for (const url of [
      'http://127.0.0.1:8080/wallets',
      'http://localhost/wallets',
      'https://api.dfns.io.evil.example/x',
      'https://evil-api.dfns.io.example/x',
      'https://api.dfns.io:8443/x',
      'https://app.dfns.io/x',
      'https://proxy.example.com/wallets',
    ])
      expect(dfns(url)).toBe(false);
  });
});

describe('apiDomainHost', () => {
  it('drops scheme, path, case, final dot and default ports', () => {
    expect(apiDomainHost('HTTPS://API.Dfns.io./v1')).toBe('api.dfns.io');
    expect(apiDomainHost('http://localhost:80')).toBe('localhost');
    expect(apiDomainHost('https://localhost:80')).toBe('localhost:80');
    expect(apiDomainHost('localhost:443')).toBe('localhost');
    expect(apiDomainHost('127.0.0.1:8080')).toBe('127.0.0.1:8080');
  });
});

describe('plain http', () => {
  it('only to this machine: localhost, 127.0.0.0/8 and ::1', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]']) expect(isLoopback(host)).toBe(true);
    for (const host of ['localhost.example.com', '128.0.0.1', '10.0.0.1', '0.0.0.0', 'api.dfns.io', '127.0.0.1.nip.io', '[::2]'])
      expect(isLoopback(host)).toBe(false);
    expect(() => refuseInsecure(parseUrl('http://LOCALHOST:3000/x'))).not.toThrow();
    expect(() => refuseInsecure(parseUrl('https://api.dfns.io/x'))).not.toThrow();
    expect(() => refuseInsecure(parseUrl('http://proxy.internal:8080/x'))).toThrow(expect.objectContaining({ code: 'url-insecure' }));
    expect(() => refuseInsecure(parseUrl('proxy.internal/x'))).toThrow(
      /plain http:\/\/proxy\.internal, which would send authToken unencrypted/,
    );
  });
});

describe('the line for a state-changing request to another host', () => {
  it('names the host and the rule, so an unrecognised proxy is found at once', () => {
    expect(notDfnsApi('POST', parseUrl('https://hooks.example.com:8443/x'), ' api.dfns.io ')).toBe(
      'Dfns signer: POST not signed: hooks.example.com:8443 is not a Dfns API host (dfnsApiDomain is api.dfns.io)',
    );
    expect(notDfnsApi('POST', parseUrl('http://{{explorer}}/hooks'), 'api.dfns.io', true)).toBe(
      'Dfns signer: POST not signed: {{explorer}} is not resolved yet, so not known to be a Dfns API host (dfnsApiDomain is api.dfns.io)',
    );
    expect(notDfnsApi('DELETE', parseUrl('https://proxy.example.com/x'), undefined)).toBe(
      "Dfns signer: DELETE not signed: proxy.example.com is not a Dfns API host (dfnsApiDomain is not set; Dfns's own are api.dfns.io, api.uae.dfns.io, api.dfns.ninja, api.dfns.wtf)",
    );
  });
});

describe('paths clients send differently', () => {
  it('refuses . and .. segments and backslashes, in any spelling; other dots are fine', () => {
    for (const url of [
      'https://h/wallets/../keys',
      'https://h/wallets/./x',
      'https://h/a/..',
      'https://h/a/%2e%2E/b',
      'https://h/a/%2E/b',
      'https://h/a\\b',
    ])
      expect(() => refusePath(parseUrl(url)), url).toThrow(expect.objectContaining({ code: 'url-dot-segments' }));
    for (const url of ['https://h/wallets/wa-1.2/x', 'https://h/a/...', 'https://h/a/.well-known', 'https://h/a./b', 'https://h/'])
      expect(() => refusePath(parseUrl(url)), url).not.toThrow();
  });
  it('refuses a % that starts no escape (httpyac cannot send it); escapes are fine', () => {
    for (const url of ['https://h/wallets/a%b/tags', 'https://h/wallets/a%', 'https://h/wallets/%zz', 'https://h/wallets/a%2'])
      expect(() => refusePath(parseUrl(url)), url).toThrow(
        expect.objectContaining({ code: 'url-malformed', message: expect.stringContaining('holds a % not followed by two hex digits') }),
      );
    for (const url of ['https://h/wallets/a%20b', 'https://h/wallets/%C3%BC', 'https://h/wallets/x?q=100%'])
      expect(() => refusePath(parseUrl(url)), url).not.toThrow();
  });
});

describe('dfnsApiDomain written with its scheme', () => {
  it('refuses a request whose host is then the scheme word, GETs included; leaves the rest alone', () => {
    for (const [url, domain] of [
      ['https://https://api.dfns.io/wallets', 'https://api.dfns.io'],
      ['https://https:/wallets', ' https://api.dfns.io/ '],
      ['http://http://127.0.0.1:8080/wallets', 'http://127.0.0.1:8080'],
    ])
      expect(() => refuseSchemeAsHost(parseUrl(url), domain), url).toThrow(
        expect.objectContaining({
          code: 'url-no-host',
          message: expect.stringMatching(
            /^Dfns signer: dfnsApiDomain is https?:\/\/\S+, with its scheme, so the request would go to a host named https?\. Set dfnsApiDomain to the host only, e\.g\. api\.dfns\.io$/,
          ),
        }),
      );
    for (const [url, domain] of [
      ['https://api.dfns.io/wallets', 'https://api.dfns.io'],
      ['https://https/wallets', undefined],
      ['https://https/wallets', 'api.dfns.io'],
    ] as [string, string | undefined][])
      expect(() => refuseSchemeAsHost(parseUrl(url), domain), url).not.toThrow();
  });
});
