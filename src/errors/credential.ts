// What to tell the user when the credentials Dfns offers for the token do not say which key signs.
import { SignerError } from './index';

/** `otherKinds`: the kinds of credential the token's user has instead, e.g. 'passkey (WebAuthn)'. */
export const none = (otherKinds: string[]): SignerError =>
  new SignerError(
    'credential-none',
    `Dfns offers no Key credential for this token${otherKinds.length ? ` (it has only: ${otherKinds.join(', ')})` : ''}`,
    'Use a personal access token or service account token whose credential is a key pair, and paste that key into credentialPrivateKey',
  );

export const unknown = (credentialId: string, offered: string[]): SignerError =>
  new SignerError(
    'credential-unknown',
    `credentialId "${credentialId}" is not among the credentials Dfns offers for this token (${offered.join(', ')})`,
    'Set credentialId to one of those, or unset it',
  );

export const ambiguous = (offered: string[]): SignerError =>
  new SignerError(
    'credential-ambiguous',
    `Dfns offers several Key credentials for this token (${offered.join(', ')})`,
    'Set the variable credentialId to the one whose private key is in credentialPrivateKey',
  );
