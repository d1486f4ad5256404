// The built script in clients it does not know (issue 11): it must stop the request, never let it go
// out unsigned. Each case evaluates dist/dfns-signer.js in a fresh V8 context holding only what the
// case's client offers, the way a sandbox evaluates a pre-request script.
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { AFTER_RESPONSE_LINE } from '../support/lab';

const BUNDLE = readFileSync(new URL('../../dist/dfns-signer.js', import.meta.url), 'utf8');
// The last line awaits the signing where the client has top-level await: evaluate as such a client does.
const run = (globals: Record<string, unknown>) =>
  vm.runInNewContext(`(async () => {\n${BUNDLE}\n})()`, { console: { log() {}, error() {} }, ...globals }) as Promise<unknown>;

describe('a client the signer does not know', () => {
  it('with no scripting API at all: the script throws at once, naming the clients it knows', () => {
    expect(() => vm.runInNewContext(BUNDLE.split('\n').slice(0, -1).join('\n'), {})).toThrow(
      /^Dfns signer: this API client is not one the signer knows .*, so the request was stopped\. Use the script in Postman, newman, Bruno, Insomnia, Hoppscotch, httpyac or Apidog/,
    );
  });

  it('with a `pm` that is not Postman’s (no pm.test, no url.variables): refused, not taken for Postman', async () => {
    const pm = {
      sendRequest() {
        throw new Error('must not be called');
      },
      request: { url: { toString: () => 'https://api.dfns.io/wallets' }, headers: { each() {}, upsert() {} }, method: 'POST' },
      variables: { replaceIn: (s: string) => s, get: () => undefined },
    };
    await expect(run({ pm })).rejects.toThrow(/^Dfns signer: this API client is not one the signer knows/);
  });

  it("with only Hoppscotch's legacy `pw`: refused, saying how to turn the sandbox back on", async () => {
    await expect(run({ pw: { env: { get() {} } } })).rejects.toThrow(
      /^Dfns signer: Hoppscotch's legacy scripting sandbox .*Turn the experimental scripting sandbox back on/,
    );
  });

  it('with a Postman-like client whose skip and test both fail: the script itself throws', async () => {
    const pm = {
      sendRequest() {
        throw new Error('must not be called');
      },
      request: {
        url: { variables: { each() {} }, path: ['wallets'], toString: () => 'http://api.dfns.io/wallets', update() {} },
        headers: { each() {}, upsert() {} },
        method: 'POST',
        body: { mode: 'raw', raw: '{}' },
      },
      variables: { replaceIn: (s: string) => s, get: () => undefined },
      test() {
        throw new Error('pm.test is not supported here');
      },
      execution: {
        skipRequest() {
          throw new Error('skipRequest is not supported here');
        },
      },
    };
    // Plain http to api.dfns.io is refused before anything is sent; then recording and skipping fail.
    await expect(run({ pm })).rejects.toThrow(/^Dfns signer: the request URL is plain http:\/\/api\.dfns\.io/);
  });
});

describe('pasted in the tab that runs after the response', () => {
  const mustNotSend = () => {
    throw new Error('must not be called');
  };
  it.each([
    ['Postman, newman, Apidog (Post-response / Tests)', { pm: { info: { eventName: 'test' }, sendRequest: mustNotSend } }],
    ['Bruno (Post Response / Tests)', { bru: { sendRequest: mustNotSend }, req: { setHeader() {} }, res: () => undefined }],
    ['Insomnia (After-response)', { insomnia: { sendRequest: mustNotSend, request: {}, response: { code: 200 } } }],
    [
      'Hoppscotch (Post-request)',
      { hopp: { fetch: mustNotSend, request: {}, response: { statusCode: 200 } }, pw: { env: { resolve: (s: string) => s } } },
    ],
  ])('%s: refused, saying where it belongs', async (_client, globals) => {
    await expect(run(globals)).rejects.toThrow(AFTER_RESPONSE_LINE);
  });
});

describe('loaded by Node’s module loader (httpyac’s require)', () => {
  it('signs nothing by itself, hands out sign(), and sign() without a client refuses', async () => {
    const module = { exports: {} as any, filename: '/p/dfns-signer.cjs' };
    vm.runInNewContext(`(function (module, __filename) {\n${BUNDLE}\n})(module, module.filename)`, { module });
    expect(Object.keys(module.exports)).toEqual(['sign']);
    await expect(module.exports.sign({})).rejects.toThrow(/^Dfns signer: this API client is not one the signer knows/);
  });

  it('a `module` that is not the loader’s (no matching __filename) is a client not known: refused', () => {
    expect(() => vm.runInNewContext(BUNDLE.split('\n').slice(0, -1).join('\n'), { module: { exports: {} } })).toThrow(
      /not one the signer knows/,
    );
  });
});
