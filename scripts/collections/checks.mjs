// The status check every generated request carries (and `dfns-signer inject --add-status-check` adds): a test,
// run after the answer, that fails when Dfns answers other than 2xx and names the status and Dfns's own message
// (`{"error": {"message": …}}`, or an older `{"message": …}`), so that a refused request makes the run red
// (newman, the Postman CLI, Apidog, `bru run`, `hopp test`, httpyac exit non-zero). One text per scripting API;
// each first line is STATUS_CHECK_MARKER, by which inject recognises a check it wrote. A request that was not
// sent (the signer stopped it: the run has failed already, with the signer's line) gets no second failure.
// Insomnia runs it as the request's after-response script; Yaak has no scripts, so its workspace has none.

export const STATUS_CHECK_MARKER = '// dfns-signer status check: the run fails when Dfns answers other than 2xx, with its message';

/** The test's name, in every client: `Dfns answered 200`, `Dfns answered 403: <Dfns's message>`. */
const NAME = '"Dfns answered " + status + (status >= 200 && status <= 299 ? "" : ": " + message)';

/**
 * Dfns's message from the body text `text` (a JS expression), into `message`: the error's message, else the
 * body's first 200 characters, else `fallback` (a JS expression).
 * @param {string} text @param {string} fallback
 */
const readMessage = (text, fallback) => [
  '  var message = "";',
  '  if (status < 200 || status > 299) {',
  `    var text = String(${text} || "");`,
  '    try {',
  '      var body = JSON.parse(text);',
  '      message = (body && body.error && body.error.message) || (body && body.message) || "";',
  '    } catch (e) {}',
  `    message = String(message || text.slice(0, 200) || ${fallback});`,
  '  }',
];

/** Postman, newman, the Postman CLI and Apidog (pm): lines of a `test` event. */
export const POSTMAN_STATUS_CHECK = [
  STATUS_CHECK_MARKER,
  '(function () {',
  '  var status = pm.response && pm.response.code;',
  '  if (typeof status !== "number") return;',
  ...readMessage('pm.response.text()', 'pm.response.status'),
  `  pm.test(${NAME}, function () {`,
  '    pm.expect(status, "HTTP status").to.be.within(200, 299);',
  '  });',
  '})();',
];

/** Bruno (res, test, expect): the text of a request's `tests` block. */
export const BRUNO_STATUS_CHECK = [
  STATUS_CHECK_MARKER,
  '(function () {',
  '  var status = res && typeof res.getStatus === "function" ? res.getStatus() : undefined;',
  '  if (typeof status !== "number") return;',
  ...readMessage('typeof res.getBody() === "string" ? res.getBody() : JSON.stringify(res.getBody())', 'status'),
  `  test(${NAME}, function () {`,
  '    expect(status).to.be.within(200, 299);',
  '  });',
  '})();',
].join('\n');

/**
 * Hoppscotch (hopp, the experimental sandbox): a request's test script. `hopp test` gives a request that got no
 * answer (a refused connection, the signer's unsendable URL) a made-up 400 without headers: not Dfns's.
 */
export const HOPPSCOTCH_STATUS_CHECK = [
  STATUS_CHECK_MARKER,
  '(function () {',
  '  var status = hopp.response.statusCode;',
  '  if (typeof status !== "number" || !hopp.response.headers || hopp.response.headers.length === 0) return;',
  ...readMessage('hopp.response.body.asText()', 'status'),
  `  hopp.test(${NAME}, function () {`,
  '    hopp.expect(status).toBeLevel2xx();',
  '  });',
  '})();',
].join('\n');

/** Insomnia (insomnia.response, insomnia.test): a request's after-response script. */
export const INSOMNIA_STATUS_CHECK = [
  STATUS_CHECK_MARKER,
  '(function () {',
  '  var status = insomnia.response && insomnia.response.code;',
  '  if (typeof status !== "number") return;',
  ...readMessage('insomnia.response.text()', 'insomnia.response.status'),
  `  insomnia.test(${NAME}, function () {`,
  '    insomnia.expect(status).to.be.within(200, 299);',
  '  });',
  '})();',
].join('\n');

/** httpyac (response, test): the body of a file-wide `{{+response … }}` block, run after every request of the file. */
export const HTTPYAC_STATUS_CHECK = [
  STATUS_CHECK_MARKER,
  '(function () {',
  '  var status = response.statusCode;',
  '  if (typeof status !== "number") return;',
  ...readMessage('typeof response.body === "string" ? response.body : JSON.stringify(response.body)', 'response.statusMessage'),
  `  test(${NAME}, function () {`,
  '    if (status < 200 || status > 299) throw new Error("expected a 2xx status, got " + status);',
  '  });',
  '})();',
].join('\n');
