// Insomnia plugin "dfns-signer": the same signing as dist/dfns-signer.js, as a request hook, for
// Insomnia versions whose script sandbox rejects the bundle (about 12.5 and later, "Enable script
// sandbox" on). Acts on requests whose active environment defines authToken; others pass untouched.

import { insomniaPluginClient, type RequestHookContext } from '../clients/insomnia-plugin';
// Node's http(s), not fetch: a hook may run in a renderer window, where fetch is subject to CORS.
import { nodeTransport } from '../clients/node-transport';
import { signOrFail } from '../flow';

export { nodeTransport };

export async function signHook(context: RequestHookContext, transport = nodeTransport): Promise<void> {
  if (context.request.getEnvironmentVariable('authToken') === undefined) return;
  const error = await signOrFail(insomniaPluginClient(context, transport), () => Date.now());
  if (error) throw error;
}

export const requestHooks = [(context: RequestHookContext) => signHook(context)];
