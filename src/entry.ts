// The script's entry: finds the API client it runs in, builds that client's adapter, signs.
//
// How a failure keeps the request from going out, client by client (Client.stop):
//
//   client                 the request is stopped by                                      Client.stop()
//   Postman app, newman    pm.execution.skipRequest(); pm.test records the failure, so     'skipped'
//                          newman exits 1 (a throw would not stop newman 6.2)
//   Apidog                 it has no skip: the request's URL is pointed at a host under    'skipped'
//                          .invalid, which never resolves; pm.test records the failure
//   Hoppscotch             `hopp test` sends a request as written even when its script     'skipped'
//                          throws: the URL becomes the message, which is no URL, so neither
//                          the CLI nor the app sends it
//   Bruno, Insomnia        the script throwing the error (and their skip, where present)  'throw'
//   httpyac                the awaited sign() rejecting, which throws from the hook       'throw'
//   Insomnia plugin        the request hook throwing it (src/insomnia-plugin/index.ts)    'throw'
//   Yaak plugin            the authentication's onApply throwing it (src/yaak-plugin/)    'throw'
//   a client not known     the script throwing at once, before anything is sent           (no Client)
//
// The script's throw comes from the bundle's last line (FOOTER in scripts/build.mjs): where the client
// runs scripts with top-level await, it awaits `done` below and throws the error it settles to. In
// newman 6.2, which has none, that line throws and catches at once, and the sandbox goes on waiting
// for the pending pm.sendRequest callbacks; there the request is stopped by pm.execution.skipRequest().

import { brunoClient } from './clients/bruno';
import type { Client } from './clients/client';
import { hoppscotchClient } from './clients/hoppscotch';
import { httpyacClient } from './clients/httpyac';
import { insomniaClient } from './clients/insomnia';
import { postmanClient } from './clients/postman';
import type { SignerError } from './errors';
import * as fail from './errors/client';
import { signOrFail } from './flow';

/** The scripting globals of the clients the signer knows, as their scripts see them. */
export interface ClientScope {
  pm?: any;
  bru?: any;
  req?: any;
  /** Bruno: the response, defined in post-response scripts and tests only. */
  res?: any;
  insomnia?: any;
  hopp?: any;
  pw?: any;
  /** httpyac: the request hook's request and context. */
  request?: any;
  $context?: any;
}

const isFunction = (value: unknown): boolean => typeof value === 'function';

/** Pasted in the tab that runs once the response is in: the request has gone out already, unsigned. */
function runsAfterResponse({ pm, bru, res, insomnia, hopp }: ClientScope): boolean {
  return Boolean(
    (pm && pm.info && pm.info.eventName === 'test') ||
      (bru && res !== undefined) ||
      (insomnia && insomnia.response !== undefined) ||
      (hopp && hopp.response !== undefined),
  );
}

/** The client's adapter, recognised by what its API can do rather than by a global's name alone. */
function detectClient(c: ClientScope): Client {
  const { pm, bru, req, insomnia, hopp, pw, request, $context } = c;
  if (runsAfterResponse(c)) throw fail.afterResponse();
  if (insomnia && isFunction(insomnia.sendRequest) && insomnia.request) return insomniaClient(insomnia);
  if (bru && req && isFunction(bru.sendRequest) && isFunction(req.setHeader)) return brunoClient(bru, req);
  // Hoppscotch also offers a `pm`, not Postman's: its own namespace first.
  if (hopp && hopp.request && isFunction(hopp.request.setUrl) && isFunction(hopp.fetch) && pw && pw.env && isFunction(pw.env.resolve))
    return hoppscotchClient(hopp, pw);
  if (request && $context && $context.variables && typeof request.method === 'string') return httpyacClient(request, $context);
  if (
    pm &&
    isFunction(pm.sendRequest) &&
    pm.request &&
    pm.request.url &&
    pm.request.url.variables &&
    pm.request.headers &&
    isFunction(pm.request.headers.each) &&
    isFunction(pm.request.headers.upsert) &&
    pm.variables &&
    isFunction(pm.variables.replaceIn) &&
    isFunction(pm.test)
  )
    return postmanClient(pm);
  if (pw) throw fail.hoppscotchLegacySandbox();
  throw fail.unknownClient();
}

/**
 * Signs one request of the client whose globals are given; rejects with the SignerError after the
 * client has recorded it. For clients that load the script as a module (httpyac):
 *   await require('./dfns-signer.cjs').sign({ request, $context })
 */
export async function sign(client: ClientScope): Promise<void> {
  const error = await signOrFail(detectClient(client), () => Date.now());
  if (error) throw error;
}

declare const pm: any, bru: any, req: any, res: any, insomnia: any, hopp: any, pw: any, request: any, $context: any;
declare const module: any, __filename: unknown;

const scope: ClientScope = {
  pm: typeof pm !== 'undefined' ? pm : undefined,
  bru: typeof bru !== 'undefined' ? bru : undefined,
  req: typeof req !== 'undefined' ? req : undefined,
  res: typeof res !== 'undefined' ? res : undefined,
  insomnia: typeof insomnia !== 'undefined' ? insomnia : undefined,
  hopp: typeof hopp !== 'undefined' ? hopp : undefined,
  pw: typeof pw !== 'undefined' ? pw : undefined,
  request: typeof request !== 'undefined' ? request : undefined,
  $context: typeof $context !== 'undefined' ? $context : undefined,
};

// Loaded by Node's module loader (require, in httpyac), not run as a client's script: it signs
// nothing by itself and hands out sign(). Anywhere else, no client means the script stops the request.
const required =
  !Object.keys(scope).some((name) => (scope as Record<string, unknown>)[name] !== undefined) &&
  typeof module === 'object' &&
  module !== null &&
  typeof __filename === 'string' &&
  module.filename === __filename;
if (required) module.exports = { sign };

/** Settles once signing is over, to the error the script's last line throws (see above). */
export const done: Promise<SignerError | undefined> = required
  ? Promise.resolve(undefined)
  : signOrFail(detectClient(scope), () => Date.now());
