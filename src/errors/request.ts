// What to tell the user when the request itself cannot be signed as it will be sent: its URL, the
// variables in it, its body.
import { SignerError } from './index';

export const noHost = (url: string): SignerError =>
  new SignerError('url-no-host', `the request URL "${url.slice(0, 100)}" has no host`, 'Use a URL like https://{{dfnsApiDomain}}/wallets');

/** The token never travels over plain http, except to this machine. */
export const insecure = (authority: string): SignerError =>
  new SignerError(
    'url-insecure',
    `the request URL is plain http://${authority}, which would send authToken unencrypted`,
    'Use https://{{dfnsApiDomain}}/…; plain http reaches only localhost, 127.0.0.0/8 and ::1',
  );

/**
 * dfnsApiDomain written with its scheme in a URL that adds one (the collections' `https://{{dfnsApiDomain}}/…`):
 * the client would send the request to a host named `https`.
 */
export const schemeInApiDomain = (apiDomain: string, host: string): SignerError =>
  new SignerError(
    'url-no-host',
    `dfnsApiDomain is ${apiDomain.trim()}, with its scheme, so the request would go to a host named ${host}`,
    'Set dfnsApiDomain to the host only, e.g. api.dfns.io',
  );

/** Some clients resolve `.`/`..` segments before sending (new URL() in Hoppscotch and httpyac), others send them as written. */
export const dotSegments = (path: string): SignerError =>
  new SignerError(
    'url-dot-segments',
    `the request path ${path} holds a . or .. segment or a backslash, which clients send differently`,
    'Write the path without them',
  );

/** A `%` that starts no escape: clients send it differently (httpyac fails, Insomnia sends %25) or not at all. */
export const strayPercent = (path: string): SignerError =>
  new SignerError('url-malformed', `the request path ${path} holds a % not followed by two hex digits`, 'Write it as %25');

/**
 * A variable that makes up a whole path segment is empty: the clients then send the segment empty, or the
 * placeholder (`:walletId`) as written. `param`: for a path parameter (`:name`, set in the Params tab), how
 * the client writes a reference to a variable of that name; `flag`: the command-line option that sets a
 * variable (`--env-var`), '' for the environment.
 */
export const emptyPathVariable = (name: string, param: string | undefined, flag: string): SignerError =>
  new SignerError(
    'template-empty',
    `the path variable ${name} is empty`,
    `${param ? `Give it a value in the Params tab, or the value ${param} and set ${name}` : `Set ${name}`}${flag ? ` (${flag} ${name}=…)` : ' in the environment'}`,
  );

/**
 * A variable reference still in the path or body after resolving: the client would resolve it again
 * after the signer ran (a request-level script may set it), so what is sent would differ from what was signed.
 * `reference` is written as the client writes it: `{{walletName}}`, `<<walletName>>`.
 */
export function unresolvedVariable(where: string, reference: string): SignerError {
  const name = reference.replace(/^(\{\{|<<)\s*(_\.)?|\s*(\}\}|>>)$/g, '');
  // Hoppscotch (<<name>>) shows its scripts neither collection nor request variables.
  const scopes = reference.charAt(0) === '<' ? 'the environment' : 'the environment or the collection';
  const dynamic = reference.charAt(0) === '{' ? ', use a dynamic variable such as {{$randomUUID}}' : '';
  return new SignerError(
    'template-unresolved',
    `${where} holds ${reference}, but ${name} is not defined when the signer runs (a request-level script may set it only after the request was signed)`,
    `Define ${name} in ${scopes}, set it in a script that runs before the signer${dynamic}, or run the signer after your own code (at the end of the request's own pre-request script)`,
  );
}

/** Insomnia: a template in `what` that its scripts' renderer refuses; `reason` is the renderer's first line. */
export const unrenderable = (what: string, reason: string): SignerError =>
  new SignerError(
    'template-unresolved',
    `${what} holds a template the script cannot resolve (${reason.slice(0, 160)})`,
    'Define the variable in the environment, or use plain text or {{ variables }} (not template tags) there',
  );

/** Insomnia renders the URL again after the script: a random template tag would change it. */
export const dynamicUrl = (): SignerError =>
  new SignerError(
    'template-dynamic',
    'the request URL takes a new value each time Insomnia renders it (a random template tag such as {% faker %} or {% uuid %}), so the URL sent would not be the URL signed',
    'Put the random value in the body, or store it in an environment variable before the request',
  );

/** A body Dfns cannot be asked to sign: `kind` says what it is, `where` how the client sets a JSON body. */
export const unsignableBody = (kind: string, where: string): SignerError =>
  new SignerError('body-not-json', `the request body is ${kind}, but Dfns signs JSON bodies only`, `Set the body to ${where}`);

/**
 * A JSON body that does not parse (`reason`: the parser's message), which the client would not send as
 * written (`sends`: what it does instead: Hoppscotch re-serializes a JSON body, Bruno sends it as a JSON string).
 */
export function invalidJsonBody(text: string, reason: unknown, sends: string): SignerError {
  const bom = text.charCodeAt(0) === 0xfeff;
  return new SignerError(
    'body-not-json',
    `the request body ${bom ? 'starts with a byte-order mark (U+FEFF), so it is' : 'is'} not valid JSON (${String(reason).replace(/\s+/g, ' ').slice(0, 100)}), which ${sends}`,
    bom ? 'Remove the byte-order mark' : 'Fix the JSON, or send it as text',
  );
}

/** A path the client's versions send differently (Insomnia 10 and later): `what` says what it holds. */
export const ambiguousPath = (what: string, fix: string): SignerError =>
  new SignerError('url-ambiguous', `the request path holds ${what}, so the path Insomnia sends could differ from the path signed`, fix);

/** A form Dfns does not sign: `what` says what it holds beyond a text field data and a file field file. */
export const unsignableForm = (what: string, fix = 'Keep only the fields data and file, or send the body as raw JSON'): SignerError =>
  new SignerError(
    'body-not-json',
    `the request body is a form with ${what}, but Dfns signs a form only as its SDK sends key-store outputs: a text field data (the JSON, which is signed) and a file field file`,
    fix,
  );
