// The bench's loopback world: the local Dfns emulator (in this process) with one user per key, the
// stand-in CDN, and the input files of the newman children.
import { startEmulator } from '../emulator/emulator.mjs';
import { startCdn } from './cdn.mjs';
import { newmanInputs } from './runtimes.mjs';

/**
 * @param {import('./workload.mjs').BenchKey[]} keys each registered as the credential of its own user
 */
export async function startLab(keys) {
  /**
   * When each emulator answer left (Date.now: the same clock as newman's events in the child).
   * @type {import('./stats.mjs').Answer[]}
   */
  const answers = [];
  const emu = await startEmulator({ port: 0, onRequest: (e) => answers.push({ path: e.path, t: Date.now() }) });
  const cdn = await startCdn();
  const users = new Map(keys.map((k) => [k.name, emu.addUser({ credentials: [{ id: k.id, publicKey: k.publicKey }] })]));
  const inputs = newmanInputs();
  return {
    emu,
    cdn,
    answers,
    inputs,
    /**
     * The newman environment of a run signing with `key`.
     * @param {import('./workload.mjs').BenchKey} key
     * @returns {Record<string, string>}
     */
    env: (key) => ({
      dfnsApiDomain: emu.url.replace('http://', ''),
      authToken: /** @type {{ token: string }} */ (users.get(key.name)).token,
      credentialPrivateKey: key.privatePem,
      jsrsasignUrl: cdn.url,
    }),
    /** Before a run: forget what the emulator, the CDN and `answers` saw. */
    reset() {
      emu.reset();
      cdn.resetHits();
      answers.length = 0;
    },
    async close() {
      await cdn.close();
      await emu.close();
      inputs.remove();
    },
  };
}
/** @typedef {Awaited<ReturnType<typeof startLab>>} Lab */
