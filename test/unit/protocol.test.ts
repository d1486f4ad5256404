import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { base64Decode, base64urlEncode, utf8Decode, utf8Encode } from '../../src/encoding';
import { SignerError } from '../../src/errors';
import { refusal } from '../../src/errors/dfns';
import { needsUserAction } from '../../src/protocol/endpoints';
import { readToken, secondsLeft } from '../../src/protocol/token';
import {
  assertion,
  challengeRequest,
  clientData,
  completeRequest,
  pickCredential,
  readChallenge,
  readUserAction,
} from '../../src/protocol/userAction';
import { parseUrl } from '../../src/request';

const catalogue: { method: string; path: string; userAction: boolean }[] = JSON.parse(
  readFileSync(new URL('../../collections/dfns-endpoints.json', import.meta.url), 'utf8'),
);

const jwt = (payload: object) =>
  ['eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9', base64urlEncode(utf8Encode(JSON.stringify(payload))), 'c2ln'].join('.');

describe('research test vectors', () => {
  it('clientData for challenge dGVzdC1jaGFsbGVuZ2U encodes as the research shows', () => {
    const data = clientData('dGVzdC1jaGFsbGVuZ2U');
    expect(data).toBe('{"type":"key.get","challenge":"dGVzdC1jaGFsbGVuZ2U"}');
    expect(base64urlEncode(utf8Encode(data))).toBe('eyJ0eXBlIjoia2V5LmdldCIsImNoYWxsZW5nZSI6ImRHVnpkQzFqYUdGc2JHVnVaMlUifQ');
  });

  it('challengeRequest matches the documented init body', () => {
    expect(challengeRequest({ method: 'POST', path: '/auth/pats', payload: '{"name":"My PAT"}' })).toEqual({
      userActionServerKind: 'Api',
      userActionHttpMethod: 'POST',
      userActionHttpPath: '/auth/pats',
      userActionPayload: '{"name":"My PAT"}',
    });
  });

  it('completeRequest carries a Key assertion with base64url clientData and signature', () => {
    const a = assertion('cr-1', utf8Encode('{"a":1}'), Uint8Array.from([251, 255, 0]));
    expect(completeRequest('eyJ0e.fQNA', a)).toEqual({
      challengeIdentifier: 'eyJ0e.fQNA',
      firstFactor: { kind: 'Key', credentialAssertion: { credId: 'cr-1', clientData: 'eyJhIjoxfQ', signature: '-_8A' } },
    });
  });
});

describe('which requests need a user action', () => {
  it('agrees with the catalogue on every endpoint', () => {
    for (const e of catalogue) {
      const path = e.path.replace(/\{[^}]+\}/g, 'x-123');
      expect(needsUserAction(e.method, path), `${e.method} ${e.path}`).toBe(e.userAction);
    }
  });

  it('signs unknown state-changing endpoints and never GETs', () => {
    expect(needsUserAction('POST', '/something/new')).toBe(true);
    expect(needsUserAction('PATCH', '/wallets/wa-1')).toBe(true);
    expect(needsUserAction('GET', '/wallets')).toBe(false);
    expect(needsUserAction('HEAD', '/wallets')).toBe(false);
    expect(needsUserAction('POST', '/auth/login/init/')).toBe(false);
    expect(needsUserAction('POST', '/networks//call-function')).toBe(true);
  });
});

describe('credential choice', () => {
  const challenge = (key: string[], webauthn: string[] = []) =>
    readChallenge({
      challenge: 'c',
      challengeIdentifier: 'ci',
      allowCredentials: { key: key.map((id) => ({ type: 'public-key', id })), webauthn: webauthn.map((id) => ({ id })) },
    });

  it('takes the only Key credential, or the one named', () => {
    expect(pickCredential(challenge(['cr-1']), undefined)).toBe('cr-1');
    expect(pickCredential(challenge(['cr-1', 'cr-2']), 'cr-2')).toBe('cr-2');
  });

  it('refuses several without credentialId, listing them', () => {
    expect(() => pickCredential(challenge(['cr-1', 'cr-2']), undefined)).toThrow(/several Key credentials.*cr-1, cr-2.*credentialId/);
  });

  it('refuses an unknown credentialId, listing the offered ones', () => {
    expect(() => pickCredential(challenge(['cr-1']), 'cr-9')).toThrow(/credentialId "cr-9" is not among.*\(cr-1\)/);
  });

  it('refuses when only passkeys are offered', () => {
    expect(() => pickCredential(challenge([], ['wa-1']), undefined)).toThrow(/no Key credential.*passkey/);
  });

  it('refuses a challenge without its fields, and a completion without a token', () => {
    expect(() => readChallenge({ challengeIdentifier: 'x' })).toThrow(SignerError);
    expect(() => readChallenge(null)).toThrow(/without a challenge/);
    expect(() => readUserAction({})).toThrow(/without a userAction/);
    expect(readUserAction({ userAction: 'ua' })).toBe('ua');
  });
});

