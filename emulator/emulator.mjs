// @ts-check
/**
 * Local emulator of the Dfns auth endpoints used by "User Action Signing".
 *
 * Plain Node ESM (no build step). Signatures are verified with node:crypto only, on purpose:
 * the product signs with @noble/curves, so the two sides are independent implementations.
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
import http from 'node:http'
import crypto from 'node:crypto'
import { readFileSync } from 'node:fs'

/** @typedef {'init'|'complete'|'main'} RouteKind */
/** @typedef {{ status?: number, body?: string|object, delayMs?: number, nonJson?: boolean, destroy?: boolean, times?: number }} Fault */
/** @typedef {{ method: string, path: string, query: string, url: string, headers: Record<string, string|string[]|undefined>, body: string, status: number }} RequestLogEntry */
/** @typedef {{ id: string, kind: 'Key'|'Fido2', publicKey?: crypto.KeyObject }} Credential */
/** @typedef {{ userId: string, kind: string, credentials: Credential[] }} User */
/** @typedef {{ challenge: string, challengeIdentifier: string, userId: string, method: string, path: string, payload: string, expiresAt: number, used: boolean }} Challenge */
/** @typedef {{ userAction: string, userId: string, method: string, path: string, payload: string, expiresAt: number, used: boolean }} UserAction */

export const INIT_PATH = '/auth/action/init'
export const COMPLETE_PATH = '/auth/action'
const SIGNABLE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE', 'GET']
const SERVER_KINDS = ['Api', 'Staff']
const DIGESTS = { SHA256: 'sha256', SHA384: 'sha384', SHA512: 'sha512' }

/** Messages from research section 5 (Dfns docs), plus the documented assumptions above. */
export const MESSAGES = {
  notAuthorized: 'Not Authorized.',
  challengeInvalid: 'Challenge token is not valid.',
  noCredential: 'User does not have a credential that can be used for the application.',
  badSignature: 'Signature verification failed.',
  userActionInvalid: 'user action signature is missing or invalid',
  userActionUsed: 'user action has already been used',
}

/** Endpoint catalogue (collections/dfns-endpoints.json, the research catalogue): {method, path template, userAction}. */
const CATALOGUE = /** @type {{method: string, path: string, userAction: boolean}[]} */ (
  JSON.parse(readFileSync(new URL('../collections/dfns-endpoints.json', import.meta.url), 'utf8'))
)

// ---------------------------------------------------------------- encoding helpers

/** @param {string|Uint8Array} data */
const b64u = (data) => Buffer.from(data).toString('base64url')

/** Strict base64url: alphabet [A-Za-z0-9_-], no padding, canonical. Returns null when not. @param {unknown} s */
export function decodeBase64url(s) {
  if (typeof s !== 'string' || !/^[A-Za-z0-9_-]*$/.test(s)) return null
  const bytes = Buffer.from(s, 'base64url')
  return bytes.toString('base64url') === s ? bytes : null
}

/** @param {unknown} v @returns {v is Record<string, any>} */
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v)

/** @param {string} text */
function parseJson(text) {
  try { return JSON.parse(text) } catch { return undefined }
}

/** Split a request target into percent-encoded pathname and query (without '?'); fragments dropped. @param {string} target */
function splitTarget(target) {
  const noFragment = target.split('#')[0]
  const q = noFragment.indexOf('?')
  return q < 0 ? { pathname: noFragment, query: '' } : { pathname: noFragment.slice(0, q), query: noFragment.slice(q + 1) }
}

const randomDigits = () => crypto.randomBytes(8).readBigUInt64BE().toString()

// ---------------------------------------------------------------- tokens (JWT, EdDSA)

/**
 * Build a compact JWT. Signs with `privateKey` (any node:crypto private key; Ed25519 -> EdDSA).
 * Without a key, a throw-away Ed25519 key is used: the result is well-formed but its signature is not
 * the emulator's (handy for "bad signature" tests).
 * @param {Record<string, unknown>} claims
 * @param {crypto.KeyObject} [privateKey]
 * @param {Record<string, unknown>} [header]
 */
