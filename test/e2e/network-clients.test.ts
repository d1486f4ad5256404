// The network's faults (issue 18) in Bruno (both sandboxes), Hoppscotch (`hopp test`) and httpyac: one
// batched run each (test/support/network.ts). Bruno (axios maxRedirects 0 and timeout) and httpyac
// (fetch redirect: 'manual', AbortSignal.timeout) follow no redirect and stop the hung call at the limit;
// `hopp test` follows redirects whatever the script asks and waits for a hung fetch forever, which the
// signer cannot change: pinned below, and said in the README.
import { describe, expect, it } from 'vitest';
import { runBru, SANDBOXES, writeCollection } from '../support/bruno';
import { collection as hoppCollection, environment as hoppEnvironment, runHopp } from '../support/hoppscotch';
import { BUNDLE, runHttpyac, writeHttpyacDir } from '../support/httpyac';
import { useLab } from '../support/lab';
import {
  ALL_CASES,
  expectNoExchangeElsewhere,
  expectSignedAsPlanned,
  LIMIT_SECONDS,
  mainRedirect,
  type NetworkCase,
  networkRequests,
  REFUSED,
  RETRY_LINES,
  setNetworkFaults,
} from '../support/network';

const lab = useLab();
const vars = () => lab.vars({ dfnsTimeoutSeconds: String(LIMIT_SECONDS) });

describe.each(SANDBOXES)('Bruno (bru run, %s sandbox)', (sandbox) => {
  it('no redirect followed, nothing elsewhere, retries with one line each, the hang stopped at the limit; the run goes on', async () => {
    setNetworkFaults(lab.emu, lab.other.host);
    const requests = networkRequests().map((r) => ({
      name: r.name,
      method: r.method,
      url: `http://{{dfnsApiDomain}}${r.path}`,
      json: r.body,
    }));
    const run = await runBru(writeCollection(requests, vars()), sandbox);
    expect(run.code).toBe(1);
    expect(run.results.map((r) => [r.name.replace(/^\d+-/, ''), r.status, r.error])).toEqual([
      ['redirected', 'error', expect.stringMatching(REFUSED.redirected as RegExp)],
      ['throttled', 'pass', undefined],
      ['busy', 'pass', undefined],
      ['main-redirected', 'pass', undefined],
      ['hang', 'error', expect.stringMatching(REFUSED.hang as RegExp)],
      ['too-long', 'error', expect.stringMatching(REFUSED['too-long'] as RegExp)],
    ]);
    expect(run.stdout.split('\n').filter((l) => l.includes('retrying'))).toEqual(RETRY_LINES);
    expectSignedAsPlanned(lab.emu);
    expectNoExchangeElsewhere(lab.other.received, lab.token);
    // Bruno follows the main request's redirect with everything, the token included (another port only).
    expect(mainRedirect(lab.other.received)).toEqual({
      followed: true,
      method: 'POST',
      authorization: true,
      userAction: true,
      body: '{"name":"main-redirected"}',
    });
  });
});

describe('Hoppscotch (hopp test)', () => {
  const run = (cases: NetworkCase[], killAfter?: { match: RegExp; graceMs: number }) => {
    setNetworkFaults(lab.emu, lab.other.host, cases);
    const requests = networkRequests(cases).map((r) => ({
      name: r.name,
      method: r.method,
      url: `http://<<dfnsApiDomain>>${r.path}`,
      json: r.body,
    }));
    return runHopp(hoppCollection(requests), hoppEnvironment(vars()), { killAfter });
  };

  it("retries with one line each and signs; it follows redirects, so the init's body (not the token) reaches the other host", async () => {
    const cases = ALL_CASES.filter((c) => c !== 'hang');
    const r = await run(cases);
    expect(r.code).toBe(1);
    expect(r.results.map((x) => [x.name, x.sent?.status])).toEqual([
      ['redirected', 'ERROR'],
      ['throttled', 200],
      ['busy', 200],
      ['main-redirected', 200],
      ['too-long', 'ERROR'],
    ]);
    // A stopped request's URL is the line (the CLI sends nothing to it).
    expect(r.results.filter((x) => x.sent?.status === 'ERROR').map((x) => x.sent?.url)).toEqual([
      expect.stringMatching(/^Dfns signer: POST \/auth\/action\/init answered without a challenge/),
      expect.stringMatching(REFUSED['too-long'] as RegExp),
    ]);
    expect(r.results.flatMap((x) => x.console).filter((l) => l.includes('retrying'))).toEqual(RETRY_LINES);
    expectSignedAsPlanned(lab.emu, cases);
    // Followed by the CLI (axios): the token is dropped for another host or port, the body and the user action are not.
    const init = lab.other.received.find((x) => x.url === '/auth/action/init');
    expect(init && { token: init.headers.authorization !== undefined, signs: JSON.parse(init.body).userActionHttpPath }).toEqual({
      token: false,
      signs: '/wallets',
    });
    expect(mainRedirect(lab.other.received)).toEqual({
      followed: true,
      method: 'POST',
      authorization: false,
      userAction: true,
      body: '{"name":"main-redirected"}',
    });
  });

  it('a Dfns that never answers: the line at the limit and the request stopped, but `hopp test` waits for the hung fetch and never ends', async () => {
    // Killed 3 s after the line, still running then, with nothing more to do than wait for the hung fetch.
    const r = await run(['hang'], { match: REFUSED.hang as RegExp, graceMs: 3000 });
    expect(r.signal).toBe('SIGKILL');
    expect(r.results.map((x) => [x.name, x.sent])).toEqual([['hang', undefined]]);
    expect(r.stderr.split('\n')).toContainEqual(expect.stringMatching(REFUSED.hang as RegExp));
    expectSignedAsPlanned(lab.emu, ['hang']);
  });
});

describe('httpyac (httpyac send)', () => {
  it('no redirect followed, nothing elsewhere, retries with one line each, the hang stopped at the limit; the run goes on', async () => {
    setNetworkFaults(lab.emu, lab.other.host);
    const file =
      "{{+request\n  await require('./dfns-signer.cjs').sign({ request, $context })\n}}\n" +
      networkRequests()
        .map(
          (r) => `\n###\n# @name ${r.name}\n${r.method} http://{{dfnsApiDomain}}${r.path}\nContent-Type: application/json\n\n${r.body}\n`,
        )
        .join('');
    const r = await runHttpyac(writeHttpyacDir({ 'requests.http': file, 'dfns-signer.cjs': BUNDLE }), { vars: vars(), json: false });
    expect(r.code).toBe(10);
    // The text output prints a refused request's line after ✖ (some twice, with the error's name and place after it).
    const refused = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('✖ Dfns signer:'))
      .map((l) => l.slice(2).replace(/ \(SignerError: .*$/, ''));
    expect([...new Set(refused)]).toEqual([
      expect.stringMatching(REFUSED.redirected as RegExp),
      expect.stringMatching(REFUSED.hang as RegExp),
      expect.stringMatching(REFUSED['too-long'] as RegExp),
    ]);
    expect(r.stdout.split('\n').filter((l) => l.includes('retrying'))).toEqual(RETRY_LINES);
    expectSignedAsPlanned(lab.emu);
    expectNoExchangeElsewhere(lab.other.received, lab.token);
    // httpyac (got) follows the main request's redirect, dropping the token for another host or port.
    expect(mainRedirect(lab.other.received)).toEqual({
      followed: true,
      method: 'POST',
      authorization: false,
      userAction: true,
      body: '{"name":"main-redirected"}',
    });
  });
});
