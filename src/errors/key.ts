// Every way credentialPrivateKey can be refused, in one place: what the user pasted, and what to
// paste instead. Messages name kinds, labels and lengths only, never characters of the key.
import { type ErrorCode, SignerError } from './index';

const V = 'credentialPrivateKey';

const FIX_PASTE =
  'Paste the private key of the credential registered with authToken: the whole PEM file from -----BEGIN to -----END (PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY), or a private JWK';
const FIX_RECOPY = 'Copy the whole key file again, every line from -----BEGIN to -----END, and paste it unchanged';
const FIX_PRIVATE =
  'Paste the PRIVATE key of the same key pair (-----BEGIN PRIVATE KEY-----, EC PRIVATE KEY or RSA PRIVATE KEY); Dfns only stores the public key';
const FIX_NEW_KEY =
  'Use an ECDSA (P-256, secp256k1, P-384, P-521), Ed25519 or RSA credential key, e.g. openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out key.pem, register its public key with Dfns and paste key.pem';
const FIX_DECRYPT =
  'Decrypt it once with openssl pkey -in key.pem -out key-decrypted.pem (it asks for the passphrase) and paste key-decrypted.pem';

const fail = (code: ErrorCode, what: string, fix: string): SignerError => new SignerError(code, `${V} ${what}`, fix);

// Each code once (the minifier does not share repeated strings).
const NOT_A_KEY = 'key-not-a-key';
const FOREIGN = 'key-foreign-format';
const DAMAGED = 'key-damaged';
const UNSUPPORTED = 'key-unsupported';
const NOT_READ = 'a format the signer does not read';

/** No key where `method path` needs a user action; `vault`: the client has Postman Vault to keep it in. */
export const missing = (method: string, path: string, vault: boolean): SignerError =>
  new SignerError(
    'key-missing',
    `${V} is not set, and ${method} ${path} needs a user action`,
    `Set the variable ${V}${vault ? ' (or, in the Postman app, a vault secret of that name)' : ''} to the private key (PEM) of the credential registered with authToken`,
  );

export const empty = (): SignerError =>
  fail(
    'key-missing',
    'is empty',
    'Set it to the private key (PEM) of the credential registered with authToken, from -----BEGIN to -----END',
  );

export const tooLong = (chars: number): SignerError =>
  fail(NOT_A_KEY, `is ${chars} characters long, far too long for one private key`, FIX_PASTE);

/** `form` says how the public key was recognised, e.g. 'PEM PUBLIC KEY', 'SSH public key line ssh-ed25519'. */
export const publicKey = (form: string): SignerError =>
  fail('key-public', `holds a PUBLIC key (${form}), not the private key`, FIX_PRIVATE);

export const certificate = (form: string): SignerError =>
  fail(
    'key-certificate',
    `holds a ${form}, which contains only a public key`,
    'Paste the private key that goes with it (-----BEGIN PRIVATE KEY----- … -----END PRIVATE KEY-----)',
  );

export const encrypted = (form: string): SignerError =>
  fail('key-encrypted', `holds a passphrase-encrypted private key (${form}), which the signer cannot decrypt`, FIX_DECRYPT);

/** `kind` comes from the key's own type string: 'ed25519', 'ecdsa', 'rsa' or '' when unknown. */
export const openssh = ({ kind, encrypted: isEncrypted }: { kind: string; encrypted: boolean }): SignerError =>
  fail(
    FOREIGN,
    `holds an OpenSSH private key (-----BEGIN OPENSSH PRIVATE KEY-----${kind ? `, ${kind === 'ed25519' ? 'Ed25519' : kind.toUpperCase()}` : ''}${isEncrypted ? ', passphrase-protected' : ''}), ${NOT_READ}`,
    kind === 'ed25519'
      ? 'Convert it as the README shows (Keys as you have them, OpenSSH Ed25519 keys), since ssh-keygen cannot write Ed25519 keys as PEM, and paste the result'
      : 'Convert a copy of the key file with ssh-keygen -p -m PKCS8 -f <copy> (it rewrites the copy as PEM; leave the new passphrase empty) and paste the copy',
  );

export const sshCom = (): SignerError =>
  fail(
    FOREIGN,
    `holds an SSH.com (SSH2) private key, ${NOT_READ}`,
    'Convert it with ssh-keygen -i -f key > key-openssh, then ssh-keygen -p -m PKCS8 -f key-openssh (leave the new passphrase empty) and paste key-openssh',
  );

export const putty = (): SignerError =>
  fail(
    FOREIGN,
    `holds a PuTTY private key (.ppk, PuTTY-User-Key-File), ${NOT_READ}`,
    'Convert it with puttygen key.ppk -O private-openssh -o key.pem (PuTTYgen: Conversions → Export OpenSSH key) and paste key.pem',
  );

export const pgp = (): SignerError => fail(NOT_A_KEY, 'holds a PGP key block, not a PEM private key', FIX_PASTE);

