// What every client fake shares: a Dfns that answers the two exchange steps in memory, a token and a
// key to sign with, and what the signer asked Dfns to sign, read back from the exchange it sent.
import { generateKeyPairSync } from 'node:crypto';
import type { HttpRequest, HttpResponse } from '../../../src/clients/client';
import { CHALLENGE } from '../fake-client';

export const NOW = Date.UTC(2026, 11, 1);
export const now = () => NOW;
export const jwt = (exp: number) => `eyJhbGciOiJFZERTQSJ9.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.c2ln`;
export const TOKEN = jwt(NOW / 1000 + 3600);
export const PEM = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

/** The variables a signed request needs, Dfns on its own host. */
export const SIGNING_VARIABLES: Record<string, string> = { authToken: TOKEN, credentialPrivateKey: PEM, dfnsApiDomain: 'api.dfns.io' };

export type DfnsAnswer = (request: HttpRequest) => HttpResponse | Error;

/** An answer's headers (HttpResponse.headers) as a getter by name in any case, as the clients' header lists give them. */
export const headerGetter = (answer: HttpResponse) => (name: string) =>
  Object.entries(answer.headers ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] ?? null;

/** A Dfns that offers one credential and accepts any signature. */
export const acceptingDfns: DfnsAnswer = (request) =>
  request.url.endsWith('/auth/action/init')
    ? { status: 200, text: JSON.stringify(CHALLENGE) }
    : { status: 200, text: JSON.stringify({ userAction: 'ua-1' }) };

/** Method, path and payload of the user action the signer asked for, from its init request; undefined if none. */
export function signedFor(exchange: HttpRequest[]): { method: string; path: string; payload: string } | undefined {
  const init = exchange.find((r) => r.url.endsWith('/auth/action/init'));
  if (!init) return undefined;
  const body = JSON.parse(init.body);
  return { method: body.userActionHttpMethod, path: body.userActionHttpPath, payload: body.userActionPayload };
}

/** What a client puts on the wire for the main request, as its fake works it out after the script. */
export interface Wire {
  method: string;
  /** Scheme, host and port. */
  origin: string;
  /** Percent-encoded, as sent. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** The wire's header, by name in any case. */
export const wireHeader = (wire: Wire, name: string): string | undefined =>
  Object.entries(wire.headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

/** What newman, Bruno, Hoppscotch and httpyac do to a path before sending: new URL()'s encoding of it. */
export const encodedPath = (path: string): string => new URL(`http://h${path.startsWith('/') ? '' : '/'}${path}`).pathname;

let uuids = 0;
/** A fresh value at every call, as the clients' random dynamic variables give. */
export const freshUuid = () => `00000000-0000-4000-8000-${String(++uuids).padStart(12, '0')}`;
