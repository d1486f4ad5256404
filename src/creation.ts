// The two requests whose body the signer writes, since only a script holding the new key can: Create
// Credential (POST /auth/credentials, when newCredentialPrivateKey is set) and registration
// (POST /auth/registration, when dfnsRegistrationCode is set). The protocol is protocol/newCredential.ts;
// this is its I/O, through the flow's `post`.
import { type Client, secret } from './clients/client';
import { SignerError } from './errors';
import * as fail from './errors/credential';
import { readPrivateKey } from './keys/index';
import {
  CREDENTIAL_INIT_PATH,
  createCredentialBody,
  credentialChallengeRequest,
  keyAttestation,
  REGISTRATION_INIT_PATH,
  readNewCredentialChallenge,
  registrationBody,
  registrationChallengeRequest,
} from './protocol/newCredential';

/** POSTs a JSON body to the Dfns API (the flow's exchange), with `token` as Bearer when given. */
export type Post = (path: typeof CREDENTIAL_INIT_PATH | typeof REGISTRATION_INIT_PATH, body: unknown, token?: string) => Promise<unknown>;

/** A body the signer wrote, and the credential it creates (for the log line). */
export interface Written {
  body: string;
  credId: string;
  algorithm: string;
}

/**
 * Create Credential: the body for newCredentialPrivateKey (the new key attests itself), or undefined when
 * that variable is unset and the body goes out as written. `token` is authToken; `today` names the credential
 * when newCredentialName is unset.
 */
export async function newCredentialBody(client: Client, post: Post, token: string, today: string): Promise<Written | undefined> {
  const pem = await secret(client, 'newCredentialPrivateKey');
  if (!pem) return undefined;
  if (!client.replaceBody) throw fail.unwritableBody('POST /auth/credentials');
  let key: ReturnType<typeof readPrivateKey>;
  try {
    key = readPrivateKey(pem);
  } catch (e) {
    throw e instanceof SignerError ? fail.newKey(e) : e;
  }
  const answer = await post(CREDENTIAL_INIT_PATH, credentialChallengeRequest(), token);
  const { challenge, handle } = readNewCredentialChallenge(answer, `POST ${CREDENTIAL_INIT_PATH}`, 'challengeIdentifier');
  const info = keyAttestation(challenge, key);
  const name = client.variable('newCredentialName') || `${key.algorithm} key ${today}`;
  return { body: createCredentialBody(info, name, handle), credId: info.credId, algorithm: key.algorithm };
}

/**
 * Registration with credentialPrivateKey as the first credential: dfnsUsername in dfnsOrgId, with the code Dfns
 * sent (dfnsRegistrationCode). Returns the body and the temporary token it goes out with.
 */
export async function registration(client: Client, post: Post): Promise<Written & { token: string }> {
  const code = client.variable('dfnsRegistrationCode') as string;
  const username = client.variable('dfnsUsername');
  const orgId = client.variable('dfnsOrgId');
  const pem = await secret(client, 'credentialPrivateKey');
  const missing = [username ? '' : 'dfnsUsername', orgId ? '' : 'dfnsOrgId', pem ? '' : 'credentialPrivateKey'].filter(Boolean);
  if (missing.length)
    throw fail.registrationSetup(
      `dfnsRegistrationCode is set, but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not`,
      'Set dfnsUsername and dfnsOrgId to the user being registered and their organization, and credentialPrivateKey to the key to register',
    );
  if (!client.replaceBody) throw fail.unwritableBody('POST /auth/registration');
  const key = readPrivateKey(pem as string);
  const answer = await post(REGISTRATION_INIT_PATH, registrationChallengeRequest(orgId as string, username as string, code));
  const { challenge, handle } = readNewCredentialChallenge(answer, `POST ${REGISTRATION_INIT_PATH}`, 'temporaryAuthenticationToken');
  const info = keyAttestation(challenge, key);
  return {
    body: registrationBody(info, client.variable('newCredentialName')),
    credId: info.credId,
    algorithm: key.algorithm,
    token: handle,
  };
}
