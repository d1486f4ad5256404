// A local stand-in for the CDN the official approach downloads jsrsasign 8.0.20 from at every request.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const JSRSASIGN_FILE = join(root, 'node_modules', 'jsrsasign-8', 'lib', 'jsrsasign-all-min.js');

/** Serves jsrsasign-all-min.js on loopback and counts the downloads. */
export async function startCdn() {
  const body = readFileSync(JSRSASIGN_FILE);
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'application/javascript; charset=utf-8', 'content-length': body.length });
    res.end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}/jsrsasign/8.0.20/jsrsasign-all-min.js`,
    bytes: body.length,
    hits: () => hits,
    resetHits: () => (hits = 0),
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r(undefined));
      }),
  };
}
/** @typedef {Awaited<ReturnType<typeof startCdn>>} Cdn */
