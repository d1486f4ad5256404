// Benchmark stand-in for the official Dfns Postman script's approach (public 2023 version), written
// from its description, not copied: at every request download jsrsasign 8.0.20's minified build
// (here from a local server standing in for the CDN: variable jsrsasignUrl), eval it, then do the
// two User Action round trips and sign clientData with jsrsasign's SHA256withECDSA. Bench only:
// eval of downloaded code has no place in the signer itself.
(() => {
  var started = Date.now();
  var method = String(pm.request.method).toUpperCase();
  if (method === 'GET') return;
  var token = pm.variables.get('authToken');
  var url = pm.request.url;
  var origin = (url.protocol || 'https') + '://' + pm.variables.replaceIn(url.getRemote());
  var path = url.getPath();
  var body = pm.request.body && pm.request.body.raw ? pm.variables.replaceIn(pm.request.body.raw) : '';
  function post(p, json, next) {
    pm.sendRequest(
      {
        url: origin + p,
        method: 'POST',
        header: [
          { key: 'Authorization', value: 'Bearer ' + token },
          { key: 'Content-Type', value: 'application/json' },
        ],
        body: { mode: 'raw', raw: JSON.stringify(json) },
      },
      (err, res) => {
        if (err) throw err;
        next(res.json());
      },
    );
  }
  pm.request.headers.upsert({ key: 'Authorization', value: 'Bearer ' + token });
  pm.sendRequest(pm.variables.get('jsrsasignUrl'), (err, res) => {
    if (err) throw err;
    var downloaded = Date.now();
    // jsrsasign probes browser globals at load time.
    // biome-ignore lint/correctness/noUnusedVariables: read by the evaluated library
    var navigator = {};
    // biome-ignore lint/correctness/noUnusedVariables: read by the evaluated library
    var window = {};
    // biome-ignore lint/security/noGlobalEval: the official approach this bench measures evaluates a downloaded library
    eval(res.text());
    var evaluated = Date.now();
    post(
      '/auth/action/init',
      { userActionServerKind: 'Api', userActionHttpMethod: method, userActionHttpPath: path, userActionPayload: body },
      (challenge) => {
        var challenged = Date.now();
        var clientData = JSON.stringify({ type: 'key.get', challenge: challenge.challenge });
        var key = KEYUTIL.getKey(pm.variables.get('credentialPrivateKey'));
        var signer = new KJUR.crypto.Signature({ alg: 'SHA256withECDSA' });
        var keyRead = Date.now();
        signer.init(key);
        signer.updateString(clientData);
        var signature = hextob64u(signer.sign());
        var signed = Date.now();
        var credId = pm.variables.get('credentialId') || challenge.allowCredentials.key[0].id;
        post(
          '/auth/action',
          {
            challengeIdentifier: challenge.challengeIdentifier,
            firstFactor: { kind: 'Key', credentialAssertion: { credId: credId, clientData: utf8tob64u(clientData), signature: signature } },
          },
          (answer) => {
            pm.request.headers.upsert({ key: 'X-DFNS-USERACTION', value: answer.userAction });
            // One log line per request, as the signer writes one: where the time went.
            console.log(
              'official: ' +
                JSON.stringify({
                  downloadMs: downloaded - started,
                  evalMs: evaluated - downloaded,
                  initMs: challenged - evaluated,
                  readKeyMs: keyRead - challenged,
                  signMs: signed - keyRead,
                  completeMs: Date.now() - signed,
                  totalMs: Date.now() - started,
                }),
            );
          },
        );
      },
    );
  });
})();