export function makeToken(claims, privateKey, header = { alg: 'EdDSA', typ: 'JWT' }) {
  const signingInput = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(claims))}`
  const key = privateKey ?? crypto.generateKeyPairSync('ed25519').privateKey
  return `${signingInput}.${b64u(crypto.sign(null, Buffer.from(signingInput), key))}`
}

/**
 * Verify a compact EdDSA JWT against `publicKey`; returns its claims or null.
 * @param {string} token @param {crypto.KeyObject} publicKey
 */
function verifyJwt(token, publicKey) {
  const parts = token.split('.')
  if (parts.length !== 3) return null
  const [h, c, s] = parts.map(decodeBase64url)
  if (!h || !c || !s) return null
  const header = parseJson(h.toString('utf8'))
  const claims = parseJson(c.toString('utf8'))
  if (!isObject(header) || header.alg !== 'EdDSA' || !isObject(claims)) return null
  const ok = crypto.verify(null, Buffer.from(`${parts[0]}.${parts[1]}`), publicKey, s)
  return ok ? claims : null
}

// ---------------------------------------------------------------- errors and responses

class DfnsError extends Error {
  /** @param {number} status @param {string} message @param {string} [reason] emulator-only detail, sent as header x-emulator-reason */
  constructor(status, message, reason) {
    super(message)
    this.status = status
    this.reason = reason ?? message
  }
}

/** Dfns error body (research 5): {"error":{"id","status","message","details"}}. @param {number} status @param {string} message */
export function errorBody(status, message) {
  return { error: { id: randomDigits(), status, message, details: {} } }
}

/** @param {string} message @param {string} [reason] */
const badRequest = (message, reason) => new DfnsError(400, message, reason)

// ---------------------------------------------------------------- signature verification (node:crypto)

/**
 * Verify a Key credential assertion over the clientData bytes (research 3):
 * EC (P-256, secp256k1, ...) = ECDSA DER with SHA-256 (or `algorithm`); Ed25519/Ed448 = raw, no pre-hash;
 * RSA = PKCS#1 v1.5 with SHA-256 (or `algorithm`).
 * @param {crypto.KeyObject} publicKey @param {string} digest @param {Buffer} data @param {Buffer} signature
 */
export function verifyAssertion(publicKey, digest, data, signature) {
  try {
    switch (publicKey.asymmetricKeyType) {
      case 'ec': return crypto.verify(digest, data, { key: publicKey, dsaEncoding: 'der' }, signature)
      case 'ed25519':
      case 'ed448': return crypto.verify(null, data, publicKey, signature)
      case 'rsa': return crypto.verify(digest, data, { key: publicKey, padding: crypto.constants.RSA_PKCS1_PADDING }, signature)
      default: return false
    }
  } catch {
    return false // malformed DER, wrong length, ...
  }
}

// ---------------------------------------------------------------- endpoint catalogue

const COMPILED = CATALOGUE.map((e) => ({
  ...e,
  params: (e.path.match(/\{[^}]+\}/g) ?? []).length,
  regex: new RegExp(`^${e.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
}))

/** Most specific catalogue entry (fewest {params}) for method + pathname, or undefined. @param {string} method @param {string} pathname */
export function findEndpoint(method, pathname) {
  return COMPILED.filter((e) => e.method === method && e.regex.test(pathname)).sort((a, b) => a.params - b.params)[0]
}

/** GET/HEAD never; catalogue flag otherwise; unknown routes: yes (strict). @param {string} method @param {string} pathname */
export function requiresUserAction(method, pathname) {
  if (method === 'GET' || method === 'HEAD') return false
  return findEndpoint(method, pathname)?.userAction ?? true
}

// ---------------------------------------------------------------- the emulator

/**
 * @param {{ port?: number, host?: string, challengeTtlSeconds?: number, userActionTtlSeconds?: number,
 *           orgId?: string, onRequest?: (entry: RequestLogEntry) => void }} [options]
 */
