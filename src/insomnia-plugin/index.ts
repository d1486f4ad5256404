// Insomnia plugin "dfns-signer": the same signing as dist/dfns-signer.js, as a request hook, for
// Insomnia versions whose script sandbox rejects the bundle (about 12.5 and later, "Enable script
// sandbox" on). Acts on requests whose active environment defines authToken or dfnsUsername; others pass
// untouched. It keeps no login token: with dfnsUsername, each request logs in.

import { insomniaPluginClient, type RequestHookContext } from '../clients/insomnia-plugin';
// Node's http(s), not fetch: a hook may run in a renderer window, where fetch is subject to CORS.
import { nodeTransport } from '../clients/node-transport';
import { signOrFail } from '../flow';

export { nodeTransport };

export async function signHook(context: RequestHookContext, transport = nodeTransport): Promise<void> {
  const defined = (name: string) => context.request.getEnvironmentVariable(name) !== undefined;
  if (!defined('authToken') && !defined('dfnsUsername')) return;
  const error = await signOrFail(insomniaPluginClient(context, transport), () => Date.now());
  if (error) throw error;
}

export const requestHooks = [(context: RequestHookContext) => signHook(context)];