describe('authToken', () => {
  const exp = 2_000_000_000;
  it('reads a JWT as pasted: spaces, quotes, Bearer prefix', () => {
    const t = jwt({ exp });
    expect(readToken(`  "${t}"\n`).value).toBe(t);
    expect(readToken(`Bearer ${t}`).value).toBe(t);
    expect(readToken(t).exp).toBe(exp);
  });

  it.each([
    [undefined, /authToken is not set/],
    ['   ', /authToken is not set/],
    ['abc', /not a JWT \(1 dot-separated/],
    ['a.b.c!', /outside base64url/],
    ['eyJ.bm90IGpzb24.c2ln', /payload is not base64url JSON/],
    [jwt({ sub: 'x' }), /no expiry/],
  ])('refuses %s', (raw, message) => {
    expect(() => readToken(raw)).toThrow(message);
  });

  it('refuses an expired token saying when it expired, and never quotes the token', () => {
    const t = jwt({ exp: 1_700_000_000 });
    let message = '';
    try {
      secondsLeft(readToken(t), 1_800_000_000_000);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('authToken expired at 2023-11-14T22:13:20.000Z');
    expect(message).not.toContain(t.split('.')[1]);
    expect(secondsLeft(readToken(t), 1_699_999_990_000)).toBe(10);
  });
});

describe('request URL', () => {
  it('splits origin and path, dropping user info, query and fragment', () => {
    const url = parseUrl('https://me@API.Dfns.io.:443/wallets/wa-1/transfers?x=1#f');
    expect(url).toMatchObject({
      scheme: 'https',
      hostname: 'api.dfns.io',
      port: '',
      origin: 'https://api.dfns.io',
      path: '/wallets/wa-1/transfers',
    });
    expect(parseUrl('http://127.0.0.1:8080')).toMatchObject({ origin: 'http://127.0.0.1:8080', port: '8080', path: '/' });
    expect(parseUrl('api.dfns.io/wallets')).toMatchObject({ scheme: 'http', origin: 'http://api.dfns.io', path: '/wallets' });
    expect(parseUrl('http://[::1]:3000/x')).toMatchObject({ hostname: '[::1]', port: '3000' });
  });

  it('percent-encodes the path as the clients send it', () => {
    expect(parseUrl('https://h/a b/é/%20/{x}').path).toBe('/a%20b/%C3%A9/%20/%7Bx%7D');
  });

  it('refuses a URL without a host', () => {
    expect(() => parseUrl('https:///wallets')).toThrow(expect.objectContaining({ code: 'url-no-host' }));
  });
});

describe('refusals quote Dfns', () => {
  it('quotes status and message, and gives the fix', () => {
    const e = refusal('POST /auth/action/init', 401, '{"error":{"id":"1","status":401,"message":"Not Authorized.","details":{}}}');
    expect(e.message).toBe(
      'Dfns signer: Dfns refused POST /auth/action/init with 401: "Not Authorized.". Check that authToken is a valid, unrevoked Dfns token for this API domain (region), and paste it again',
    );
    expect(refusal('POST /auth/action', 502, '<html>').message).toContain('502 with a body that is not a Dfns JSON error');
    // A deactivated credential and the key of another credential both end in a 401 at the completion: both named.
    for (const said of ['Signature verification failed.', 'User does not have a credential that can be used for the application.'])
      expect(refusal('POST /auth/action', 401, JSON.stringify({ error: { message: said } }), 'cr-1').message).toBe(
        `Dfns signer: Dfns refused POST /auth/action with 401: "${said}" (a deactivated credential, or the key of another credential than the token's). Check that credential cr-1 is active (Dfns dashboard) and that credentialPrivateKey is its private key`,
      );
  });
});

describe('encoding', () => {
  it('matches Buffer for UTF-8 and base64url', () => {
    const samples = ['', 'a', 'ab', 'abc', 'héllo €', '😀 x', '\u0000\u007f\u0080\u07ff\u0800\uffff', 'lone \ud800 surrogate'];
    for (const s of samples) {
      const bytes = utf8Encode(s);
      expect(Buffer.from(bytes).toString('hex')).toBe(Buffer.from(s, 'utf8').toString('hex'));
      expect(base64urlEncode(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      expect(Buffer.from(base64Decode(base64urlEncode(bytes))!).toString('hex')).toBe(Buffer.from(bytes).toString('hex'));
      const text = utf8Decode(bytes); // never throws; equals Node's decoding whenever the bytes are valid UTF-8
      if (Buffer.from(Buffer.from(bytes).toString('utf8'), 'utf8').equals(Buffer.from(bytes)))
        expect(text).toBe(Buffer.from(bytes).toString('utf8'));
    }
    // Random bytes from a seeded PRNG (mulberry32, as in keys.test.ts), so a failure can be replayed.
    const SEED = 0x0f8a1c3d;
    let state = SEED;
    const rand = (): number => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    let valid = 0;
    for (let i = 0; i < 3000; i++) {
      const bytes = Uint8Array.from({ length: 1 + (i % 9) }, () => Math.floor(rand() * 256));
      const text = utf8Decode(bytes); // never throws; equals Node's decoding whenever the bytes are valid UTF-8
      if (Buffer.from(Buffer.from(bytes).toString('utf8'), 'utf8').equals(Buffer.from(bytes))) {
        valid++;
        expect(text, `seed ${SEED}, case ${i}: ${Buffer.from(bytes).toString('hex')}`).toBe(Buffer.from(bytes).toString('utf8'));
      }
    }
    expect(valid).toBeGreaterThan(100); // the comparison above ran, not only the never-throws half
    expect(base64Decode('a+b/')).toEqual(Uint8Array.from(Buffer.from('a+b/', 'base64')));
    expect(base64Decode('a*b')).toBeUndefined();
  });
});
