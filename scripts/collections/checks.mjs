// The status check every generated request carries (and `dfns-signer inject --add-status-check` adds): a test,
// run after the answer, that fails when Dfns answers other than 2xx and names the status and Dfns's own message
// (`{"error": {"message": …}}`, or an older `{"message": …}`), so that a refused request makes the run red
// (newman, the Postman CLI, Apidog, `bru run`, `hopp test`, httpyac exit non-zero). One text per scripting API;
// each first line is STATUS_CHECK_MARKER, by which inject recognises a check it wrote. A request that was not
// sent (the signer stopped it: the run has failed already, with the signer's line) gets no second failure.
// Insomnia runs it as the request's after-response script; Yaak has no scripts, so its workspace has none.

export const STATUS_CHECK_MARKER = '// dfns-signer status check: the run fails when Dfns answers other than 2xx, with its message';

/**
 * The check in one scripting API: `status` (a JS expression, undefined or not a number when no answer came), the
 * body's text and a fallback for an empty body (JS expressions), and the lines that report the test named `name`.
 * Compact on purpose: the full Postman and Hoppscotch collections carry one copy per request.
 * @param {{ status: string, skip?: string, text: string, fallback: string, test: (name: string) => string[] }} api
 */
const check = ({ status, skip = '', text, fallback, test }) => [
  STATUS_CHECK_MARKER,
  '(function () {',
  `  var status = ${status}, message = "", text, body;`,
  `  if (typeof status !== "number"${skip}) return;`,
  '  if (status < 200 || status > 299) {',
  `    text = String(${text} || "");`,
  '    try { body = JSON.parse(text); message = (body && body.error && body.error.message) || (body && body.message) || ""; } catch (e) {}',
  `    message = ": " + String(message || text.slice(0, 200) || ${fallback});`,
  '  }',
  ...test('"Dfns answered " + status + message'),
  '})();',
];

/** Postman, newman, the Postman CLI and Apidog (pm): lines of a `test` event. */
export const POSTMAN_STATUS_CHECK = check({
  status: 'pm.response && pm.response.code',
  text: 'pm.response.text()',
  fallback: 'pm.response.status',
  test: (name) => [`  pm.test(${name}, function () { pm.expect(status, "HTTP status").to.be.within(200, 299); });`],
});

/** Bruno (res, test, expect): the text of a request's `tests` block (res.getBody() is parsed JSON when it can be). */
export const BRUNO_STATUS_CHECK = check({
  status: 'res && typeof res.getStatus === "function" ? res.getStatus() : undefined',
  text: 'typeof res.getBody() === "string" ? res.getBody() : JSON.stringify(res.getBody())',
  fallback: 'status',
  test: (name) => [`  test(${name}, function () { expect(status).to.be.within(200, 299); });`],
}).join('\n');

/**
 * Hoppscotch (hopp, the experimental sandbox): a request's test script. `hopp test` gives a request that got no
 * answer (a refused connection, the signer's unsendable URL) a made-up 400 without headers: not Dfns's.
 */
export const HOPPSCOTCH_STATUS_CHECK = check({
  status: 'hopp.response.statusCode',
  skip: ' || !hopp.response.headers || hopp.response.headers.length === 0',
  text: 'hopp.response.body.asText()',
  fallback: 'status',
  test: (name) => [`  hopp.test(${name}, function () { hopp.expect(status).toBeLevel2xx(); });`],
}).join('\n');

/** Insomnia (insomnia.response, insomnia.test): a request's after-response script. */
export const INSOMNIA_STATUS_CHECK = check({
  status: 'insomnia.response && insomnia.response.code',
  text: 'insomnia.response.text()',
  fallback: 'insomnia.response.status',
  test: (name) => [`  insomnia.test(${name}, function () { insomnia.expect(status).to.be.within(200, 299); });`],
}).join('\n');

/** httpyac (response, test): the body of a file-wide `{{+response … }}` block, run after every request of the file. */
export const HTTPYAC_STATUS_CHECK = check({
  status: 'response.statusCode',
  text: 'typeof response.body === "string" ? response.body : JSON.stringify(response.body)',
  fallback: 'response.statusMessage',
  test: (name) => [
    `  test(${name}, function () {`,
    '    if (status < 200 || status > 299) throw new Error("expected a 2xx status, got " + status);',
    '  });',
  ],
}).join('\n');
