// "Check my setup" (scripts/collections/login.mjs): its test script, run as Postman runs it (a `pm` in
// memory), says who the token is and what keeps a signed request from working, one problem per cause,
// and never shows the token.
import { describe, expect, it } from 'vitest';
import { postmanCheckScript } from '../../scripts/collections/login.mjs';

const NOW = Date.UTC(2026, 11, 1);
const jwt = (claims: object) => `eyJhbGciOiJFZERTQSJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
const TOKEN = jwt({
  exp: NOW / 1000 + 600,
  'https://custom/username': 'alïce@example.com',
  'https://custom/app_metadata': { userId: 'us-1', orgId: 'or-1', tokenKind: 'Token' },
});
class FixedDate extends Date {
  static now = () => NOW;
}
const key = (credentialId: string, isActive = true, kind = 'Key') => ({ credentialId, name: `name of ${credentialId}`, kind, isActive });

function check(status: number, items: object[] | string, variables: Record<string, string> = { authToken: TOKEN }) {
  const tests: { name: string; passed: boolean }[] = [];
  const pm = {
    response: { code: status, text: () => (typeof items === 'string' ? items : JSON.stringify({ items })) },
    variables: { get: (name: string) => variables[name] },
    test(name: string, fn: () => void) {
      try {
        fn();
        tests.push({ name, passed: true });
      } catch {
        tests.push({ name, passed: false });
      }
    },
  };
  new Function('pm', 'Date', postmanCheckScript())(pm, FixedDate);
  return tests;
}

describe('Check my setup', () => {
  it('a setup that works: who the token is, that Dfns accepts it, the credentials; one passing verdict', () => {
    expect(check(200, [key('cr-1'), key('cr-old', false), key('pk-1', true, 'Fido2')])).toEqual([
      { name: 'Dfns setup: token: alïce@example.com, user us-1, org or-1, kind Token, expires in 10 min', passed: true },
      { name: 'Dfns setup: Dfns answers and accepts the token', passed: true },
      { name: 'Dfns setup: credential cr-1 (name of cr-1): Key, active', passed: true },
      { name: 'Dfns setup: credential cr-old (name of cr-old): Key, inactive', passed: true },
      { name: 'Dfns setup: credential pk-1 (name of pk-1): Fido2, active', passed: true },
      { name: 'Dfns setup: a signed request would work (npx dfns-signer doctor checks the key too)', passed: true },
    ]);
  });

  const verdict = (tests: { name: string; passed: boolean }[]) => tests.filter((t) => !t.passed).map((t) => t.name);
  it.each([
    ['no token', 401, [], {}, /^Dfns setup: authToken is not set or is not a Dfns token: .*; Dfns answered 401: the token is missing/],
    [
      'an expired token',
      401,
      [],
      { authToken: jwt({ exp: NOW / 1000 - 60 }) },
      /^Dfns setup: authToken expired: create a new token, or set dfnsUsername .*; Dfns answered 401/,
    ],
    ['another region', 401, [], undefined, /^Dfns setup: Dfns answered 401: .* or for another region: check authToken and dfnsApiDomain$/],
    ['something else answers', 404, '<html>', undefined, /^Dfns setup: Dfns answered 404: check dfnsApiDomain/],
    ['only an inactive Key credential', 200, [key('cr-1', false)], undefined, /the token has no active Key credential, so it cannot sign/],
    ['several active Key credentials', 200, [key('cr-1'), key('cr-2')], undefined, /several active Key credentials: set credentialId/],
    [
      'credentialId names none of them',
      200,
      [key('cr-1')],
      { authToken: TOKEN, credentialId: 'cr-9' },
      /^Dfns setup: credentialId cr-9 is not an active Key credential of this token/,
    ],
  ] as const)('%s: one failing verdict that names the cause and the fix', (_name, status, items, variables, message) => {
    const tests = check(status, items as any, variables as any);
    expect(verdict(tests)).toEqual([expect.stringMatching(message)]);
    expect(JSON.stringify(tests)).not.toContain(TOKEN.split('.')[1]);
  });

  it('credentialId that names an active Key credential among several: works', () => {
    expect(verdict(check(200, [key('cr-1'), key('cr-2')], { authToken: TOKEN, credentialId: 'cr-2' }))).toEqual([]);
  });
});
