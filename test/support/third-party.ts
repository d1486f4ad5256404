// A local HTTP server standing for another API in the same collection (a webhook receiver, a block
// explorer, the team's backend): it records what reaches it, byte for byte, and answers 200.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface ThirdParty {
  /** host:port, as written in dfnsApiDomain-style variables. */
  host: string;
  received: Received[];
  reset(): void;
  close(): Promise<void>;
}

export async function startThirdParty(): Promise<ThirdParty> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json', connection: 'close' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    received,
    reset: () => void (received.length = 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Nothing of Dfns reached the other API: no token, no signing exchange, no user action. */
export function noDfnsIn(received: Received[], token: string): string[] {
  const leaks: string[] = [];
  for (const r of received) {
    const text = JSON.stringify(r);
    if (r.url.startsWith('/auth/action')) leaks.push(`${r.method} ${r.url}: the signing exchange`);
    if (r.headers.authorization !== undefined) leaks.push(`${r.method} ${r.url}: an Authorization header`);
    if (r.headers['x-dfns-useraction'] !== undefined) leaks.push(`${r.method} ${r.url}: X-DFNS-USERACTION`);
    for (const part of token.split('.')) if (text.includes(part.slice(0, 20))) leaks.push(`${r.method} ${r.url}: a piece of the token`);
  }
  return leaks;
}
