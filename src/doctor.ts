// `dfns-signer doctor`: who the variables say you are and what keeps a signed request from working, found
// the way the signer itself would meet it. Built for Node (scripts/build-doctor.mjs → dist/doctor.mjs) and
// run by bin/commands/doctor.js; the pasted script never carries it. It runs the signer's own flow twice,
// with a client of its own: GET /auth/credentials (the token, logging in first when dfnsUsername says so),
// then POST /wallets up to the user action, which it never uses (the request itself is never sent).
// It never prints the token or the private key.
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { Client, HttpRequest, HttpResponse } from './clients/client';
import { nodeTransport as post } from './clients/node-transport';
import { requestFacts } from './clients/shared';
import { parseJson } from './encoding';
import { asSignerError } from './errors';
import { answered, unreachable } from './errors/dfns';
import { signRequest } from './flow';
import { type CredentialKey, readPrivateKey } from './keys/index';
import { isLoopback } from './protocol/apiHost';
import { readToken, tokenFacts } from './protocol/token';
import { splitAuthority } from './request';

/** The doctor's HTTP: Node's, as the plugins use it (no redirect followed, the limit given), for its GET too. */
export const nodeTransport: Transport = (request, timeoutMs) => post(request as HttpRequest, timeoutMs);

/** A request as the doctor sends it (the exchange's POSTs, and its own GET), with the limit on its answer. */
export type Transport = (request: Omit<HttpRequest, 'method'> & { method: string }, timeoutMs: number) => Promise<HttpResponse>;

/** The limit on the doctor's own GET: the signer's default (dfnsTimeoutSeconds unset). */
const GET_TIMEOUT_MS = 30000;

export interface Diagnosis {
  /** What was found: lines without the token or the key. */
  facts: string[];
  /** What keeps a signed request from working, one line each with its fix. */
  problems: string[];
}

/** A Dfns credential as GET /auth/credentials lists it. */
interface Listed {
  credentialId: string;
  name?: string;
  kind: string;
  isActive: boolean;
  publicKey?: string;
}

/** The API's origin from dfnsApiDomain: its scheme when written, else https (http for this machine). */
export function apiOrigin(apiDomain: string | undefined): string {
  const domain = (apiDomain || 'api.dfns.io').trim().replace(/\/+$/, '');
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/.exec(domain);
  if (m) return `${m[1].toLowerCase()}://${m[2].split('/')[0]}`;
  return `${isLoopback(splitAuthority(domain).hostname) ? 'http' : 'https'}://${domain.split('/')[0]}`;
}

/** The signer's flow for one request, with the doctor's client: the headers it would set, or its one line. */
async function runFlow(variables: Record<string, string>, transport: Transport, method: string, url: string, now: () => number) {
  const headers: Record<string, string> = {};
  const logs: string[] = [];
  const client: Client = {
    variable: (name) => (variables[name] !== undefined && variables[name].trim() !== '' ? variables[name] : undefined),
    request: () => requestFacts({ method, url, header: () => undefined }),
    body: () => (method === 'GET' ? '' : '{}'),
    unresolved: () => undefined,
    freeze() {},
    send: transport,
    setHeader: (name, value) => void (headers[name] = value),
    log: (line) => void logs.push(line.replace(/^Dfns signer: /, '')),
    report() {},
    stop: () => 'throw',
    keepToken(token) {
      variables.authToken = token; // for this run only: the doctor writes nothing
      return 'this run';
    },
  };
  try {
    await signRequest(client, now);
    return { headers, logs };
  } catch (e) {
    return { headers, logs, problem: line(e) };
  }
}

/** Who the token is, as its claims say (research §7); undefined when there is none to read. */
function tokenFact(raw: string | undefined, now: number): string | undefined {
  try {
    const token = readToken(raw);
    const f = tokenFacts(token);
    const left = Math.floor((token.exp * 1000 - now) / 60000);
    const when = `${left >= 0 ? 'expires' : 'expired'} ${new Date(token.exp * 1000).toISOString()} (${left >= 0 ? `in ${left} min` : `${-left} min ago`})`;
    return `token: ${f.username || 'no username'}, user ${f.userId || '?'}, org ${f.orgId || '?'}, kind ${f.kind || '?'}; ${when}`;
  } catch (_e) {
    return undefined;
  }
}

/** Whether `key` made `signature` of `message` for this listed public key (node:crypto, as Dfns verifies). */
function signedBy(publicKey: KeyObject, message: Buffer, signature: Uint8Array): boolean {
  try {
    if (publicKey.asymmetricKeyType === 'ed25519') return verify(null, message, publicKey, signature);
    if (publicKey.asymmetricKeyType === 'ec') return verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, signature);
    return verify('sha256', message, publicKey, signature);
  } catch (_e) {
    return false;
  }
}

/** A credential as lines name it: its id, and its name when that says more. */
const named = (c: Listed) => `${c.credentialId}${c.name && c.name !== c.credentialId ? ` (${c.name})` : ''}`;

