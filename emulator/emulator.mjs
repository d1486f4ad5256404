// @ts-check
/**
 * Local emulator of the Dfns auth endpoints used by "User Action Signing".
 *
 * Plain Node ESM (no build step). Signatures are verified with node:crypto only, on purpose:
 * the product signs with @noble/curves, so the two sides are independent implementations.
 *
 * Modules: state.mjs (users, challenges, user actions, clock), tokens.mjs (JWT), auth.mjs (the Bearer
 * token), assertion.mjs (signature checks), catalogue.mjs (which routes need a user action), endpoints/
 * (one module per endpoint family: user-action.mjs; api.mjs answers every other route), faults.mjs,
 * http.mjs (routing, answers, request log), control.mjs (the object startEmulator returns).
 * A new endpoint family is one module in endpoints/ that returns its routes (Route, http.mjs), listed in
 * `routes` below, with its route names added to RouteKind (faults.mjs).
 *
 * Protocol (see the research notes dfns-protocol.md, sections 1, 2, 3, 5, 6, 9):
 *   1. POST /auth/action/init  {userActionHttpMethod, userActionHttpPath, userActionPayload} -> challenge
 *   2. POST /auth/action       {challengeIdentifier, firstFactor: {kind:'Key', credentialAssertion}} -> {userAction}
 *   3. the real request with header `X-DFNS-USERACTION: <userAction>`
 * Every request needs `Authorization: Bearer <jwt issued by this emulator>`.
 *
 * Assumptions where the research is silent (Dfns does not document them):
 *   - ALL routes need a Bearer token, even the login/registration ones (the emulator is strict).
 *   - Challenge and user-action lifetimes: 5 minutes each (options challengeTtlSeconds, userActionTtlSeconds).
 *   - A challenge is consumed by ANY completion attempt of its owner, successful or not.
 *   - Bad signature on /auth/action: 401 "Signature verification failed.".
 *     Undecodable clientData/signature, wrong clientData type/challenge, unsupported factor kind: 400.
 *   - A user action is consumed only when it matches the request; a mismatching request (403) leaves it usable.
 *   - Payload binding is exact byte equality with the raw request body ("" = no body). No JSON-equal fallback
 *     (research 1.4 allows one): the product promises to send exactly the bytes it signed, so the emulator
 *     must catch any difference, including whitespace or key order.
 *   - Path binding is exact on the percent-encoded pathname; a query string is stripped from
 *     userActionHttpPath and ignored on the request.
 *   - A route unknown to the endpoint catalogue needs a user action unless it is GET/HEAD.
 *   - The signed method may be POST, PUT, PATCH, DELETE or GET (docs list POST/PUT/DELETE/GET; PATCH added).
 *   - Content-Type is not checked.
 *   - Faults replace the whole processing: a faulted request consumes no challenge or user action.
 */
import crypto from 'node:crypto';
import { control } from './control.mjs';
import { apiRoute } from './endpoints/api.mjs';
import { userActionRoutes } from './endpoints/user-action.mjs';
import { createFaults } from './faults.mjs';
import { serve } from './http.mjs';
import { createState } from './state.mjs';
import { createIssuer } from './tokens.mjs';

export { requiresUserAction } from './catalogue.mjs';
export { MESSAGES } from './errors.mjs';
export { makeToken } from './tokens.mjs';
/** @typedef {import('./faults.mjs').Fault} Fault */
/** @typedef {import('./faults.mjs').RouteKind} RouteKind */
/** @typedef {import('./http.mjs').RequestLogEntry} RequestLogEntry */

/**
 * @param {{ port?: number, host?: string, challengeTtlSeconds?: number, userActionTtlSeconds?: number,
 *           orgId?: string, onRequest?: (entry: RequestLogEntry) => void }} [options]
 */
export async function startEmulator(options = {}) {
  const { port = 0, host = '127.0.0.1', challengeTtlSeconds = 300, userActionTtlSeconds = 300, onRequest } = options;
  const state = createState({
    orgId: options.orgId ?? `or-${crypto.randomUUID().slice(0, 18)}`,
    challengeTtlSeconds,
    userActionTtlSeconds,
  });
  const emulation = { state, issuer: createIssuer(state) };
  const faults = createFaults();
  // One entry per endpoint family (emulator/endpoints/): its routes, each named for its faults.
  const routes = [...userActionRoutes(emulation)];
  const server = await serve({ port, host, routes, fallback: apiRoute(emulation), emulation, faults, onRequest });
  return control({ server, state, issuer: emulation.issuer, faults });
}

/** @typedef {Awaited<ReturnType<typeof startEmulator>>} Emulator */
