// The requests the signer does more for than sign (it writes their body, or signs the `data` field of their
// form), and those that still cannot be sent as they are: what every collection's description of them says,
// and the form the key-store outputs are sent as.

/**
 * Key-store outputs (POST /key-stores/{storeId}/{operation}/output): a multipart form of `data` (the JSON, with
 * fileChecksum) and `file`, as @dfns/sdk sends them; the user action covers the text of `data`.
 * @param {{ method: string, path: string }} e
 */
export const isForm = (e) => e.method === 'POST' && /^\/key-stores\/\{storeId\}\/[^/]+\/output$/.test(e.path);

/** The `data` field of a key-store output form: the body's skeleton, and the file's SHA-256 (hex) to fill in. */
export const FORM_DATA = JSON.stringify({ outputJson: {}, fileChecksum: '' }, null, 2);

const FORM_NOTE =
  'A form, as the Dfns SDK sends it: the field data holds the JSON (set fileChecksum to the SHA-256 of the file, in hex: `sha256sum output.json`), the field file the file. The pre-request script signs the text of data.';

/** Notes by "METHOD path": what the user sets for the signer to make the request sendable, or why it cannot be. */
const NOTES = {
  'POST /auth/credentials':
    "Key rotation: set newCredentialPrivateKey to the NEW key's private key (and newCredentialName to name it): the pre-request script asks Dfns for a challenge, writes this body (the new key's attestation of itself) and signs it with credentialPrivateKey; its log line names the new credential's id. Then set credentialPrivateKey and credentialId to the new key and id, and deactivate the old credential (Deactivate Credential). Dfns allows this request with a user's login token only, not with a personal access token or a service account's.",
  'POST /auth/registration':
    "Set dfnsRegistrationCode (the code Dfns sent), dfnsUsername, dfnsOrgId and credentialPrivateKey (the key to register): the pre-request script asks Dfns for the registration challenge, writes this body (the key's attestation of itself) and sends it with the temporary token Dfns gives; authToken is not needed.",
  'POST /auth/action':
    'Cannot be sent as it is: its signature is the one the pre-request script makes for every request that needs a user action, and sends here itself.',
  'POST /auth/recover/user':
    'Cannot be sent as it is: account recovery signs the new credentials with the recovery key, which the signer does not do (use the Dfns SDK or dashboard).',
  'POST /auth/credentials/code/verify':
    "Cannot be sent as it is: it carries a new credential's attestation, which the signer writes for Create Credential only.",
  'POST /auth/registration/enduser':
    "Cannot be sent as it is: it carries a new credential's attestation, which the signer writes for Complete User Registration only.",
};

/** The note a request's description adds, if any. @param {{ method: string, path: string }} e @returns {string | undefined} */
export const writtenNote = (e) => (isForm(e) ? FORM_NOTE : NOTES[/** @type {keyof typeof NOTES} */ (`${e.method} ${e.path}`)]);

/** The requests that cannot be sent as they are, as the README lists them. */
export const NOT_AS_IS = Object.keys(NOTES).filter((key) => NOTES[/** @type {keyof typeof NOTES} */ (key)].startsWith('Cannot'));