/** Which listed credential the key is: the fact it adds, or the problem (then false). */
function matchKey(key: CredentialKey, listed: Listed[], credentialId: string | undefined, d: Diagnosis): boolean {
  const message = Buffer.from(`dfns-signer doctor ${Date.now()}`);
  const signature = key.sign(message);
  const mine = listed.filter((c) => {
    if (c.kind !== 'Key' || !c.publicKey) return false;
    try {
      return signedBy(createPublicKey(c.publicKey), message, signature);
    } catch (_e) {
      return false;
    }
  });
  const active = mine.filter((c) => c.isActive);
  const names = (list: Listed[]) => list.map(named).join(', ');
  if (!active.length) {
    const keys = listed.filter((c) => c.kind === 'Key' && c.isActive);
    d.problems.push(
      mine.length
        ? `credentialPrivateKey is the key of ${names(mine)}, which is deactivated. Activate it again (Activate Credential), or paste the key of an active credential`
        : `credentialPrivateKey is none of this token's credentials${keys.length ? ` (its active Key credentials: ${names(keys)})` : ''}. Paste the private key of one of them, or register this key's public key with Dfns`,
    );
    return false;
  }
  d.facts.push(`key: credentialPrivateKey is the active Key credential ${names(active)}`);
  if (!credentialId || active.some((c) => c.credentialId === credentialId)) return true;
  d.problems.push(`credentialId is ${credentialId}, but credentialPrivateKey is ${names(active)}. Set credentialId to that, or unset it`);
  return false;
}

/** The key's algorithm and its public key (SPKI), as Dfns stores it: what to register, or to compare in the dashboard. */
function keyFacts(key: CredentialKey): string[] {
  const pem = String(
    createPublicKey({ key: Buffer.from(key.publicKey()), format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' }),
  );
  return [
    `key: ${key.algorithm}, public key:`,
    ...pem
      .trim()
      .split('\n')
      .map((l) => `  ${l}`),
  ];
}

/** A SignerError's line without the signer's own prefix: the doctor prints its own. */
const line = (e: unknown): string => asSignerError(e).message.replace(/^Dfns signer: /, '');

/** Everything the doctor finds; `given`: the variables as the client would hold them (newman's --env-var, an environment file). */
export async function diagnose(given: Record<string, string>, transport: Transport, now: () => number = Date.now): Promise<Diagnosis> {
  const variables = { ...given };
  const d: Diagnosis = { facts: [], problems: [] };
  const origin = apiOrigin(variables.dfnsApiDomain);
  if (!variables.dfnsApiDomain) variables.dfnsApiDomain = origin;
  d.facts.push(`API domain: ${origin}${variables.dfnsApiDomain === origin ? '' : ` (dfnsApiDomain ${variables.dfnsApiDomain})`}`);
  const before = tokenFact(variables.authToken, now());
  if (before) d.facts.push(before);

  let key: CredentialKey | undefined;
  const pem = variables.credentialPrivateKey;
  if (pem && pem.trim()) {
    try {
      key = readPrivateKey(pem);
      d.facts.push(...keyFacts(key));
    } catch (e) {
      d.problems.push(line(e));
    }
  }

  // 1. The token: GET /auth/credentials, with the token the signer would send (after logging in, if it would).
  const url = `${origin}/auth/credentials`;
  const get = await runFlow(variables, transport, 'GET', url, now);
  d.facts.push(...get.logs.filter((l) => l.startsWith('logged in')).map((l) => `login: ${l.replace(/; .*$/, '')}`));
  if (get.problem) return done(d, get.problem);
  if (variables.authToken !== given.authToken) d.facts.push(`${tokenFact(variables.authToken, now())} (from the login)`);
  let answer: HttpResponse;
  try {
    answer = await transport({ method: 'GET', url, headers: get.headers, body: '' }, GET_TIMEOUT_MS);
  } catch (e) {
    return done(d, line(unreachable(url, e && typeof e === 'object' && ((e as any).code || (e as any).message))));
  }
  const said = `GET /auth/credentials ${answered(answer.status, answer.text)}`;
  if (answer.status === 401)
    return done(
      d,
      `Dfns refused the token (${said}): it is expired or revoked, or it is from another region. Create a new token (or set dfnsUsername to log in), and set dfnsApiDomain to the token's region: api.dfns.io (Europe), api.uae.dfns.io (UAE)`,
    );
  const items = answer.status === 200 ? (parseJson(answer.text) as { items?: Listed[] } | undefined)?.items : undefined;
  if (answer.status !== 403 && !Array.isArray(items))
    return done(
      d,
      `${origin} does not answer as the Dfns API (${said}). Set dfnsApiDomain to api.dfns.io or api.uae.dfns.io (or your proxy's host)`,
    );
  if (!Array.isArray(items)) d.facts.push(`API: the token is accepted, but may not list its credentials (${said})`);
  else {
    d.facts.push('API: the API domain answers and accepts the token');
    for (const c of items) d.facts.push(`credential ${named(c)}: ${c.kind}, ${c.isActive ? 'active' : 'inactive'}`);
    // A key that is none of them: the signed request below would only say the same again.
    if (key && !matchKey(key, items, variables.credentialId, d)) return done(d);
  }

  // 2. Signing: a user action for POST /wallets, as a signed request gets it (the request itself is never sent).
  const post = await runFlow(variables, transport, 'POST', `${origin}/wallets`, now);
  if (post.problem) return done(d, post.problem);
  const signed = post.logs.filter((l) => l.startsWith('signed'))[0] || 'signed';
  d.facts.push(`signing: ${signed.replace(/ in \d+ ms$/, '')}, a user action the doctor never uses`);
  return done(d);
}

/** The diagnosis with this last problem, each problem once (a key refused when read is refused again by the signing). */
function done(d: Diagnosis, problem?: string): Diagnosis {
  return { facts: d.facts, problems: [...new Set(problem ? [...d.problems, problem] : d.problems)] };
}
