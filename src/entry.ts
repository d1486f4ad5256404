// The script's entry: finds the API client it runs in, builds that client's adapter, signs.
//
// How a failure keeps the request from going out, client by client (Host.stop):
//
//   client                 the request is stopped by                                      Host.stop()
//   Postman app, newman    pm.execution.skipRequest(); pm.test records the failure, so     'skipped'
//                          newman exits 1 (a throw would not stop newman 6.2)
//   Apidog                 it has no skip: the request's URL is pointed at a host under    'skipped'
//                          .invalid, which never resolves; pm.test records the failure
//   Hoppscotch             `hopp test` sends a request as written even when its script     'skipped'
//                          throws: the URL becomes the message, which is no URL, so neither
//                          the CLI nor the app sends it
//   Bruno, Insomnia        the script throwing the error (and their skip, where present)  'throw'
//   Insomnia plugin        the request hook throwing it (src/insomnia-plugin/index.ts)    'throw'
//   a client not known     the script throwing at once, before anything is sent           (no Host)
//
// The throw comes from the bundle's last line (scripts/build.mjs):
//   var __dfnsError;try{__dfnsError=await(dfnsSigner.done)}catch(e){}if(__dfnsError)throw __dfnsError;
// Where the client runs scripts with top-level await, it awaits `done` below and throws the error it
// settles to. In newman 6.2, which has none, `await(...)` is a call of an undefined name: it throws,
// is caught, and the sandbox goes on waiting for the pending pm.sendRequest callbacks; there the
// request is stopped by pm.execution.skipRequest().
import { SignerError } from './errors';
import { signOrFail } from './flow';
import type { Host } from './hosts/host';
import { brunoHost } from './hosts/bru';
import { hoppscotchHost } from './hosts/hoppscotch';
import { insomniaHost } from './hosts/insomnia';
import { postmanHost } from './hosts/pm';

declare const pm: any;
declare const bru: any;
declare const req: any;
declare const insomnia: any;
declare const hopp: any;
declare const pw: any;

const isFunction = (value: unknown): boolean => typeof value === 'function';

/** The client's API, recognised by what it can do rather than by a global's name alone. */
function detectHost(): Host {
  if (typeof insomnia !== 'undefined' && insomnia && isFunction(insomnia.sendRequest) && insomnia.request) return insomniaHost();
  if (typeof bru !== 'undefined' && typeof req !== 'undefined' && bru && isFunction(bru.sendRequest) && req && isFunction(req.setHeader)) return brunoHost();
  // Hoppscotch also offers a `pm`, not Postman's: its own namespace first.
  if (typeof hopp !== 'undefined' && hopp && hopp.request && isFunction(hopp.request.setUrl) && isFunction(hopp.fetch) && typeof pw !== 'undefined' && pw && pw.env && isFunction(pw.env.resolve))
    return hoppscotchHost();
  if (
    typeof pm !== 'undefined' &&
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
    return postmanHost();
  if (typeof pw !== 'undefined')
    throw new SignerError(
      'client-unsupported',
      "Hoppscotch's legacy scripting sandbox offers no API the signer can sign with",
      'Turn the experimental scripting sandbox back on (Settings > Experiments), or run hopp test without --legacy-sandbox',
    );
  throw new SignerError(
    'client-unsupported',
    'this API client is not one the signer knows (it found no Postman, Bruno, Insomnia or Hoppscotch scripting API it can sign with), so the request was stopped',
    'Use the script in Postman, newman, Bruno, Insomnia or Hoppscotch (see the README for the others)',
  );
}

/** Settles once signing is over, to the error the script's last line throws (see above). */
export const done: Promise<SignerError | undefined> = signOrFail(detectHost(), () => Date.now());
