// @ts-check
/**
 * Local emulator of the Dfns auth endpoints used by "User Action Signing".
 *
 * Plain Node ESM (no build step). Signatures are verified with node:crypto only, on purpose:
 * the product signs with @noble/curves, so the two sides are independent implementations.
 *
 * Modules: state.mjs (users, challenges, user actions, clock), tokens.mjs (JWT), auth.mjs (the Bearer
 * token), assertion.mjs (signature and attestation checks), catalogue.mjs (which routes need a user action), endpoints/
 * (one module per endpoint family: user-action.mjs, login.mjs, credentials.mjs, registration.mjs, key-stores.mjs;
 * api.mjs answers every other route), faults.mjs,
 * http.mjs (routing, answers, request log), control.mjs (the object startEmulator returns).
 * A new endpoint family is one module in endpoints/ that returns its routes (Route, http.mjs), listed in
 * `routes` below, with its route names added to RouteKind (faults.mjs).
 *
 * Protocol (see the research notes dfns-protocol.md, sections 1, 2, 3, 5, 6, 9):
 *   1. POST /auth/action/init  {userActionHttpMethod, userActionHttpPath, userActionPayload} -> challenge
 *   2. POST /auth/action       {challengeIdentifier, firstFactor: {kind:'Key', credentialAssertion}} -> {userAction}
 *   3. the real request with header `X-DFNS-USERACTION: <userAction>`
 * Every request needs `Authorization: Bearer <jwt issued by this emulator>`, except the two login steps:
 *   POST /auth/login/init {username, orgId} -> challenge; POST /auth/login {challengeIdentifier, firstFactor} -> {token}
 * (research 10; Dfns documents "No authentication required" for both).
 *
 * New credentials and forms (research §10):
 *   - POST /auth/credentials/init {kind:'Key'} -> challenge; POST /auth/credentials {credentialKind:'Key', credentialInfo:
 *     {credId, clientData, attestationData}, credentialName, challengeIdentifier} with a user action; the attestation is
 *     checked with node:crypto (assertion.mjs checkAttestation). GET /auth/credentials lists the caller's credentials
 *     (isActive); PUT /auth/credentials/deactivate and /activate {credentialUuid} (user action) switch one.
 *   - POST /auth/registration/init {orgId, username, registrationCode} (no token; users invited by control.inviteUser)
 *     -> challenge and temporaryAuthenticationToken; POST /auth/registration {firstFactorCredential} with that token.
 *   - POST /key-stores/{storeId}/{operation}/output: multipart/form-data of `data` (JSON with fileChecksum, the sha256
 *     hex of `file`) and `file`; the user action covers the text of `data`, as @dfns/sdk signs it.
 *
 * Assumptions where the research is silent (Dfns does not document them):
 *   - Every other route needs a Bearer token (the emulator is strict), except POST /auth/registration/init; a registration's
 *     temporary token (tokenKind 'Temp') is good for POST /auth/registration only, and nothing else is good there.
 *   - Create Credential refuses tokens of kind Pat and ServiceAccount with 403 at both steps (Dfns's reference marks it
 *     "not allowed" for them); any other kind (a login token: 'Token') may. Other credential kinds than Key: 400.
 *   - A credential challenge is used up by any completion attempt; a credId already taken (any user) is a 409.
 *   - POST /auth/credentials checks the user action first (as a middleware would), then the body.
 *   - A deactivated credential is not offered in allowCredentials and its assertions are refused (401).
 *   - Registration: a wrong organization, username or code is a 401 "Invalid registration code."; the user exists
 *     from registration/init on (token kind 'Token'), with no credential until POST /auth/registration.
 *   - A key-store output form with other fields than data and file, or a fileChecksum that does not match: 400.
 *   - Login: one org (its orgId); users log in by their username (addUser's), with an active Key credential.
 *     Another orgId: 401 "Org not found"; an unknown username: 401 "User not found" (the message research 5
 *     documents for /auth/action); the usernameless (passkey) flow and loginCode are not emulated.
 *   - Login challenges and user-action challenges are apart: neither completes the other (400 "Challenge token is
 *     not valid."). A signature by a key that is not one of the user's active credentials: 401, as at /auth/action.
 *   - A user with requiresSecondFactor: its login challenge says so (supportedCredentialKinds[].requiresSecondFactor);
 *     POST /auth/login without a secondFactor: 401 "Second factor required."; second factors are not emulated.
 *   - Login tokens: tokenKind 'Token', the username in https://custom/username, 15 minutes (option loginTokenTtlSeconds;
 *     Dfns: "a relatively short period").
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
 *   - After a busy answer with Retry-After: <seconds>, the route answers 429 to anything sooner (as a rate limiter would).
 */
import crypto from 'node:crypto';
import { checkedLatency, control } from './control.mjs';
import { apiRoute } from './endpoints/api.mjs';
import { credentialRoutes } from './endpoints/credentials.mjs';
import { keyStoreRoutes } from './endpoints/key-stores.mjs';
import { loginRoutes } from './endpoints/login.mjs';
import { registrationRoutes } from './endpoints/registration.mjs';
import { userActionRoutes } from './endpoints/user-action.mjs';
import { createFaults } from './faults.mjs';
import { serve } from './http.mjs';
import { createState } from './state.mjs';
import { createIssuer } from './tokens.mjs';

export { requiresUserAction } from './catalogue.mjs';
export { MESSAGES } from './errors.mjs';
export { makeToken } from './tokens.mjs';
/** @typedef {import('./faults.mjs').Fault} Fault */
/** @typedef {import('./faults.mjs').Faulting} Faulting */
/** @typedef {import('./faults.mjs').RouteKind} RouteKind */
/** @typedef {import('./http.mjs').RequestLogEntry} RequestLogEntry */

/**
 * `latencyMs`: every answer is held back that long, as over a network (setLatency changes it).
 * @param {{ port?: number, host?: string, challengeTtlSeconds?: number, userActionTtlSeconds?: number,
 *           loginTokenTtlSeconds?: number, orgId?: string, latencyMs?: number, onRequest?: (entry: RequestLogEntry) => void }} [options]
 */
export async function startEmulator(options = {}) {
  const { port = 0, host = '127.0.0.1', challengeTtlSeconds = 300, userActionTtlSeconds = 300, latencyMs = 0, onRequest } = options;
  const state = createState({
    orgId: options.orgId ?? `or-${crypto.randomUUID().slice(0, 18)}`,
    challengeTtlSeconds,
    userActionTtlSeconds,
    loginTokenTtlSeconds: options.loginTokenTtlSeconds ?? 900,
  });
  const emulation = { state, issuer: createIssuer(state) };
  const faults = createFaults();
  // One entry per endpoint family (emulator/endpoints/): its routes, each named for its faults.
  const routes = [
    ...userActionRoutes(emulation),
    ...loginRoutes(emulation),
    ...credentialRoutes(emulation),
    ...registrationRoutes(emulation),
    ...keyStoreRoutes(emulation),
  ];
  const latency = { ms: checkedLatency(latencyMs) };
  const server = await serve({ port, host, routes, fallback: apiRoute(emulation), emulation, faults, latency, onRequest });
  return control({ server, state, issuer: emulation.issuer, faults, latency });
}

/** @typedef {Awaited<ReturnType<typeof startEmulator>>} Emulator */
