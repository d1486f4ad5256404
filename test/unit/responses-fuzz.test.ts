// Whatever comes back from the exchange (valid, truncated, mutated or random), the protocol code
// either reads it or refuses it with a SignerError: no other exception, no hang.
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../src/encoding';
import { SignerError } from '../../src/errors';
import { refusal } from '../../src/errors/dfns';
import { pickCredential, readChallenge, readUserAction } from '../../src/protocol/userAction';

const CHALLENGE = JSON.stringify({
  challenge: 'MWM0MmY5YTQ0MDRiNzdhNTFh',
  challengeIdentifier: 'eyJ0e.x.fQNA',
  rp: { id: 'dfns.io', name: 'Dfns' },
  supportedCredentialKinds: [{ kind: 'Key', factor: 'first', requiresSecondFactor: false }],
  allowCredentials: { key: [{ type: 'public-key', id: 'cr-1' }], webauthn: [], passwordProtectedKey: [] },
});
const COMPLETE = JSON.stringify({ userAction: 'eyJ0eX.bzrQakA' });
const ERROR = JSON.stringify({ error: { id: '2038837570328299032', status: 404, message: 'wallet not found', details: {} } });

let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];

function mutate(text: string): string {
  const chars = text.split('');
  for (let n = 1 + Math.floor(random() * 4); n > 0; n--) {
    const at = Math.floor(random() * (chars.length + 1));
    const op = pick(['flip', 'delete', 'insert', 'truncate']);
    if (op === 'flip') chars[at] = String.fromCharCode(Math.floor(random() * 128));
    else if (op === 'delete') chars.splice(at, 1);
    else if (op === 'insert') chars.splice(at, 0, pick(['"', '{', '}', '[', ']', ',', ':', 'null', '0', '\\', '\u0000', '😀']));
    else chars.length = at;
  }
  return chars.join('');
}

function randomText(): string {
  return Array.from({ length: Math.floor(random() * 200) }, () => String.fromCharCode(Math.floor(random() * 0x3000))).join('');
}

const onlySignerErrors = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SignerError);
    expect((e as Error).message).not.toContain('\n');
  }
};

describe('response handling under fuzz', () => {
  it('reads or refuses 5,000 mutated and random answers with a SignerError only', () => {
    const shapes = [CHALLENGE, COMPLETE, ERROR, '[]', 'null', '"x"', '{"allowCredentials":{"key":"cr-1"}}', ''];
    for (let i = 0; i < 5000; i++) {
      const text = i % 5 === 0 ? randomText() : mutate(pick(shapes));
      const json = parseJson(text);
      const status = pick([200, 400, 401, 403, 404, 429, 500, 502, 503, 0]);
      onlySignerErrors(() => pickCredential(readChallenge(json), pick([undefined, 'cr-1', 'cr-2'])));
      onlySignerErrors(() => readUserAction(json));
      const refused = refusal(pick(['POST /auth/action/init', 'POST /auth/action'] as const), status, text);
      expect(refused).toBeInstanceOf(SignerError);
      expect(refused.message.length).toBeLessThan(800);
      expect(refused.message).not.toMatch(/[\n\r]/);
    }
  });

  it('quotes at most 300 characters of a Dfns message, and never a non-Dfns body', () => {
    const long = refusal('POST /auth/action/init', 400, JSON.stringify({ error: { message: 'x'.repeat(5000) } }));
    expect(long.message).toContain(`"${'x'.repeat(300)}"`);
    expect(long.message).not.toContain('x'.repeat(301));
    expect(refusal('POST /auth/action', 502, '<html>secret-ish proxy page</html>').message).not.toContain('proxy page');
  });
});
