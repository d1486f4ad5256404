// Benchmark floor: the same two extra round trips as a User Action signer (POST /auth/action/init,
// POST /auth/action) with no key parsing and no cryptography, then the header. The best any signer
// can do with this protocol. The signature is a fixed, well-formed DER ECDSA value, so the emulator
// verifies it (same server work) and refuses it; the main request then gets 403. Bench only.
(() => {
  var method = String(pm.request.method).toUpperCase();
  if (method === 'GET') return;
  var token = pm.variables.get('authToken');
  var url = pm.request.url;
  var origin = (url.protocol || 'https') + '://' + pm.variables.replaceIn(url.getRemote());
  var path = url.getPath();
  var body = pm.request.body && pm.request.body.raw ? pm.variables.replaceIn(pm.request.body.raw) : '';
  var DUMMY_SIGNATURE = 'MEQCIH8AAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHwIgfwABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f';
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
        next(err ? {} : res.json());
      },
    );
  }
  pm.request.headers.upsert({ key: 'Authorization', value: 'Bearer ' + token });
  post(
    '/auth/action/init',
    { userActionServerKind: 'Api', userActionHttpMethod: method, userActionHttpPath: path, userActionPayload: body },
    (challenge) => {
      var clientData = btoa(JSON.stringify({ type: 'key.get', challenge: challenge.challenge }))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
      var credId = pm.variables.get('credentialId') || challenge.allowCredentials.key[0].id;
      post(
        '/auth/action',
        {
          challengeIdentifier: challenge.challengeIdentifier,
          firstFactor: { kind: 'Key', credentialAssertion: { credId: credId, clientData: clientData, signature: DUMMY_SIGNATURE } },
        },
        (answer) => {
          pm.request.headers.upsert({ key: 'X-DFNS-USERACTION', value: answer.userAction || 'floor' });
        },
      );
    },
  );
})();
