// Recognises SSH key formats well enough to refuse them helpfully (key type and encryption only).
import { latin1 } from '../encoding';

/** Reads RFC 4251 fields of `b` in order from `pos`; undefined once the data runs out. */
function fields(b: Uint8Array, pos: number) {
  const uint32 = (): number | undefined => {
    if (pos + 4 > b.length) return undefined;
    pos += 4;
    return b[pos - 4] * 0x1000000 + (b[pos - 3] << 16) + (b[pos - 2] << 8) + b[pos - 1];
  };
  const string = (): Uint8Array | undefined => {
    const len = uint32();
    return len === undefined || pos + len > b.length ? undefined : b.subarray(pos, (pos += len));
  };
  return { uint32, string };
}

const ascii = (b: Uint8Array | undefined): string => (b ? latin1(b.subarray(0, 64)) : '');

const MAGIC = 'openssh-key-v1';

/** What an `OPENSSH PRIVATE KEY` holds: 'ed25519' | 'ecdsa' | 'rsa' | '' (unknown), and whether it has a passphrase. */
export function opensshKind(blob: Uint8Array | undefined): { kind: string; encrypted: boolean } {
  if (!blob || blob.length <= MAGIC.length || ascii(blob.subarray(0, MAGIC.length)) !== MAGIC) return { kind: '', encrypted: false };
  const r = fields(blob, MAGIC.length + 1);
  const cipher = ascii(r.string());
  r.string(); // kdf name
  r.string(); // kdf options
  r.uint32(); // number of keys
  const publicKey = r.string();
  const type = publicKey ? ascii(fields(publicKey, 0).string()) : '';
  return {
    kind: ['ed25519', 'ecdsa', 'rsa'].find((k) => type.includes(k)) || '',
    encrypted: cipher !== '' && cipher !== 'none',
  };
}

/** An OpenSSH public key line (authorized_keys / .pub): its type name, e.g. 'ssh-ed25519'. */
export function sshPublicKeyType(text: string): string | undefined {
  const m =
    /(?:^|\s)(ssh-(?:rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp(?:256|384|521)|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)\s+AAAA/.exec(
      text,
    );
  return m ? m[1] : undefined;
}
