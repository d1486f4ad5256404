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
  const credential = user.credentials.find((c) => c.kind === 'Key' && c.active && c.id === assertion.credId);
  if (!credential?.publicKey)
    throw new DfnsError(401, MESSAGES.noCredential, `credId ${assertion.credId} is not a Key credential of this user`);
  if (!credential.active) throw new DfnsError(401, MESSAGES.noCredential, `credential ${assertion.credId} is deactivated`);

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

/**
 * Check a new Key credential's `credentialInfo` ({credId, clientData, attestationData}) against `challenge`
 * (research §10): clientData {type:'key.create', challenge}; attestationData {publicKey: PEM, signature: hex,
 * algorithm?}, the signature over JSON.stringify({clientDataHash: hex SHA-256 of clientData, publicKey}) by that
 * key, made as an assertion is. Returns the new credential's id and public key, or throws what Dfns answers.
 * @param {unknown} info @param {string} challenge @returns {{ credId: string, publicKey: crypto.KeyObject }}
 */
export function checkAttestation(info, challenge) {
  const invalid = (/** @type {string} */ reason) => badRequest('Invalid attestation.', reason);
  if (!isObject(info) || typeof info.credId !== 'string' || !info.credId || typeof info.clientData !== 'string')
    throw invalid('credentialInfo must have string credId, clientData and attestationData');
  const clientDataBytes = decodeBase64url(info.clientData);
  const attestationBytes = decodeBase64url(info.attestationData);
  if (!clientDataBytes || !attestationBytes) throw invalid('clientData or attestationData is not base64url');
  const clientData = parseJson(clientDataBytes.toString('utf8'));
  if (!isObject(clientData) || clientData.type !== 'key.create' || clientData.challenge !== challenge)
    throw invalid('clientData is not {type: "key.create", challenge} for this challenge');
  const attestation = parseJson(attestationBytes.toString('utf8'));
  if (!isObject(attestation) || typeof attestation.publicKey !== 'string' || typeof attestation.signature !== 'string')
    throw invalid('attestationData must have string publicKey and signature');
  let publicKey;
  try {
    publicKey = crypto.createPublicKey(attestation.publicKey);
  } catch {
    throw invalid('attestationData.publicKey is not a PEM public key');
  }
  const digest =
    DIGESTS[
      /** @type {keyof typeof DIGESTS} */ (
        String(attestation.algorithm ?? 'SHA256')
          .toUpperCase()
          .replace(/^RSA-/, '')
      )
    ];
  if (!digest || !/^([0-9a-f]{2})+$/.test(attestation.signature)) throw invalid('unsupported algorithm, or a signature that is not hex');
  const clientDataHash = crypto.createHash('sha256').update(clientDataBytes).digest('hex');
  const signed = Buffer.from(JSON.stringify({ clientDataHash, publicKey: attestation.publicKey }));
  if (!verifyAssertion(publicKey, digest, signed, Buffer.from(attestation.signature, 'hex')))
    throw new DfnsError(401, MESSAGES.badSignature, `attestation signature does not verify (${publicKey.asymmetricKeyType}, ${digest})`);
  return { credId: info.credId, publicKey };
}
