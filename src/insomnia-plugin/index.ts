// Insomnia plugin "dfns-signer": the same signing as dist/dfns-signer.js, as a request hook, for
// Insomnia versions whose script sandbox rejects the bundle (about 12.5 and later, "Enable script
// sandbox" on). Acts on requests whose active environment defines authToken; others pass untouched.
import * as http from 'http';
import * as https from 'https';
import { signOrFail } from '../flow';
import type { HttpRequest, HttpResponse } from '../clients/client';
import { insomniaPluginClient, type RequestHookContext } from '../clients/insomnia-plugin';

const TIMEOUT_MS = 30000;

/** Node's http(s), not fetch: a hook may run in a renderer window, where fetch is subject to CORS. */
export function nodeTransport(request: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const client = /^https:/i.test(request.url) ? https : http;
    const body = Buffer.from(request.body, 'utf8');
    const outgoing = client.request(
      request.url,
      { method: request.method, headers: { ...request.headers, 'Content-Length': String(body.length) }, timeout: TIMEOUT_MS },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode || 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(Object.assign(new Error(`no answer in ${TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

export async function signHook(context: RequestHookContext, transport = nodeTransport): Promise<void> {
  if (context.request.getEnvironmentVariable('authToken') === undefined) return;
  const error = await signOrFail(insomniaPluginClient(context, transport), () => Date.now());
  if (error) throw error;
}

export const requestHooks = [(context: RequestHookContext) => signHook(context)];
