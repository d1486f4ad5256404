// A new Key credential attests its own public key (research dfns-protocol.md §10), in Create Credential
// (POST /auth/credentials, with a user action signed by a current credential) and in registration
// (POST /auth/registration, with the temporary token registration/init gives). Pure functions of plain
// data: the flow does the I/O.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { base64urlEncode, utf8Encode } from '../encoding';
import { notTheApi } from '../errors/dfns';
import { publicKeyPem } from '../keys/pem';
import type { CredentialKey } from '../keys/types';

export const CREDENTIAL_INIT_PATH = '/auth/credentials/init';
export const CREDENTIAL_PATH = '/auth/credentials';
export const REGISTRATION_INIT_PATH = '/auth/registration/init';
export const REGISTRATION_PATH = '/auth/registration';

/** What a Key credential gives of itself when it is created: `credentialInfo` in both bodies. */
export interface CredentialInfo {
  credId: string;
  clientData: string;
  attestationData: string;
}

/** A challenge to create a credential with, and the handle that carries it to the completion. */
export interface NewCredentialChallenge {
  challenge: string;
  /** challengeIdentifier (Create Credential) or temporaryAuthenticationToken (registration). */
  handle: string;
}

const isPath = (path: string, want: string): boolean => path.replace(/\/+$/, '') === want;

/** POST /auth/credentials: the signer writes its body when newCredentialPrivateKey is set. */
export const isCreateCredential = (method: string, path: string): boolean => method === 'POST' && isPath(path, CREDENTIAL_PATH);

/** POST /auth/registration: the signer writes its body when dfnsRegistrationCode is set. */
export const isRegistration = (method: string, path: string): boolean => method === 'POST' && isPath(path, REGISTRATION_PATH);

/** Body of POST /auth/credentials/init. */
export const credentialChallengeRequest = () => ({ kind: 'Key' });

/** Body of POST /auth/registration/init, in the order the SDK's type lists it. */
export const registrationChallengeRequest = (orgId: string, username: string, registrationCode: string) => ({
  orgId,
  username,
  registrationCode,
});

/** Reads the answer of `step`, whose handle is the field `handle`; refuses one that lacks what creation needs. */
export function readNewCredentialChallenge(json: unknown, step: string, handle: 'challengeIdentifier' | 'temporaryAuthenticationToken') {
  const body = (json || {}) as Record<string, unknown>;
  const challenge = body.challenge;
  const value = body[handle];
  if (typeof challenge !== 'string' || !challenge || typeof value !== 'string' || !value)
    throw notTheApi(`${step} answered without a challenge or ${handle}`);
  return { challenge, handle: value } satisfies NewCredentialChallenge;
}

/**
 * The attestation of a new key, as Dfns's key signers build it (@dfns/sdk-browser BrowserKeySigner.create):
 * clientData `{type:'key.create', challenge}`; the new key signs `{clientDataHash, publicKey}` (hex SHA-256
 * of clientData, SPKI PEM), its signature in hex; clientData and attestationData travel base64url.
 * The signature is made as for a user action (ECDSA SHA-256 DER, Ed25519, RSA PKCS#1 v1.5 SHA-256): what
 * Dfns verifies when attestationData names no algorithm.
 *
 * credId: the SDK takes 32 random bytes; the sandboxes the script runs in do not all offer a random source
 * (newman 6.2 has no crypto.getRandomValues), and Math.random is no source at all. A credId must be unique,
 * not secret (it travels in every assertion the credential makes): it is the SHA-256 of the text the new key
 * signs, which holds the challenge Dfns issued once for this creation, so no two creations share it.
 */
export function keyAttestation(challenge: string, key: CredentialKey): CredentialInfo {
  const publicKey = publicKeyPem(key.publicKey());
  const clientData = JSON.stringify({ type: 'key.create', challenge });
  const signed = utf8Encode(JSON.stringify({ clientDataHash: bytesToHex(sha256(utf8Encode(clientData))), publicKey }));
  const attestationData = JSON.stringify({ publicKey, signature: bytesToHex(key.sign(signed)) });
  return {
    credId: base64urlEncode(sha256(signed)),
    clientData: base64urlEncode(utf8Encode(clientData)),
    attestationData: base64urlEncode(utf8Encode(attestationData)),
  };
}

/** Body of POST /auth/credentials for a Key credential, in the SDK's order. */
export const createCredentialBody = (credentialInfo: CredentialInfo, credentialName: string, challengeIdentifier: string): string =>
  JSON.stringify({ credentialKind: 'Key', credentialInfo, credentialName, challengeIdentifier });

/** Body of POST /auth/registration with a Key credential as first factor (credentialName is optional there). */
export function registrationBody(credentialInfo: CredentialInfo, credentialName: string | undefined): string {
  const first: Record<string, unknown> = { credentialKind: 'Key', credentialInfo };
  if (credentialName) first.credentialName = credentialName;
  return JSON.stringify({ firstFactorCredential: first });
}