export const unknownLabel = (label: string | undefined): SignerError =>
  fail(NOT_A_KEY, `holds a PEM block ${label ? `labelled "${label}"` : 'with an unrecognised label'}, not a private key`, FIX_PASTE);

export const ecParametersOnly = (): SignerError =>
  fail(
    NOT_A_KEY,
    'holds only an EC PARAMETERS block (the curve name), not the key',
    'Paste the key itself: the -----BEGIN EC PRIVATE KEY----- block that openssl ecparam -genkey writes after the parameters',
  );

export const severalKeys = (count: number): SignerError =>
  fail(NOT_A_KEY, `holds ${count} private keys`, 'Paste only the one private key of the credential registered with authToken');

/** The key was cut short: `where` says how that shows. */
export const truncated = (where: string): SignerError => fail(DAMAGED, `is incomplete (${where}), probably cut when copying`, FIX_RECOPY);

/** The key's bytes are damaged: `where` says how that shows. */
export const corrupted = (where: string): SignerError =>
  fail(DAMAGED, `is corrupted (${where}), probably changed when copying`, FIX_RECOPY);

export const unsupportedCurve = (curve: string): SignerError =>
  fail(UNSUPPORTED, `is an EC key on ${curve}, ${NOT_SUPPORTED}`, FIX_NEW_KEY);

export const explicitCurve = (): SignerError =>
  fail(
    UNSUPPORTED,
    'is an EC key with explicit curve parameters instead of a curve name',
    'Convert it with openssl ec -in key.pem -param_enc named_curve -out key-named.pem and paste key-named.pem',
  );

export const curveMissing = (): SignerError =>
  fail(
    UNSUPPORTED,
    'is an EC key that does not say which curve it is on',
    'Paste the whole output of openssl ecparam -genkey including its -----BEGIN EC PARAMETERS----- block, or a PKCS#8 key (-----BEGIN PRIVATE KEY-----)',
  );

/** Why keys are refused, wherever they are recognised. */
export const NOT_SUPPORTED = 'which the signer does not support';
export const AGREEMENT = 'which is for key agreement and cannot sign';
export const DSA_WHY = 'which Dfns does not accept (it takes ECDSA, EdDSA and RSA keys)';

/** `kind`: 'a DSA key'; `why`: why it cannot be used, e.g. 'which is for key agreement and cannot sign'. */
export const unsupportedType = (kind: string, why: string): SignerError => fail(UNSUPPORTED, `is ${kind}, ${why}`, FIX_NEW_KEY);

/** DSA keys, however they are recognised (PKCS#8, OpenSSL's DSA PRIVATE KEY). */
export const dsa = (): SignerError => unsupportedType('a DSA key', DSA_WHY);

export const rsaTooSmall = (bits: number): SignerError =>
  fail(
    UNSUPPORTED,
    `is an RSA key of only ${bits} bits, too weak to use`,
    'Create an RSA key of at least 2048 bits (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out key.pem), register its public key with Dfns and paste key.pem',
  );

export const rsaTooLarge = (bits: number): SignerError =>
  fail(
    UNSUPPORTED,
    `is an RSA key of ${bits} bits, more than the 8192 the signer can sign with in reasonable time`,
    'Use an RSA key of 2048 to 4096 bits, or an ECDSA P-256 or Ed25519 key, registered with Dfns',
  );

export const notAKey = (why: string): SignerError => fail(NOT_A_KEY, `is not a private key (${why})`, FIX_PASTE);

export const jwt = (): SignerError =>
  fail(
    NOT_A_KEY,
    'holds a JWT (an access token), not a private key',
    "Put the token in authToken, and the private key (PEM) of the token's credential in credentialPrivateKey",
  );

export const template = (): SignerError =>
  fail(
    NOT_A_KEY,
    'holds an unresolved variable reference ({{…}})',
    'Define the referenced variable in the active environment, or set credentialPrivateKey to the private key (PEM) itself',
  );

export const rawSecret = (bytes: number, encoding: string): SignerError =>
  fail(NOT_A_KEY, `holds a bare ${bytes}-byte ${encoding} value, which does not say what kind of key it is`, FIX_PASTE);

export const jwkProblem = (why: string): SignerError => fail(NOT_A_KEY, `holds a JWK that ${why}`, FIX_PASTE);

export const cannotSign = (): SignerError => fail(DAMAGED, 'could not be used to sign (the library refused the key)', FIX_RECOPY);

/** A bug in the key reader, not a bad key: reported without the library's message, which might quote key bytes. */
export const unreadable = (e: unknown): SignerError =>
  new SignerError(
    'internal',
    `${V} could not be read (unexpected ${e instanceof Error ? e.name : typeof e} in the key reader)`,
    'Please report it with the Dfns signer version shown in the first line of the script; meanwhile check that the key is a PEM private key',
  );
