// @ts-check
// A Key credential's answer to a challenge (research 3), checked with node:crypto only, on purpose:
// the product signs with @noble/curves, so the two sides are independent implementations.
import crypto from 'node:crypto';
import { decodeBase64url, isObject, parseJson } from './encoding.mjs';
import { badRequest, DfnsError, MESSAGES } from './errors.mjs';

const DIGESTS = { SHA256: 'sha256', SHA384: 'sha384', SHA512: 'sha512' };

/**
 * Verify a Key credential assertion over the clientData bytes (research 3):
 * EC (P-256, secp256k1, ...) = ECDSA DER with SHA-256 (or `algorithm`); Ed25519/Ed448 = raw, no pre-hash;
 * RSA = PKCS#1 v1.5 with SHA-256 (or `algorithm`).
 * @param {crypto.KeyObject} publicKey @param {string} digest @param {Buffer} data @param {Buffer} signature
 */
function verifyAssertion(publicKey, digest, data, signature) {
  try {
    switch (publicKey.asymmetricKeyType) {
      case 'ec':
        return crypto.verify(digest, data, { key: publicKey, dsaEncoding: 'der' }, signature);
      case 'ed25519':
      case 'ed448':
        return crypto.verify(null, data, publicKey, signature);
      case 'rsa':
        return crypto.verify(digest, data, { key: publicKey, padding: crypto.constants.RSA_PKCS1_PADDING }, signature);
      default:
        return false;
    }
  } catch {
    return false; // malformed DER, wrong length, ...
  }
}

/**
 * Check `firstFactor` ({kind: 'Key', credentialAssertion: {credId, clientData, signature, algorithm?}})
 * as `user`'s signature of `challenge`; throws the DfnsError Dfns answers when it is not.
 * @param {import('./state.mjs').User} user @param {unknown} factor @param {string} challenge
 */
export function checkKeyFactor(user, factor, challenge) {
  if (!isObject(factor)) throw badRequest('firstFactor is required.');
  if (factor.kind !== 'Key')
    throw badRequest(`Credential kind ${String(factor.kind)} is not supported.`, 'only Key first factors are emulated');
  const assertion = factor.credentialAssertion;
  if (
    !isObject(assertion) ||
    typeof assertion.credId !== 'string' ||
    typeof assertion.clientData !== 'string' ||
    typeof assertion.signature !== 'string' ||
    (assertion.algorithm != null && typeof assertion.algorithm !== 'string')
  ) {
    throw badRequest('credentialAssertion must have string credId, clientData and signature.');
  }
  const credential = user.credentials.find((c) => c.kind === 'Key' && c.id === assertion.credId);
  if (!credential?.publicKey)
    throw new DfnsError(401, MESSAGES.noCredential, `credId ${assertion.credId} is not a Key credential of this user`);

  const clientDataBytes = decodeBase64url(assertion.clientData);
  if (!clientDataBytes) throw badRequest('clientData is not valid.', 'clientData is not base64url (no padding, -_ alphabet)');
  const clientData = parseJson(clientDataBytes.toString('utf8'));
  if (!isObject(clientData)) throw badRequest('clientData is not valid.', 'clientData is not a JSON object');
  if (clientData.type !== 'key.get')
    throw badRequest('clientData is not valid.', `clientData.type is ${JSON.stringify(clientData.type)}, expected "key.get"`);
  if (clientData.challenge !== challenge) throw badRequest('clientData is not valid.', 'clientData.challenge does not match the challenge');

  const signature = decodeBase64url(assertion.signature);
  if (!signature) throw badRequest('signature is not valid.', 'signature is not base64url');
  const digest = DIGESTS[/** @type {keyof typeof DIGESTS} */ ((assertion.algorithm ?? 'SHA256').toUpperCase())];
  if (!digest) throw badRequest(`Unsupported algorithm ${assertion.algorithm}.`);
  if (!verifyAssertion(credential.publicKey, digest, clientDataBytes, signature)) {
    throw new DfnsError(401, MESSAGES.badSignature, `signature does not verify (${credential.publicKey.asymmetricKeyType}, ${digest})`);
  }
}
