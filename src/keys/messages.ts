// Every way credentialPrivateKey can be refused, in one place: what the user pasted, and what to
// paste instead. Messages name kinds, labels and lengths only, never characters of the key.
import { SignerError, type ErrorCode } from '../errors';

const V = 'credentialPrivateKey';

const FIX_PASTE =
  'Paste the private key of the credential registered with authToken: the whole PEM file from -----BEGIN to -----END (PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY), or a private JWK';
const FIX_RECOPY = 'Copy the whole key file again, every line from -----BEGIN to -----END, and paste it unchanged';
const FIX_PRIVATE =
  'Paste the PRIVATE key of the same key pair (the file that starts with -----BEGIN PRIVATE KEY-----, -----BEGIN EC PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----); Dfns only stores the public key';
const FIX_NEW_KEY =
  'Use an ECDSA (P-256, secp256k1, P-384, P-521), Ed25519 or RSA credential key, e.g. openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out key.pem, register its public key with Dfns and paste key.pem';
const FIX_DECRYPT =
  'Decrypt it once with openssl pkey -in key.pem -out key-decrypted.pem (it asks for the passphrase) and paste key-decrypted.pem';

const fail = (code: ErrorCode, what: string, fix: string): SignerError => new SignerError(code, `${V} ${what}`, fix);

export const empty = (): SignerError =>
  fail('key-missing', 'is empty', 'Set it to the private key (PEM) of the credential registered with authToken, from -----BEGIN to -----END');

export const tooLong = (chars: number): SignerError =>
  fail('key-not-a-key', `is ${chars} characters long, far too long for one private key`, FIX_PASTE);

/** `form` says how the public key was recognised, e.g. 'PEM PUBLIC KEY', 'SSH public key line ssh-ed25519'. */
export const publicKey = (form: string): SignerError => fail('key-public', `holds a PUBLIC key (${form}), not the private key`, FIX_PRIVATE);

export const certificate = (form: string): SignerError =>
  fail('key-certificate', `holds a ${form}, which contains only a public key`, 'Paste the private key that goes with it (-----BEGIN PRIVATE KEY----- … -----END PRIVATE KEY-----)');

export const encrypted = (form: string): SignerError =>
  fail('key-encrypted', `holds a passphrase-encrypted private key (${form}), which the signer cannot decrypt`, FIX_DECRYPT);

/** `kind` comes from the key's own type string: 'ed25519', 'ecdsa', 'rsa' or '' when unknown. */
export const openssh = (kind: string, isEncrypted: boolean): SignerError =>
  fail(
    'key-foreign-format',
    `holds an OpenSSH private key (-----BEGIN OPENSSH PRIVATE KEY-----${kind ? `, ${kind === 'ed25519' ? 'Ed25519' : kind.toUpperCase()}` : ''}${isEncrypted ? ', passphrase-protected' : ''}), a format the signer does not read`,
    kind === 'ed25519'
      ? 'ssh-keygen cannot write Ed25519 keys as PEM: convert it as the README shows (Keys as you have them, OpenSSH Ed25519 keys) and paste the result'
      : 'Convert a copy of the key file with ssh-keygen -p -m PKCS8 -f <copy of the key file> (it rewrites the copy in place as PEM; leave the new passphrase empty) and paste the copy',
  );

export const sshCom = (): SignerError =>
  fail(
    'key-foreign-format',
    'holds an SSH.com (SSH2) private key, a format the signer does not read',
    'Convert it with ssh-keygen -i -f key > key-openssh, then ssh-keygen -p -m PKCS8 -f key-openssh (leave the new passphrase empty) and paste key-openssh',
  );

export const putty = (): SignerError =>
  fail(
    'key-foreign-format',
    'holds a PuTTY private key (.ppk, PuTTY-User-Key-File), a format the signer does not read',
    'Convert it with puttygen key.ppk -O private-openssh -o key.pem (PuTTYgen: Conversions → Export OpenSSH key) and paste key.pem',
  );

export const pgp = (): SignerError => fail('key-not-a-key', 'holds a PGP key block, not a PEM private key', FIX_PASTE);

