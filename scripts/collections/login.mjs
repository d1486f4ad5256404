// The requests of issue 17 part 1 and 3 in the collections: "Complete User Login", which the signer fills
// when dfnsUsername is set and whose own script keeps the token it answers, and "Check my setup"
// (GET /auth/credentials), whose script shows who authToken is and what Dfns says of it and of the
// credentials. Their scripts, per client; neither ever prints the token or a key.

/** "METHOD path" of Complete User Login. */
export const LOGIN_KEY = 'POST /auth/login';

export const LOGIN_NOTE =
  "Log in with the credential key: set dfnsUsername (and dfnsOrgId, unless authToken names the org): the pre-request script asks Dfns for the login challenge (Create Login Challenge), signs it with credentialPrivateKey and writes this body; this request's script keeps the token Dfns answers in the environment's authToken. Any other request logs in by itself the same way when authToken is unset, expired or within a minute of expiring.";

export const CHECK = {
  name: 'Check my setup',
  method: 'GET',
  path: '/auth/credentials',
  description:
    "`GET /auth/credentials`: who authToken is (user, org, kind, expiry, decoded from the token), whether the API domain answers and accepts it, and the token's credentials, active or not, with what would keep a signed request from working. Which credential credentialPrivateKey is, the command line says: `npx dfns-signer doctor -e <environment file>`. Never shows the token or a key.",
};

/**
 * The check, as plain JavaScript every client's script runs (no atob: Bruno's safe sandbox lacks it): the
 * facts to show and the problems, each with its fix.
 */
const CHECK_CORE = `function dfnsSetupCheck(status, text, token, credentialId, now) {
  var facts = [], problems = [], claims;
  try {
    var b64 = String(token || '').trim().replace(/^Bearer\\s+/i, '').split('.')[1], bits = 0, acc = 0, bytes = '';
    for (var i = 0; i < b64.length; i++) {
      acc = (acc << 6) | 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(b64[i]);
      if ((bits += 6) >= 8) bytes += '%' + ('0' + ((acc >> (bits -= 8)) & 255).toString(16)).slice(-2);
    }
    claims = JSON.parse(decodeURIComponent(bytes));
  } catch (e) {}
  if (!claims || typeof claims.exp !== 'number') problems.push('authToken is not set or is not a Dfns token: paste the token Dfns showed, or set dfnsUsername to log in');
  else {
    var meta = claims['https://custom/app_metadata'] || {}, left = Math.floor((claims.exp - now / 1000) / 60);
    facts.push('token: ' + (claims['https://custom/username'] || 'no username') + ', user ' + meta.userId + ', org ' + meta.orgId + ', kind ' + meta.tokenKind + ', ' + (left >= 0 ? 'expires in ' + left + ' min' : 'expired at ' + new Date(claims.exp * 1000).toISOString()));
    if (left < 0) problems.push('authToken expired: create a new token, or set dfnsUsername to log in with the credential key');
  }
  if (status === 401) problems.push('Dfns answered 401: the token is missing, malformed, expired or revoked, or for another region: check authToken and dfnsApiDomain');
  else if (status !== 200) problems.push('Dfns answered ' + status + ': check dfnsApiDomain (api.dfns.io, api.uae.dfns.io)');
  else {
    var items = [];
    try { items = JSON.parse(text).items || []; } catch (e) {}
    facts.push('Dfns answers and accepts the token');
    items.forEach(function (c) { facts.push('credential ' + c.credentialId + ' (' + c.name + '): ' + c.kind + ', ' + (c.isActive ? 'active' : 'inactive')); });
    var keys = items.filter(function (c) { return c.kind === 'Key' && c.isActive; });
    var named = items.filter(function (c) { return c.credentialId === credentialId; })[0];
    if (credentialId && !(named && named.isActive && named.kind === 'Key')) problems.push('credentialId ' + credentialId + ' is not an active Key credential of this token: set it to one listed, or unset it');
    else if (!credentialId && !keys.length) problems.push('the token has no active Key credential, so it cannot sign: use a token whose credential is a key pair');
    else if (!credentialId && keys.length > 1) problems.push('the token has several active Key credentials: set credentialId to the one whose private key is credentialPrivateKey');
  }
  return { ok: !problems.length, facts: facts, problems: problems };
}`;

const VERDICT =
  "r.ok ? 'Dfns setup: a signed request would work (npx dfns-signer doctor checks the key too)' : 'Dfns setup: ' + r.problems.join('; ')";

/** Postman, newman, Apidog: the facts as passing tests and in the visualizer, each problem as a failed test. */
export const postmanCheckScript = () =>
  [
    '// dfns-signer: Check my setup (never shows the token or a key).',
    CHECK_CORE,
    "var r = dfnsSetupCheck(pm.response.code, pm.response.text(), pm.variables.get('authToken'), pm.variables.get('credentialId'), Date.now());",
    "r.facts.forEach(function (f) { pm.test('Dfns setup: ' + f, function () {}); });",
    `pm.test(${VERDICT}, function () { if (!r.ok) throw new Error(r.problems.join('; ')); });`,
    "if (pm.visualizer) pm.visualizer.set('<ul>{{#each lines}}<li>{{this}}</li>{{/each}}</ul>', { lines: r.facts.concat(r.problems) });",
  ].join('\n');

/** Hoppscotch: the facts on the console, the verdict as the test. */
export const hoppscotchCheckScript = () =>
  [
    '// dfns-signer: Check my setup (never shows the token or a key).',
    CHECK_CORE,
    "var r = dfnsSetupCheck(hopp.response.statusCode, hopp.response.body.asText(), hopp.env.get('authToken'), hopp.env.get('credentialId'), Date.now());",
    "r.facts.forEach(function (f) { console.log('Dfns setup: ' + f); });",
    `hopp.test(${VERDICT}, function () { hopp.expect(r.ok).toBe(true); });`,
  ].join('\n');

/** Bruno (tests block): the facts as passing tests, the verdict as the last. */
export const brunoCheckScript = () =>
  [
    '// dfns-signer: Check my setup (never shows the token or a key).',
    CHECK_CORE,
    "var r = dfnsSetupCheck(res.getStatus(), JSON.stringify(res.getBody()), bru.interpolate('{{authToken}}'), bru.interpolate('{{credentialId}}').replace(/^\\{\\{credentialId\\}\\}$/, ''), Date.now());",
    "r.facts.forEach(function (f) { test('Dfns setup: ' + f, function () {}); });",
    `test(${VERDICT}, function () { expect(r.problems).to.eql([]); });`,
  ].join('\n');

/** Complete User Login's own script, after the status check: the token Dfns answered, kept in the environment; never printed. */
export const postmanLoginScript = () =>
  [
    '// dfns-signer: keeps the token this login answered as authToken for the next requests (never printed).',
    'var token;',
    'try { token = pm.response.code === 200 && pm.response.json().token; } catch (e) {}',
    "if (token) { pm.environment.set('authToken', token); pm.test('logged in: authToken kept in the environment', function () {}); }",
  ].join('\n');

export const hoppscotchLoginScript = () =>
  [
    '// dfns-signer: keeps the token this login answered as authToken for the next requests (never printed).',
    'var token;',
    'try { token = hopp.response.statusCode === 200 && hopp.response.body.asJSON().token; } catch (e) {}',
    "if (token) { hopp.env.set('authToken', token); hopp.test('logged in: authToken kept in the environment', function () { hopp.expect(!!token).toBe(true); }); }",
  ].join('\n');
