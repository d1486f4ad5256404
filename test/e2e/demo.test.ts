// `npm run demo` as a new user runs it, against the local Dfns emulator. (The generated Bruno collection and
// every other client's: test/e2e/readme.test.ts, the README's commands.)
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const DEMO = join(ROOT, 'scripts', 'demo.mjs');

function node(args: string[], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, encoding: 'utf8', timeout: 120_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** The table rows the demo prints: [#, METHOD, PATH, STATUS, USER ACTION, SIGNED]. */
function tableRows(stdout: string) {
  const start = stdout.indexOf('What the Dfns emulator received:');
  expect(start, stdout).toBeGreaterThan(0);
  return stdout
    .slice(start)
    .split('\n')
    .filter((l) => /^\s+\d+\s+(GET|POST|PUT|DELETE)\s/.test(l))
    .map((l) => l.trim().split(/\s{2,}/));
}

describe('npm run demo', { timeout: 180_000 }, () => {
  it('runs a GET and a signed POST, PUT and DELETE from the generated collection through newman, and exits 0', async () => {
    const r = await node([DEMO]);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    // newman's own output
    expect(r.stdout).toContain('→ List Wallets');
    expect(r.stdout).toContain('→ Create Wallet');
    expect(r.stdout).toMatch(/│\s+assertions\s+│\s+4\s+│\s+0\s+│/);
    // the table of what the emulator received and what was signed
    expect(tableRows(r.stdout)).toEqual([
      ['1', 'GET', '/wallets', '200', 'no (not needed)', '-'],
      ['2', 'POST', '/wallets', '200', 'yes', '{"network":"EthereumSepolia","name":"my wallet"}'],
      ['3', 'PUT', '/wallets/wa-demo-0001', '200', 'yes', '{"name":"my renamed wallet"}'],
      ['4', 'DELETE', '/webhooks/wh-demo-0001', '200', 'yes', '"" (no body)'],
    ]);
    expect(r.stdout).toContain('3 user action(s) verified and consumed');
    expect(r.stdout).toContain('OK: 4 requests answered 2xx, 3 signed with a user action.');
    // and the one command for the real API
    expect(r.stdout).toContain('npx newman run collections/dfns-api.postman_collection.json -e my.postman_environment.json');
    expect(r.stdout).toContain('--env-var "authToken=$DFNS_TOKEN" --env-var "credentialPrivateKey=$(cat prime256v1.pem)"');
    expect(r.stdout).not.toContain('warning:');
  });

  it('exits non-zero and shows what is missing when the collection does not sign', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dfns-demo-test-'));
    const collection = JSON.parse(readFileSync(join(ROOT, 'collections', 'dfns-api.postman_collection.json'), 'utf8'));
    delete collection.event;
    writeFileSync(join(dir, 'unsigned.json'), JSON.stringify(collection));
    const r = await node([DEMO, '--collection', join(dir, 'unsigned.json')]);
    expect(r.code).not.toBe(0);
    const rows = tableRows(r.stdout);
    expect(rows.map((row) => row[4])).toEqual(['no (not needed)', 'MISSING', 'MISSING', 'MISSING']);
    expect(r.stdout).toContain('FAILED');
    expect(r.stdout).toContain('POST /wallets was sent without X-DFNS-USERACTION');
  });

  it('documents the real-API command in --help', async () => {
    const r = await node([DEMO, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('npx newman run collections/dfns-api.postman_collection.json');
    expect(r.stdout).toContain('api.uae.dfns.io');
  });
});
