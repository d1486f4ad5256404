// A client in memory, for the flow's unit tests: it answers the Client interface from plain data,
// records every call in order, and stands in for Dfns with a scripted answer per exchange step.

import type { Client, HttpRequest, HttpResponse } from '../../src/clients/client';
import { mustacheReference, requestFacts } from '../../src/clients/shared';
import type { SignerError } from '../../src/errors';

export interface FakeRequest {
  method: string;
  url: string;
  body?: string;
  headers?: Record<string, string>;
  /** What its own auth setting sends as Authorization (`Bearer …`, `basic`). */
  auth?: string;
  unsendable?: SignerError;
}

export interface FakeOptions {
  variables?: Record<string, string>;
  /** Answer per exchange URL path; the default is a Dfns that offers one credential and accepts anything. */
  answer?: (request: HttpRequest) => HttpResponse | Error;
  stop?: 'skipped' | 'throw';
  /** A broken client: report() throws. */
  reportThrows?: boolean;
  /** A client that cannot replace the body (Yaak's plugins): no replaceBody. */
  unwritable?: boolean;
  /** A client without timers: no sleep(), so nothing is retried. */
  noSleep?: boolean;
  /** Every answer comes this many ms later, by a timer, as over a network; default at once. */
  latencyMs?: number;
  /** Where keepToken() keeps a token (it then sets authToken), or 'none' for a client without keepToken; default 'the environment'. */
  keeps?: string;
}

export const CHALLENGE = {
  challenge: 'Y2hhbGxlbmdl',
  challengeIdentifier: 'ci-1',
  allowCredentials: { key: [{ type: 'public-key', id: 'cr-1' }] },
};

/** What Dfns answers POST /auth/credentials/init and POST /auth/registration/init with (the fields the signer reads). */
export const NEW_CREDENTIAL_CHALLENGE = {
  challenge: 'bmV3LWNyZWRlbnRpYWw',
  challengeIdentifier: 'ci-new',
  temporaryAuthenticationToken: 'tt.temp.1',
};

/** The token the fake Dfns logs in with: org or-1, valid until 2100. */
export const LOGIN_TOKEN = `eyJhbGciOiJFZERTQSJ9.${Buffer.from(
  JSON.stringify({ exp: 4102444800, 'https://custom/app_metadata': { orgId: 'or-1', tokenKind: 'Token' } }),
).toString('base64url')}.c2ln`;

function dfns(request: HttpRequest): HttpResponse {
  if (/\/auth\/(action|login)\/init$/.test(request.url)) return { status: 200, text: JSON.stringify(CHALLENGE) };
  if (/\/auth\/(credentials|registration)\/init$/.test(request.url)) return { status: 200, text: JSON.stringify(NEW_CREDENTIAL_CHALLENGE) };
  if (request.url.endsWith('/auth/login')) return { status: 200, text: JSON.stringify({ token: LOGIN_TOKEN }) };
  return { status: 200, text: JSON.stringify({ userAction: 'ua-1' }) };
}

export function fakeClient(request: FakeRequest, options: FakeOptions = {}) {
  const calls: string[] = [];
  const sent: HttpRequest[] = [];
  const headers: Record<string, string> = {};
  const logs: string[] = [];
  const reported: SignerError[] = [];
  const written: string[] = [];
  /** The limit each send was given, and each wait asked of sleep(), in ms. */
  const limits: number[] = [];
  const sleeps: number[] = [];
  const variables = options.variables ?? {};
  const header = (name: string) => {
    const key = Object.keys(request.headers ?? {}).find((k) => k.toLowerCase() === name.toLowerCase());
    return key ? request.headers![key] : undefined;
  };
  const client: Client = {
    variable(name) {
      calls.push(`variable ${name}`);
      const value = variables[name];
      return value === undefined || value.trim() === '' ? undefined : value;
    },
    request() {
      calls.push('request');
      return requestFacts({ method: request.method, url: request.url, header, auth: request.auth, unsendable: request.unsendable });
    },
    body() {
      calls.push('body');
      return request.body ?? '';
    },
    unresolved: mustacheReference,
    freeze() {
      calls.push('freeze');
    },
    replaceBody: options.unwritable
      ? undefined
      : (json) => {
          calls.push('replaceBody');
          written.push(json);
        },
    async send(r, timeoutMs) {
      calls.push(`send ${new URL(r.url).pathname}`);
      sent.push(r);
      limits.push(timeoutMs);
      if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
      const answer = (options.answer ?? dfns)(r);
      if (answer instanceof Error) throw answer;
      return answer;
    },
    setHeader(name, value) {
      calls.push(`setHeader ${name}`);
      headers[name] = value;
    },
    log(line) {
      calls.push('log');
      logs.push(line);
    },
    report(error) {
      calls.push('report');
      if (options.reportThrows) throw new Error('no pm.test here');
      reported.push(error);
    },
    stop() {
      calls.push('stop');
      return options.stop ?? 'skipped';
    },
  };
  if (!options.noSleep)
    client.sleep = async (ms) => {
      calls.push(`sleep ${ms}`);
      sleeps.push(ms);
    };
  if (options.keeps !== 'none')
    client.keepToken = (token) => {
      calls.push('keepToken');
      variables.authToken = token;
      return options.keeps ?? 'the environment';
    };
  return { client, calls, sent, headers, logs, reported, written, limits, sleeps };
}