export async function startEmulator(options = {}) {
  const { port = 0, host = '127.0.0.1', challengeTtlSeconds = 300, userActionTtlSeconds = 300, onRequest } = options
  const orgId = options.orgId ?? `or-${crypto.randomUUID().slice(0, 18)}`
  const issuer = crypto.generateKeyPairSync('ed25519')

  /** @type {Map<string, User>} */ const users = new Map()
  /** @type {Map<string, Challenge>} */ const challenges = new Map()
  /** @type {Map<string, UserAction>} */ const userActions = new Map()
  /** @type {RequestLogEntry[]} */ const requests = []
  /** @type {string[]} */ const usedUserActions = []
  /** @type {Partial<Record<RouteKind, Fault>>} */ let faults = {}
  /** @type {Set<NodeJS.Timeout>} */ const timers = new Set()
  let clockOffsetMs = 0
  const now = () => Date.now() + clockOffsetMs

  /** @param {number} ms */
  const sleep = (ms) => new Promise((resolve) => {
    const t = setTimeout(() => { timers.delete(t); resolve(undefined) }, ms)
    timers.add(t)
  })

  /** @param {{ userId: string, expiresInSeconds?: number, kind?: string, claims?: Record<string, unknown> }} o */
  function token({ userId, expiresInSeconds = 3600, kind, claims = {} }) {
    const iat = Math.floor(now() / 1000)
    const tokenKind = kind ?? users.get(userId)?.kind ?? 'Pat'
    return makeToken({
      iss: 'auth.dfns.io', aud: 'dfns:auth:user', sub: orgId, jti: `to-${crypto.randomUUID()}`,
      'https://custom/app_metadata': { userId, orgId, tokenKind },
      iat, exp: iat + expiresInSeconds, ...claims,
    }, issuer.privateKey)
  }

  /** Opaque JWT-like handle for challenges and user actions. @param {string} aud @param {string} userId @param {number} expiresAt */
  const opaqueHandle = (aud, userId, expiresAt) => makeToken(
    { iss: 'auth.dfns.io', aud, sub: userId, jti: crypto.randomUUID(), exp: Math.floor(expiresAt / 1000) }, issuer.privateKey)

  // ---- step 0: authenticate the caller (Bearer JWT)
  /** @param {http.IncomingMessage} req @returns {User} */
  function authenticate(req) {
    const header = req.headers.authorization
    if (!header) throw new DfnsError(401, MESSAGES.notAuthorized, 'authorization header missing')
    const m = /^Bearer +(\S+)$/i.exec(header)
    if (!m) throw new DfnsError(401, MESSAGES.notAuthorized, 'authorization header is not "Bearer <token>"')
    const claims = verifyJwt(m[1], issuer.publicKey)
    if (!claims) throw new DfnsError(401, MESSAGES.notAuthorized, 'token malformed or not signed by this emulator')
    if (claims.iss !== 'auth.dfns.io' || claims.aud !== 'dfns:auth:user' || claims.sub !== orgId) {
      throw new DfnsError(401, MESSAGES.notAuthorized, 'token issuer, audience or organization mismatch')
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now()) throw new DfnsError(401, MESSAGES.notAuthorized, 'token expired')
    const user = users.get(claims['https://custom/app_metadata']?.userId)
    if (!user) throw new DfnsError(401, MESSAGES.notAuthorized, 'unknown user')
    return user
  }

  // ---- step 1: POST /auth/action/init
  /** @param {User} user @param {unknown} body */
  function createUserActionChallenge(user, body) {
    if (!isObject(body)) throw badRequest('Invalid request body.', 'body must be a JSON object')
    const { userActionHttpMethod: method, userActionHttpPath: path, userActionPayload: payload, userActionServerKind: serverKind } = body
    if (typeof method !== 'string' || !SIGNABLE_METHODS.includes(method)) {
      throw badRequest(`userActionHttpMethod must be one of ${SIGNABLE_METHODS.join(', ')}.`)
    }
    if (typeof path !== 'string' || path.length === 0) throw badRequest('userActionHttpPath must be a non-empty string.')
    if (typeof payload !== 'string') throw badRequest('userActionPayload must be a string.')
    if (serverKind !== undefined && !SERVER_KINDS.includes(serverKind)) throw badRequest('userActionServerKind must be one of Api, Staff.')

    const expiresAt = now() + challengeTtlSeconds * 1000
    // Real challenges look like base64url(64 hex chars) (research 1.1 example).
    const challenge = b64u(crypto.randomBytes(32).toString('hex'))
    const challengeIdentifier = opaqueHandle('dfns:auth:challenge', user.userId, expiresAt)
    challenges.set(challengeIdentifier, {
      challenge, challengeIdentifier, userId: user.userId, method, path: splitTarget(path).pathname, payload, expiresAt, used: false,
    })
    const keys = user.credentials.filter((c) => c.kind === 'Key')
    const fido2 = user.credentials.filter((c) => c.kind === 'Fido2')
    return {
      challenge,
      challengeIdentifier,
      rp: { id: 'dfns.io', name: 'Dfns' },
      supportedCredentialKinds: [
        { kind: 'Key', factor: 'first', requiresSecondFactor: false },
        { kind: 'Fido2', factor: 'first', requiresSecondFactor: false },
      ],
      userVerification: 'required',
      attestation: 'none',
      allowCredentials: {
        key: keys.map((c) => ({ type: 'public-key', id: c.id })),
        passwordProtectedKey: [],
        webauthn: fido2.map((c) => ({ type: 'public-key', id: c.id })),
      },
      externalAuthenticationUrl: '',
    }
  }

  // ---- step 2: POST /auth/action
  /** @param {User} user @param {unknown} body */
  function createUserActionSignature(user, body) {
    if (!isObject(body)) throw badRequest('Invalid request body.', 'body must be a JSON object')
    const stored = typeof body.challengeIdentifier === 'string' ? challenges.get(body.challengeIdentifier) : undefined
    if (!stored) throw badRequest(MESSAGES.challengeInvalid, 'unknown challengeIdentifier')
    if (stored.userId !== user.userId) throw badRequest(MESSAGES.challengeInvalid, 'challenge belongs to another user')
    if (stored.used) throw badRequest(MESSAGES.challengeInvalid, 'challenge already used')
    if (stored.expiresAt <= now()) throw badRequest(MESSAGES.challengeInvalid, 'challenge expired')
    stored.used = true // assumption: any completion attempt consumes the challenge

    const factor = body.firstFactor
    if (!isObject(factor)) throw badRequest('firstFactor is required.')
    if (factor.kind !== 'Key') throw badRequest(`Credential kind ${String(factor.kind)} is not supported.`, 'only Key first factors are emulated')
    const assertion = factor.credentialAssertion
    if (!isObject(assertion) || typeof assertion.credId !== 'string' || typeof assertion.clientData !== 'string' ||
        typeof assertion.signature !== 'string' || (assertion.algorithm != null && typeof assertion.algorithm !== 'string')) {
      throw badRequest('credentialAssertion must have string credId, clientData and signature.')
    }
    const credential = user.credentials.find((c) => c.kind === 'Key' && c.id === assertion.credId)
    if (!credential?.publicKey) throw new DfnsError(401, MESSAGES.noCredential, `credId ${assertion.credId} is not a Key credential of this user`)

    const clientDataBytes = decodeBase64url(assertion.clientData)
    if (!clientDataBytes) throw badRequest('clientData is not valid.', 'clientData is not base64url (no padding, -_ alphabet)')
    const clientData = parseJson(clientDataBytes.toString('utf8'))
    if (!isObject(clientData)) throw badRequest('clientData is not valid.', 'clientData is not a JSON object')
    if (clientData.type !== 'key.get') throw badRequest('clientData is not valid.', `clientData.type is ${JSON.stringify(clientData.type)}, expected "key.get"`)
    if (clientData.challenge !== stored.challenge) throw badRequest('clientData is not valid.', 'clientData.challenge does not match the challenge')

    const signature = decodeBase64url(assertion.signature)
    if (!signature) throw badRequest('signature is not valid.', 'signature is not base64url')
    const digest = DIGESTS[/** @type {keyof typeof DIGESTS} */ ((assertion.algorithm ?? 'SHA256').toUpperCase())]
    if (!digest) throw badRequest(`Unsupported algorithm ${assertion.algorithm}.`)
    if (!verifyAssertion(credential.publicKey, digest, clientDataBytes, signature)) {
      throw new DfnsError(401, MESSAGES.badSignature, `signature does not verify (${credential.publicKey.asymmetricKeyType}, ${digest})`)
    }

    const expiresAt = now() + userActionTtlSeconds * 1000
    const userAction = opaqueHandle('dfns:auth:user-action', user.userId, expiresAt)
    userActions.set(userAction, { userAction, userId: user.userId, method: stored.method, path: stored.path, payload: stored.payload, expiresAt, used: false })
    return { userAction }
  }

  // ---- step 3: the real request (X-DFNS-USERACTION)
  /** @param {User} user @param {http.IncomingMessage} req @param {string} method @param {string} pathname @param {Buffer} rawBody */
  function consumeUserAction(user, req, method, pathname, rawBody) {
    const header = req.headers['x-dfns-useraction']
    const record = typeof header === 'string' ? userActions.get(header) : undefined
    const invalid = (/** @type {string} */ reason) => new DfnsError(403, MESSAGES.userActionInvalid, reason)
    if (!record) throw invalid(header ? 'unknown user action' : 'x-dfns-useraction header missing')
    if (record.userId !== user.userId) throw invalid('user action belongs to another user')
    if (record.used) throw badRequest(MESSAGES.userActionUsed)
    if (record.expiresAt <= now()) throw invalid('user action expired')
    if (record.method !== method) throw invalid(`signed method ${record.method}, request method ${method}`)
    if (record.path !== pathname) throw invalid(`signed path ${record.path}, request path ${pathname}`)
    if (!Buffer.from(record.payload, 'utf8').equals(rawBody)) throw invalid('signed payload differs from the request body (exact bytes)')
    record.used = true
    usedUserActions.push(record.userAction)
  }

  /** @param {User} user @param {http.IncomingMessage} req @param {string} method @param {string} pathname @param {Buffer} rawBody */
  function handleMainRequest(user, req, method, pathname, rawBody) {
    if (method === 'GET' || method === 'HEAD') return { ok: true, method, path: pathname }
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) throw new DfnsError(405, 'Method Not Allowed')
    const text = rawBody.toString('utf8')
    const echo = { ok: true, method, path: pathname, body: text === '' ? null : parseJson(text) ?? text }
    if (!requiresUserAction(method, pathname)) return { ...echo, userActionUsed: false }
    consumeUserAction(user, req, method, pathname, rawBody)
    return { ...echo, userActionUsed: true }
  }

  // ---- HTTP plumbing
  /** @param {RouteKind} route */
  function takeFault(route) {
    const fault = faults[route]
    if (fault && fault.times !== undefined && --fault.times <= 0) delete faults[route]
    return fault
  }

  /**
   * @param {http.ServerResponse} res @param {RequestLogEntry} entry @param {number} status
   * @param {string} text @param {string} contentType @param {string} [reason]
   */
  function send(res, entry, status, text, contentType, reason) {
    entry.status = status
    /** @type {Record<string, string>} */
    const headers = { 'content-type': contentType, connection: 'close' }
    if (reason) headers['x-emulator-reason'] = reason.replace(/[^\x20-\x7e]/g, '?')
    res.writeHead(status, headers).end(text)
    onRequest?.(entry)
  }
  /** @param {http.ServerResponse} res @param {RequestLogEntry} entry @param {number} status @param {unknown} json @param {string} [reason] */
  const sendJson = (res, entry, status, json, reason) => send(res, entry, status, JSON.stringify(json), 'application/json; charset=utf-8', reason)

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {RequestLogEntry} entry @param {Fault} fault */
  async function answerWithFault(req, res, entry, fault) {
    if (fault.delayMs) await sleep(fault.delayMs)
    if (fault.destroy) {
      entry.status = 0 // no answer: connection reset
      req.socket.destroy()
      onRequest?.(entry)
      return true
    }
    if (fault.status === undefined && !fault.nonJson && fault.body === undefined) return false // delay only: process normally
    const status = fault.status ?? (fault.nonJson ? 502 : 500)
    if (fault.nonJson) send(res, entry, status, '<html>502 Bad Gateway</html>', 'text/html', 'fault')
    else if (typeof fault.body === 'string') send(res, entry, status, fault.body, 'application/json; charset=utf-8', 'fault')
    else sendJson(res, entry, status, fault.body ?? errorBody(status, http.STATUS_CODES[status] ?? 'Error'), 'fault')
    return true
  }

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
  async function handle(req, res) {
    /** @type {Buffer[]} */ const chunks = []
    for await (const chunk of req) chunks.push(chunk)
    const rawBody = Buffer.concat(chunks)
    const method = req.method ?? 'GET'
    const { pathname, query } = splitTarget(req.url ?? '/')
    /** @type {RequestLogEntry} */
    const entry = { method, path: pathname, query, url: req.url ?? '/', headers: { ...req.headers }, body: rawBody.toString('utf8'), status: 0 }
    requests.push(entry)

    /** @type {RouteKind} */
    const route = pathname === INIT_PATH ? 'init' : pathname === COMPLETE_PATH ? 'complete' : 'main'
    const fault = takeFault(route)
    if (fault && await answerWithFault(req, res, entry, fault)) return

    try {
      const user = authenticate(req)
      let result
      if (route === 'main') result = handleMainRequest(user, req, method, pathname, rawBody)
      else if (method !== 'POST') throw new DfnsError(405, 'Method Not Allowed')
      else {
        const body = parseJson(entry.body)
        if (body === undefined) throw badRequest('Invalid request body.', 'body is not JSON')
        result = route === 'init' ? createUserActionChallenge(user, body) : createUserActionSignature(user, body)
      }
      sendJson(res, entry, 200, result)
    } catch (err) {
      if (err instanceof DfnsError) sendJson(res, entry, err.status, errorBody(err.status, err.message), err.reason)
      else sendJson(res, entry, 500, errorBody(500, 'Internal Server Error'), String(err))
    }
  }

  const server = http.createServer({ keepAliveTimeout: 100 }, (req, res) => {
    handle(req, res).catch(() => req.socket.destroy())
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve(undefined))
  })
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address

  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    orgId,
    /** Public half of the emulator's token-signing key. */
    issuerPublicKey: issuer.publicKey,
    requests,
    usedUserActions,
    /**
     * Register a user. Credentials: {id, publicKey (PEM/KeyObject/DER), kind?: 'Key'} or {id, kind: 'Fido2'} (no key).
     * @param {{ credentials?: { id: string, publicKey?: string|Buffer|crypto.KeyObject, kind?: 'Key'|'Fido2' }[], kind?: string, userId?: string }} [spec]
     */
    addUser({ credentials = [], kind = 'Pat', userId = `us-${crypto.randomUUID().slice(0, 18)}` } = {}) {
      if (users.has(userId)) throw new Error(`user ${userId} already exists`)
      const creds = credentials.map(({ id, publicKey, kind: credKind = 'Key' }) => {
        if (typeof id !== 'string' || !id) throw new Error('credential id must be a non-empty string')
        if (credKind === 'Fido2') return /** @type {Credential} */ ({ id, kind: 'Fido2' })
        if (credKind !== 'Key') throw new Error(`unsupported credential kind ${credKind}`)
        if (!publicKey) throw new Error(`credential ${id}: publicKey is required`)
        const key = publicKey instanceof crypto.KeyObject && publicKey.type === 'public' ? publicKey : crypto.createPublicKey(/** @type {any} */ (publicKey))
        return /** @type {Credential} */ ({ id, kind: 'Key', publicKey: key })
      })
      users.set(userId, { userId, kind, credentials: creds })
      return { userId, orgId, token: token({ userId }) }
    },
    /** A JWT signed by the emulator for `userId` (not checked: unknown users give 401 at use). Negative expiresInSeconds = expired. */
    token,
    /** Sign arbitrary claims with the emulator's key (for tests of claim checks). @param {Record<string, unknown>} claims */
    signToken: (claims) => makeToken(claims, issuer.privateKey),
    mainRequests: () => requests.filter((r) => r.path !== INIT_PATH && r.path !== COMPLETE_PATH),
    /** @param {Partial<Record<RouteKind, Fault>>} f replaces the faults of the routes named */
    setFault(f) { faults = { ...faults, ...Object.fromEntries(Object.entries(f).map(([k, v]) => [k, { ...v }])) } },
    clearFaults() { faults = {} },
    /** Move the emulator's clock (tokens, challenges, user actions) forward. @param {number} seconds */
    advanceClock(seconds) { clockOffsetMs += seconds * 1000 },
    reset() {
      requests.length = 0
      usedUserActions.length = 0
      challenges.clear()
      userActions.clear()
      faults = {}
      clockOffsetMs = 0
    },
    async close() {
      for (const t of timers) clearTimeout(t)
      timers.clear()
      const closed = new Promise((resolve) => server.close(() => resolve(undefined)))
      server.closeAllConnections()
      await closed
    },
  }
}

/** @typedef {Awaited<ReturnType<typeof startEmulator>>} Emulator */
