// What to tell the user when the credentials Dfns offers for the token do not say which key signs.
import { SignerError } from './index';

/** `otherKinds`: the kinds of credential the token's user has instead, e.g. 'passkey (WebAuthn)'. */
export const none = (otherKinds: string[]): SignerError =>
  new SignerError(
    'credential-none',
    `Dfns offers no Key credential for this token${otherKinds.length ? ` (it has only: ${otherKinds.join(', ')})` : ''}`,
    'Use a personal access token or service account token whose credential is a key pair, and paste that key into credentialPrivateKey',
  );

/** `holder`: 'this token', or the user logging in. */
export const unknown = (credentialId: string, offered: string[], holder: string): SignerError =>
  new SignerError(
    'credential-unknown',
    `credentialId "${credentialId}" is not among the credentials Dfns offers for ${holder} (${offered.join(', ')})`,
    'Set credentialId to one of those, or unset it',
  );

export const ambiguous = (offered: string[], holder: string): SignerError =>
  new SignerError(
    'credential-ambiguous',
    `Dfns offers several Key credentials for ${holder} (${offered.join(', ')})`,
    'Set the variable credentialId to the one whose private key is in credentialPrivateKey',
  );

// New Key credentials (Create Credential and registration, src/protocol/newCredential.ts).

/** newCredentialPrivateKey refused for the reason credentialPrivateKey would be, the message naming it. */
export const newKey = (e: SignerError): SignerError =>
  new SignerError(
    e.code,
    e.what.replace(/^credentialPrivateKey\b/, 'newCredentialPrivateKey'),
    e.fix.replace(/ of the credential registered with authToken| registered with authToken/g, ' of the new credential'),
  );

/** A client that sends the body as the user wrote it (Yaak's plugins only add headers): `what` is the request. */
export const unwritableBody = (what: string): SignerError =>
  new SignerError(
    'body-unwritable',
    `the signer writes the body of ${what} (the new key's attestation), but this client lets it add headers only`,
    'Send it from another client, or write the body yourself and unset newCredentialPrivateKey or dfnsRegistrationCode',
  );

/** Registration asked for (dfnsRegistrationCode is set) without what it needs: `what` says what is missing. */
export const registrationSetup = (what: string, fix: string): SignerError =>
  new SignerError('registration-setup', `POST /auth/registration: ${what}`, fix);
