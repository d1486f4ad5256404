// What to tell the user when the script runs where it cannot sign: an API client it does not know,
// or the wrong place in a client it knows.
import { SignerError } from './index';

export const afterResponse = (): SignerError =>
  new SignerError(
    'client-unsupported',
    'the script runs after the response (Post-response, Tests or After-response), when the request has already gone out unsigned',
    'Paste it as the Pre-request script instead',
  );

export const hoppscotchLegacySandbox = (): SignerError =>
  new SignerError(
    'client-unsupported',
    "Hoppscotch's legacy scripting sandbox offers no API the signer can sign with",
    'Turn the experimental scripting sandbox back on (Settings > Experiments), or run hopp test without --legacy-sandbox',
  );

export const unknownClient = (): SignerError =>
  new SignerError(
    'client-unsupported',
    'this API client is not one the signer knows (it found no Postman, Bruno, Insomnia, Hoppscotch or httpyac scripting API it can sign with), so the request was stopped',
    'Use the script in Postman, newman, Bruno, Insomnia, Hoppscotch, httpyac or Apidog (see the README)',
  );
