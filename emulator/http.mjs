// @ts-check
// The HTTP plumbing: reads each request into the request log, picks its route, applies the route's
// fault, authenticates the caller, and answers the route's result or error as JSON.
import http from 'node:http';
import { authenticate } from './auth.mjs';
import { pathPattern } from './catalogue.mjs';
import { parseJson, splitTarget } from './encoding.mjs';
import { badRequest, DfnsError, errorBody } from './errors.mjs';

/**
 * One request received (status 0: not answered, connection reset).
 * @typedef {{ method: string, path: string, query: string, url: string, headers: Record<string, string|string[]|undefined>,
 *             body: string, status: number }} RequestLogEntry
 */
/** What the endpoint families work on. @typedef {{ state: import('./state.mjs').State, issuer: import('./tokens.mjs').Issuer }} Emulation */
/**
 * One authenticated request, as a route's handler gets it (`user` is a placeholder on a public route).
 * @typedef {{ user: import('./state.mjs').User, req: http.IncomingMessage, method: string, pathname: string, rawBody: Buffer,
 *             body: unknown }} Call
 */
/**
 * One route of an endpoint family (emulator/endpoints/*.mjs).
 * @typedef {object} Route
 * @property {import('./faults.mjs').RouteKind} name what its faults are set by: setFault({ [name]: … })
 * @property {string} [path] the pathname it answers, a catalogue template ('/auth/credentials/{credentialId}');
 *   the fallback route has none: it answers every other path
 * @property {string} [method] the only method it answers (others: 405)
 * @property {boolean} [jsonBody] the body must be JSON (400 otherwise), given parsed as call.body
 * @property {boolean} [public] no Bearer token needed (registration/init, the login steps); call.user is then a placeholder
 * @property {boolean} [temporary] only a registration's temporary token is good here (and nowhere else)
 * @property {(call: Call) => unknown} handle the JSON of the 200 answer (or a promise of it), or throws a DfnsError
 */

/** The caller of a public route: nobody. @type {import('./state.mjs').User} */
const ANONYMOUS = { userId: '', kind: 'Anonymous', credentials: [] };

/**
 * Listens on host:port until close(). `latency.ms`: how long every answer is held back, as a network
 * would (read at each answer, so it can change while the server runs; a reset gets no answer, at once).
 * @param {{ port: number, host: string, routes: Route[], fallback: Route, emulation: Emulation,
 *           faults: import('./faults.mjs').Faults, latency: { ms: number }, onRequest?: (entry: RequestLogEntry) => void }} options
 */
export async function serve({ port, host, routes, fallback, emulation, faults, latency, onRequest }) {
  const byPath = routes.map((route) => ({ route, regex: pathPattern(route.path ?? '') }));
  const routeOf = (/** @type {string} */ pathname) => byPath.find((r) => r.regex.test(pathname))?.route ?? fallback;
  /** @type {RequestLogEntry[]} */
  const requests = [];
  /** Answers held back by the latency, cancelled at close. @type {Set<NodeJS.Timeout>} */
  const held = new Set();

  /**
   * @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {RequestLogEntry} entry
   * @returns {import('./faults.mjs').Reply}
   */
  function replyTo(req, res, entry) {
    /** @type {import('./faults.mjs').Reply['send']} */
    const send = (status, text, contentType, reason, more) => {
      entry.status = status;
      /** @type {Record<string, string>} */
      const headers = { 'content-type': contentType, connection: 'close' };
      if (reason) headers['x-emulator-reason'] = reason.replace(/[^\x20-\x7e]/g, '?');
      const answer = () => {
        res.writeHead(status, { ...headers, ...more }).end(text);
        onRequest?.(entry);
      };
      if (!(latency.ms > 0)) return answer();
      const t = setTimeout(() => {
        held.delete(t);
        answer();
      }, latency.ms);
      held.add(t);
    };
    return {
      send,
      json: (status, value, reason, more) => send(status, JSON.stringify(value), 'application/json; charset=utf-8', reason, more),
      destroy() {
        entry.status = 0; // no answer: connection reset
        req.socket.destroy();
        onRequest?.(entry);
      },
      hang() {
        entry.status = 0; // no answer: the connection stays open until the client gives up or close() ends it
        onRequest?.(entry);
      },
    };
  }

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
  async function handle(req, res) {
    /** @type {Buffer[]} */ const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const rawBody = Buffer.concat(chunks);
    const method = req.method ?? 'GET';
    const { pathname, query } = splitTarget(req.url ?? '/');
    /** @type {RequestLogEntry} */
    const entry = {
      method,
      path: pathname,
      query,
      url: req.url ?? '/',
      headers: { ...req.headers },
      body: rawBody.toString('utf8'),
      status: 0,
    };
    requests.push(entry);
    const reply = replyTo(req, res, entry);

    const route = routeOf(pathname);
    const fault = faults.take(route.name);
    if (fault && (await faults.answer(fault, reply))) return;

    try {
      const user = route.public ? ANONYMOUS : authenticate(req, emulation, route.temporary);
      if (route.method && method !== route.method) throw new DfnsError(405, 'Method Not Allowed');
      const body = route.jsonBody ? parseJson(entry.body) : undefined;
      if (route.jsonBody && body === undefined) throw badRequest('Invalid request body.', 'body is not JSON');
      reply.json(200, await route.handle({ user, req, method, pathname, rawBody, body }));
    } catch (err) {
      if (err instanceof DfnsError) reply.json(err.status, errorBody(err.status, err.message), err.reason);
      else reply.json(500, errorBody(500, 'Internal Server Error'), String(err));
    }
  }

  const server = http.createServer({ keepAliveTimeout: 100 }, (req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    /** Every request received, in order (emptied by the emulator's reset). */
    requests,
    async close() {
      for (const t of held) clearTimeout(t);
      held.clear();
      const closed = new Promise((resolve) => server.close(() => resolve(undefined)));
      server.closeAllConnections();
      await closed;
    },
  };
}
