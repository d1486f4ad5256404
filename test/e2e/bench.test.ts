// `npm run bench` still works: a smoke run with tiny N (timings are not asserted: machines are noisy).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'dfns-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function smoke(...more: string[]): Promise<{ code: number | null; stdout: string; stderr: string; json: any }> {
  const file = join(dir, `results${more.join('-')}.json`);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'bench', 'run.mjs'), '--smoke', '--quiet', '--json', file, ...more],
      { cwd: root, maxBuffer: 64 << 20, timeout: 420_000 },
      (err, stdout, stderr) => {
        let json: any;
        try {
          json = JSON.parse(readFileSync(file, 'utf8'));
        } catch {}
        resolve({ code: err ? ((err as any).code ?? 1) : 0, stdout, stderr, json });
      },
    );
  });
}

const isNum = (x: unknown) => typeof x === 'number' && Number.isFinite(x);

describe('bench/run.mjs --smoke', () => {
  // The two runs together make every phase once: the floor ratios alone, and everything else.
  it('runs every variant and algorithm, and writes the results as JSON', { timeout: 450_000 }, async () => {
    const { code, stdout, stderr, json } = await smoke('--skip-ratios');
    expect(code, stderr).toBe(0);
    expect(json).toBeDefined();
    expect(json.completed).toBe(true);
    expect(json.options).toMatchObject({ smoke: true, n: 3, rounds: 1 });

    expect(json.machine.cpu).toEqual(expect.any(String));
    expect(isNum(json.machine.cores)).toBe(true);
    expect(json.machine.node).toBe(process.version);

    expect(json.bundle.bytes).toBe(readFileSync(join(root, 'dist', 'dfns-signer.js')).length);
    expect(json.bundle.gzipBytes).toBeLessThan(json.bundle.bytes);
    expect(json.bundle.metafile.byPackage.map((p: any) => p.name)).toContain('@noble/curves');

    for (const runtime of json.options.runtimes) {
      for (const name of ['signer', 'floor', 'official', 'none']) {
        const v = json.variants[runtime][name];
        expect(v.completed, `${runtime} ${name}`).toBe(true);
        expect(v.runs).toHaveLength(1);
        expect(v.runs[0].roundTrips.main).toBe(3);
        for (const k of ['medianWallMs', 'medianMsPerRequest', 'medianCpuMsPerRequest', 'medianPeakRssMiB'])
          expect(isNum(v[k]), `${runtime} ${name} ${k}`).toBe(true);
      }
      expect(json.variants[runtime].signer.runs[0].roundTrips).toMatchObject({ init: 3, complete: 3, cdn: 0 });
      expect(json.variants[runtime].official.runs[0].roundTrips).toMatchObject({ init: 3, complete: 3, cdn: 3 });
      expect(json.variants[runtime].none.runs[0].roundTrips).toMatchObject({ init: 0, complete: 0 });
      const c = json.comparison[runtime];
      for (const k of [
        'overheadOverFloorMsPerRequest',
        'overheadOverFloorPctOfSignerWall',
        'speedupOverOfficial',
        'cpuOverheadOverFloorMsPerRequest',
      ])
        expect(isNum(c[k]), `${runtime} ${k}`).toBe(true);
    }

    expect(json.algorithms.map((a: any) => a.name)).toEqual(['P-256', 'secp256k1', 'Ed25519', 'RSA 2048', 'RSA 3072']);
    for (const a of json.algorithms) {
      for (const k of ['evaluateCpuMs', 'readKeyCpuMs', 'signCpuMs']) expect(isNum(a.vm[k]), `${a.name} vm ${k}`).toBe(true);
      for (const runtime of json.options.algRuntimes) {
        expect(a.sandbox[runtime].completed, `${a.name} probe in ${runtime}`).toBe(true);
        expect(a.bundle[runtime].completed, `${a.name} bundle in ${runtime}`).toBe(true);
      }
    }
    for (const name of ['signer', 'floor', 'jsrsasign']) expect(isNum(json.parse[name].compileColdCpuMs)).toBe(true);

    expect(json.ratios).toBeNull();
    expect(stdout).not.toContain('| key | latency per answer |');
    expect(stdout).toContain('| runtime | pre-request script | wall ms/request');
    expect(stdout).toContain('Machine: ');
  });

  it('--only ratios: the floor ratios alone', { timeout: 450_000 }, async () => {
    const { code, stdout, stderr, json } = await smoke('--only', 'ratios');
    expect(code, stderr).toBe(0);
    expect(json.completed).toBe(true);
    // The goals: every key type against the floor, loopback and with latency, the previous bundle beside this one.
    expect(json.ratios.latencies).toEqual([0, 25]);
    expect(json.ratios.previous.label).toMatch(/^dist\/dfns-signer\.js of (main, )?[0-9a-f]{7,}, \d{4}-\d\d-\d\d$/);
    expect(json.ratios.rows.map((r: any) => `${r.key} ${r.latencyMs}`)).toEqual(
      [0, 25].flatMap((ms) => ['P-256', 'secp256k1', 'Ed25519', 'RSA 2048'].map((k) => `${k} ${ms}`)),
    );
    for (const row of json.ratios.rows) {
      for (const name of ['floor', 'previous', 'bundle']) {
        expect(row.variants[name].completed, `${row.key} ${row.latencyMs} ${name}`).toBe(true);
        expect(isNum(row.variants[name].ratio), `${row.key} ${row.latencyMs} ${name}`).toBe(true);
      }
    }
    expect(json.goals.floorRatios).toHaveLength(8);
    expect([json.variants, json.comparison, json.parse, json.algorithms]).toEqual([null, null, null, null]);
    expect(stdout).toContain('| key | latency per answer | floor ms/request |');
    expect(stdout).not.toContain('| runtime | pre-request script |');
  });
});
