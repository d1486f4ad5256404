// The official SDK (@dfns/sdk, the newest published: 0.8.21) as the oracle of the endpoint catalogue: every
// endpoint its generated client calls is in collections/dfns-endpoints.json, with the same user-action flag
// (userActionFetch = a user action; simpleFetch = none). The catalogue also holds endpoints from Dfns's API
// reference that this SDK does not call: they are listed here, so a new difference in either direction shows.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const SDK_DIR = dirname(require.resolve('@dfns/sdk'));

interface Entry {
  method: string;
  path: string;
  userAction: boolean;
}

/** What each method of the SDK's generated clients calls: its path template, its HTTP method, and which fetch. */
function sdkEndpoints(): (Entry & { call: string })[] {
  const generated = join(SDK_DIR, 'generated');
  const found: (Entry & { call: string })[] = [];
  for (const area of readdirSync(generated)) {
    const file = join(generated, area, 'client.js');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (_e) {
      continue;
    }
    for (const block of text.split(/\n {4}async /).slice(1)) {
      const name = block.slice(0, block.indexOf('('));
      const path = /buildPathAndQuery\)\('([^']+)'/.exec(block);
      const method = /method: '(\w+)'/.exec(block);
      const fetch = /_1\.(\w+)\)\(path,/.exec(block);
      if (!path || !method || !fetch) {
        // Deprecated aliases: `return this.otherMethod(request)`.
        expect(block, `${area}.${name}`).toMatch(/^\w+\([^)]*\) \{\s*return this\.\w+\(/);
        continue;
      }
      expect(['userActionFetch', 'simpleFetch'], `${area}.${name}`).toContain(fetch[1]);
      found.push({
        call: `${area}.${name}`,
        method: method[1],
        path: path[1].replace(/:(\w+)/g, '{$1}'),
        userAction: fetch[1] === 'userActionFetch',
      });
    }
  }
  return found;
}

const key = (e: { method: string; path: string }) => `${e.method} ${e.path}`;

/** In Dfns's API reference (research §8) but not called by @dfns/sdk 0.8.21. */
const REFERENCE_ONLY = `
POST /auth/login/oidc
POST /auth/login/oidc/init
DELETE /auth/credentials/{credentialUuid}
POST /auth/tokens
POST /auth/users/invite
GET /vaults
POST /vaults
POST /vaults/{vaultId}/addresses
GET /vaults/{vaultId}/locks
POST /vaults/{vaultId}/locks
POST /vaults/{vaultId}/transfers
GET /vaults/{vaultId}/locks/{lockId}
DELETE /vaults/{vaultId}/locks/{lockId}
GET /vaults/{vaultId}
PUT /vaults/{vaultId}
GET /vaults/{vaultId}/assets
GET /vaults/{vaultId}/balances
POST /vaults/{vaultId}/quarantines/{quarantineId}/release
PUT /vaults/{vaultId}/tags
DELETE /vaults/{vaultId}/tags
DELETE /vaults/{vaultId}/quarantines/{quarantineId}
GET /address-watches
POST /address-watches
GET /address-watches/{addressWatchId}
GET /address-watches/{addressWatchId}/assets
GET /address-watches/{addressWatchId}/blockchain-events
GET /address-watches/{addressWatchId}/history
GET /allocations/info
GET /payins
POST /payins
GET /payins/recipients
POST /payins/recipients
GET /payins/{payinId}
GET /payins/balances
POST /key-stores/{storeId}/fleet-operations/cancel
POST /key-stores/{storeId}/add-mac-user/input
POST /key-stores/{storeId}/add-provisioner/input
POST /key-stores/{storeId}/key-harvest/input
POST /key-stores/{storeId}/add-mac-user/output
POST /key-stores/{storeId}/add-provisioner/output
POST /key-stores/{storeId}/key-harvest/output`
  .trim()
  .split('\n');

describe('the endpoint catalogue against @dfns/sdk', () => {
  const catalogue: Entry[] = JSON.parse(readFileSync(new URL('../../collections/dfns-endpoints.json', import.meta.url), 'utf8'));
  const sdk = sdkEndpoints();
  const byKey = new Map(catalogue.map((e) => [key(e), e]));

  it('is read from the newest published SDK, 0.8.21', () => {
    expect(JSON.parse(readFileSync(join(SDK_DIR, 'package.json'), 'utf8')).version).toBe('0.8.21');
    expect(sdk.length).toBeGreaterThan(170);
  });

  it('holds every endpoint the SDK calls, with the same user-action flag', () => {
    const missing = sdk.filter((e) => !byKey.has(key(e))).map((e) => `${key(e)} (${e.call})`);
    const flags = sdk
      .filter((e) => byKey.has(key(e)) && byKey.get(key(e))?.userAction !== e.userAction)
      .map((e) => `${key(e)}: the SDK ${e.userAction ? 'signs it' : 'does not sign it'}, the catalogue says ${!e.userAction}`);
    expect({ missing, flags }).toEqual({ missing: [], flags: [] });
  });

  it("holds no endpoint the SDK lacks other than the API reference's own, listed above", () => {
    const inSdk = new Set(sdk.map(key));
    const extra = catalogue.filter((e) => !inSdk.has(key(e))).map(key);
    expect(extra.sort()).toEqual([...REFERENCE_ONLY].sort());
  });
});