export const unknownLabel = (label: string | undefined): SignerError =>
  fail('key-not-a-key', `holds a PEM block ${label ? `labelled "${label}"` : 'with an unrecognised label'}, not a private key`, FIX_PASTE);

export const ecParametersOnly = (): SignerError =>
  fail(
    'key-not-a-key',
    'holds only an EC PARAMETERS block (the curve name), not the key',
    'Paste the key itself: the -----BEGIN EC PRIVATE KEY----- block that openssl ecparam -genkey writes after the parameters',
  );

export const severalKeys = (count: number): SignerError =>
  fail('key-not-a-key', `holds ${count} private keys`, 'Paste only the one private key of the credential registered with authToken');

/** The key was cut short: `where` says how that shows. */
export const truncated = (where: string): SignerError =>
  fail('key-damaged', `is incomplete (${where}), probably cut when copying`, FIX_RECOPY);

/** The key's bytes are damaged: `where` says how that shows. */
export const corrupted = (where: string): SignerError =>
  fail('key-damaged', `is corrupted (${where}), probably changed when copying`, FIX_RECOPY);

export const unsupportedCurve = (curve: string): SignerError =>
  fail('key-unsupported', `is an EC key on ${curve}, which the signer does not support`, FIX_NEW_KEY);

export const explicitCurve = (): SignerError =>
  fail(
    'key-unsupported',
    'is an EC key with explicit curve parameters instead of a curve name',
    'Convert it with openssl ec -in key.pem -param_enc named_curve -out key-named.pem and paste key-named.pem',
  );

export const curveMissing = (): SignerError =>
  fail(
    'key-unsupported',
    'is an EC key that does not say which curve it is on',
    'Paste the whole output of openssl ecparam -genkey including its -----BEGIN EC PARAMETERS----- block, or a PKCS#8 key (-----BEGIN PRIVATE KEY-----)',
  );

/** Why DSA keys are refused, wherever they are recognised. */
export const DSA_WHY = 'which Dfns does not accept (it takes ECDSA, EdDSA and RSA keys)';

/** `kind`: 'a DSA key'; `why`: why it cannot be used, e.g. 'which is for key agreement and cannot sign'. */
export const unsupportedType = (kind: string, why: string): SignerError => fail('key-unsupported', `is ${kind}, ${why}`, FIX_NEW_KEY);

export const rsaTooSmall = (bits: number): SignerError =>
  fail(
    'key-unsupported',
    `is an RSA key of only ${bits} bits, too weak to use`,
    'Create an RSA key of at least 2048 bits (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out key.pem), register its public key with Dfns and paste key.pem',
  );

export const rsaTooLarge = (bits: number): SignerError =>
  fail(
    'key-unsupported',
    `is an RSA key of ${bits} bits, more than the 8192 the signer can sign with in reasonable time`,
    'Use an RSA key of 2048 to 4096 bits, or an ECDSA P-256 or Ed25519 key, registered with Dfns',
  );

export const notAKey = (why: string): SignerError => fail('key-not-a-key', `is not a private key (${why})`, FIX_PASTE);

export const jwt = (): SignerError =>
  fail(
    'key-not-a-key',
    'holds a JWT (an access token), not a private key',
    'Put the token in authToken, and the private key (PEM) of the token\'s credential in credentialPrivateKey',
  );

export const template = (): SignerError =>
  fail(
    'key-not-a-key',
    'holds an unresolved variable reference ({{…}})',
    'Define the referenced variable in the active environment, or set credentialPrivateKey to the private key (PEM) itself',
  );

export const rawSecret = (bytes: number, encoding: string): SignerError =>
  fail('key-not-a-key', `holds a bare ${bytes}-byte ${encoding} value, which does not say what kind of key it is`, FIX_PASTE);

export const jwkProblem = (why: string): SignerError => fail('key-not-a-key', `holds a JWK that ${why}`, FIX_PASTE);

export const cannotSign = (): SignerError =>
  fail('key-damaged', 'could not be used to sign (the library refused the key)', FIX_RECOPY);
