// credentialPrivateKey, as users paste it, to a CredentialKey, or a SignerError that says what was
// pasted and what to paste instead. No message ever quotes characters of the key.

import { base64Decode, latin1 } from '../encoding';
import { SignerError } from '../errors';
import * as fail from '../errors/key';
import { fromJwk } from './jwk';
import { hasPemArmour, normalise, type PemBlock, pemBlocks, printableLabel } from './pem';
import { fromDer } from './privateKey';
import { opensshKind, sshPublicKeyType } from './ssh';
import type { CredentialKey } from './types';

export type { CredentialKey } from './types';

/** Longer than any key the signer accepts (an 8192-bit RSA JWK is about 11,000 characters). */
const MAX_CHARS = 65536;

const PRIVATE_LABEL = /^(EC |RSA |ANY |)PRIVATE KEY$/;
const PUBLIC_LABELS = ['PUBLIC KEY', 'RSA PUBLIC KEY', 'EC PUBLIC KEY', 'SSH2 PUBLIC KEY', 'PGP PUBLIC KEY BLOCK'];
/** PEM labels of certificates and certificate requests (RFC 7468, OpenSSL). */
const CERTIFICATE_LABEL = /^(X509 |TRUSTED )?CERTIFICATE$|^(NEW )?CERTIFICATE REQUEST$/;

function decode(block: PemBlock): Uint8Array {
  if (!block.complete) throw fail.truncated(`the -----END ${block.label}----- line is missing`);
  if (block.mismatched) throw fail.corrupted('its BEGIN and END lines name different labels');
  if (block.base64 === '') throw fail.truncated('there is nothing between its BEGIN and END lines');
  const der = base64Decode(block.base64);
  if (!der) throw fail.corrupted(`its ${block.base64.length} characters between BEGIN and END are not all base64`);
  return der;
}

function fromPem(text: string): CredentialKey {
  const blocks = pemBlocks(text);
  const labels = blocks.map((b) => b.label);
  const has = (label: string): boolean => labels.indexOf(label) >= 0;
  const keys = blocks.filter((b) => PRIVATE_LABEL.test(b.label));
  if (keys.length > 1) throw fail.severalKeys(keys.length);
  if (keys.length === 1) {
    const key = keys[0];
    if (key.encrypted) throw fail.encrypted(`${key.label} with a Proc-Type: 4,ENCRYPTED header`);
    const params = blocks.filter((b) => b.label === 'EC PARAMETERS' && b.complete)[0];
    return fromDer(decode(key), params && base64Decode(params.base64));
  }
  if (has('ENCRYPTED PRIVATE KEY')) throw fail.encrypted('-----BEGIN ENCRYPTED PRIVATE KEY-----');
  if (has('OPENSSH PRIVATE KEY')) throw fail.openssh(opensshKind(base64Decode(blocks[labels.indexOf('OPENSSH PRIVATE KEY')].base64)));
  if (has('DSA PRIVATE KEY')) throw fail.dsa();
  if (has('PGP PRIVATE KEY BLOCK') || has('PGP PUBLIC KEY BLOCK') || has('PGP MESSAGE')) throw fail.pgp();
  for (const label of PUBLIC_LABELS) if (has(label)) throw fail.publicKey(`PEM ${label}`);
  for (const label of labels)
    if (CERTIFICATE_LABEL.test(label))
      throw fail.certificate(`certificate${/REQUEST/.test(label) ? ' signing request' : ''} (PEM ${label})`);
  if (has('SSH2 ENCRYPTED PRIVATE KEY')) throw fail.sshCom();
  // A private key whose BEGIN line was damaged: a mangled label, a BEGIN that is not a block, or
  // a private key's END line without its BEGIN.
  const first = labels[0] || '';
  const label = printableLabel(first);
  if (!label && /PRIV/.test(first)) throw fail.corrupted('its -----BEGIN … PRIVATE KEY----- line is damaged');
  if ((text.match(/BEGIN/gi) || []).length > blocks.length || /END [A-Z ]*PRIVATE KEY/i.test(text))
    throw fail.corrupted('a -----BEGIN line is damaged');
  if (has('EC PARAMETERS')) {
    const afterParameters = text.slice(text.lastIndexOf('-----') + 5);
    if (/[A-Za-z0-9+/]{4}/.test(afterParameters)) throw fail.truncated('the key after its EC PARAMETERS block is cut off');
    throw fail.ecParametersOnly();
  }
  throw fail.unknownLabel(label);
}

/** Text without PEM armour: JWK, SSH/PuTTY formats, tokens, or a bare base64 DER body. */
function fromOther(text: string, depth: number): CredentialKey {
  if (/PuTTY-User-Key-File-\d/.test(text)) throw fail.putty();
  const ssh = sshPublicKeyType(text);
  if (ssh) throw fail.publicKey(`SSH public key line, ${ssh}`);
  if (/^\{\{[\s\S]*\}\}$/.test(text)) throw fail.template();
  if (text[0] === '{') {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (_e) {
      throw fail.notAKey('it starts with { but is not valid JSON');
    }
    return fromJwk(json);
  }
  if (/^eyJ[\w-]*\.[\w-]*\.[\w-]*$/.test(text)) throw fail.jwt();
  const compact = text.replace(/\s+/g, '');
  if (/^(0x)?[0-9a-fA-F]+$/.test(compact)) {
    const digits = compact.replace(/^0x/, '').length;
    if (digits === 64 || digits === 128) throw fail.rawSecret(digits / 2, 'hexadecimal');
    throw fail.notAKey(`it is ${digits} hexadecimal digits`);
  }
  if (/-{3,} ?END |PRIVATE KEY ?-{3,}/i.test(text)) throw fail.corrupted('its -----BEGIN line is missing or damaged');
  const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(compact) && base64Decode(compact);
  const noArmour = 'it has no -----BEGIN line and is not a JWK';
  if (!bytes) throw fail.notAKey(noArmour);
  if (depth === 0 && /-{3,} ?BEGIN /i.test(latin1(bytes.subarray(0, 40)))) return readText(latin1(bytes), 1); // a whole PEM file encoded in base64, as in Kubernetes secrets
  if (latin1(bytes.subarray(0, 15)) === 'openssh-key-v1\0') throw fail.openssh(opensshKind(bytes));
  if (bytes.length === 32 || bytes.length === 64) throw fail.rawSecret(bytes.length, 'base64');
  if ((bytes[0] === 0x30 && bytes.length >= 16) || (bytes[0] === 0x06 && bytes.length <= 12)) return fromDer(bytes); // DER body without armour
  throw fail.notAKey(noArmour);
}

function readText(raw: string, depth: number): CredentialKey {
  const text = normalise(raw);
  if (text === '') throw fail.empty();
  return hasPemArmour(text) ? fromPem(text) : fromOther(text, depth);
}

/**
 * Reads credentialPrivateKey: PEM PKCS#8 (EC P-256/secp256k1/P-384/P-521, Ed25519, RSA),
 * SEC1 EC PRIVATE KEY (with or without EC PARAMETERS), PKCS#1 RSA PRIVATE KEY, a bare base64
 * DER body, or a private JWK; tolerant of how pasting mangles line breaks, spaces and quotes.
 */
export function readPrivateKey(text: string): CredentialKey {
  if (typeof text !== 'string' || text.trim() === '') throw fail.empty();
  if (text.length > MAX_CHARS) throw fail.tooLong(text.length);
  try {
    return readText(text, 0);
  } catch (e) {
    if (e instanceof SignerError) throw e;
    throw fail.unreadable(e);
  }
}
