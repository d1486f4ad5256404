// The signing exchange over Node's http(s), for the plugins that run in Node (Insomnia, Yaak) and
// whose client's own send API is not fit for it (see each plugin's entry for why).
// Bare names: the plugin loaders of older Insomnia versions resolve them, the node: scheme came later.
// biome-ignore lint/style/useNodejsImportProtocol: see above
import * as http from 'http';
// biome-ignore lint/style/useNodejsImportProtocol: see above
import * as https from 'https';
import { type HttpRequest, type HttpResponse, TimedOut } from './client';
import { answerHeadersOf } from './shared';

/**
 * One POST of the exchange, exactly as built: no redirect is ever followed (a 3xx comes back as its
 * status, which the flow refuses), no connection is kept for the next request (agent: false), and no
 * answer within `timeoutMs` (the flow's limit, dfnsTimeoutSeconds) destroys the call and rejects with TimedOut.
 */
export function nodeTransport(request: HttpRequest, timeoutMs: number): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const client = /^https:/i.test(request.url) ? https : http;
    const body = Buffer.from(request.body, 'utf8');
    const outgoing = client.request(
      request.url,
      { method: request.method, headers: { ...request.headers, 'Content-Length': String(body.length) }, timeout: timeoutMs, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode || 0,
            text: Buffer.concat(chunks).toString('utf8'),
            headers: answerHeadersOf(response.headers),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new TimedOut(timeoutMs)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
