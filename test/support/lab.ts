// The world an end-to-end test file signs in: the local Dfns emulator with one P-256 user, and a
// third-party API beside it. useLab() registers the vitest hooks that start, reset and stop both.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/emulator.mjs';
import { type KeyCase, keyCases } from './keys';
import { startThirdParty, type ThirdParty } from './third-party';

export interface Lab {
  emu: Emulator;
  other: ThirdParty;
  /** The user's token and P-256 key (credential cr-1). */
  token: string;
  key: KeyCase;
  /** Every key form and algorithm, for tests that register more users. */
  keys: KeyCase[];
  /** The emulator's host:port, as dfnsApiDomain. */
  dfnsHost: string;
  /** The variables a client needs, the third party's host as partnerHost, walletName = w1. */
  vars(extra?: Record<string, string>): Record<string, string>;
}

/** The one line every client shows when the script is pasted in the tab that runs after the response. */
export const AFTER_RESPONSE_LINE =
  /^Dfns signer: the script runs after the response .*, when the request has already gone out unsigned\. Paste it as the Pre-request script instead$/;

export function useLab(): Lab {
  const keys = keyCases();
  const lab = { keys, key: keys[0] } as Lab;
  beforeAll(async () => {
    lab.emu = await startEmulator({ port: 0 });
    lab.other = await startThirdParty();
    lab.token = lab.emu.addUser({ credentials: [{ id: 'cr-1', publicKey: lab.key.publicKey }] }).token;
    lab.dfnsHost = lab.emu.url.replace('http://', '');
  });
  afterAll(async () => {
    await lab.emu.close();
    await lab.other.close();
  });
  beforeEach(() => {
    lab.emu.reset();
    lab.other.reset();
  });
  lab.vars = (extra = {}) => ({
    dfnsApiDomain: lab.dfnsHost,
    partnerHost: lab.other.host,
    walletName: 'w1',
    authToken: lab.token,
    credentialPrivateKey: lab.key.privatePem,
    ...extra,
  });
  return lab;
}
