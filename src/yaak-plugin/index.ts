// Yaak plugin "dfns-signer": the same signing as dist/dfns-signer.js, as an authentication plugin (Yaak
// has no pre-request scripts). It acts on the requests whose Auth is "Dfns User Action Signing", set on
// the request or inherited from its folder or workspace; the flow leaves requests to other hosts untouched.
//
// The two calls of the exchange go over Node's http(s) (src/clients/node-transport.ts), not Yaak's
// ctx.httpRequest.send. That one can be told not to follow redirects (settingFollowRedirects) and to
// time out (settingRequestTimeout), but measured with the Yaak CLI 2026.8.1 it also renders ${[ … ]} in
// the body it is given (the request's body travels inside the challenge request, so a body holding an
// escaped ${[ would be signed differently from how it is sent), and it adds the workspace's headers,
// cookies and authentication (this very plugin, when set on the workspace). Node's http sends the bytes
// the flow built, never follows a redirect, and gives up after dfnsTimeoutSeconds (30 s by default).

import { nodeTransport } from '../clients/node-transport';
import { SETTINGS, type YaakAuthRequest, type YaakAuthResponse, type YaakContext, yaakClient } from '../clients/yaak';
import { signOrFail } from '../flow';

const DESCRIPTIONS: Record<string, string> = {
  authToken: 'Your Dfns personal access token or service account token',
  credentialPrivateKey: "The private key (PEM) of the token's credential, for requests that need a user action",
  credentialId: 'Which credential, when the token has several',
  dfnsApiDomain: 'api.dfns.io, api.uae.dfns.io, or your proxy: requests to this host are signed',
  dfnsTimeoutSeconds: 'How many seconds to wait for each answer of Dfns while signing (30 when unset)',
  dfnsUsername: 'To log in with the credential key when authToken is unset or expired (each request logs in: the plugin keeps no token)',
  dfnsOrgId: 'The org to log in to, when authToken does not name it',
};

export async function onApply(ctx: YaakContext, request: YaakAuthRequest): Promise<YaakAuthResponse> {
  const client = yaakClient(ctx, request, nodeTransport);
  const error = await signOrFail(client, () => Date.now());
  if (error) throw error;
  return { setHeaders: client.setHeaders() };
}

export const plugin = {
  authentication: {
    name: 'dfns-signer',
    label: 'Dfns User Action Signing',
    shortLabel: 'Dfns',
    args: SETTINGS.map((name) => ({
      type: 'text',
      name,
      label: name,
      optional: true,
      // A PEM pasted on one line is read as well (src/keys/pem.ts).
      password: name === 'authToken' || name === 'credentialPrivateKey',
      placeholder: `empty: the environment variable ${name}`,
      description: `${DESCRIPTIONS[name]}. Left empty, the environment variable ${name} is used.`,
    })),
    onApply,
  },
};
