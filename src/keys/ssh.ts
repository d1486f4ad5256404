// Recognises SSH key formats well enough to refuse them helpfully (key type and encryption only).

/** Reads RFC 4251 fields in order; undefined once the data runs out. */
class SshReader {
  private pos: number;
  constructor(private readonly bytes: Uint8Array, pos: number) {
    this.pos = pos;
  }
  uint32(): number | undefined {
    const b = this.bytes;
    const p = this.pos;
    if (p + 4 > b.length) return undefined;
    this.pos += 4;
    return b[p] * 0x1000000 + (b[p + 1] << 16) + (b[p + 2] << 8) + b[p + 3];
  }
  string(): Uint8Array | undefined {
    const len = this.uint32();
    if (len === undefined || this.pos + len > this.bytes.length) return undefined;
    this.pos += len;
    return this.bytes.subarray(this.pos - len, this.pos);
  }
}

const ascii = (b: Uint8Array | undefined): string => (b ? String.fromCharCode.apply(null, Array.from(b.subarray(0, 64))) : '');

const MAGIC = 'openssh-key-v1';

/** What an `OPENSSH PRIVATE KEY` holds: 'ed25519' | 'ecdsa' | 'rsa' | '' (unknown), and whether it has a passphrase. */
export function opensshKind(blob: Uint8Array | undefined): { kind: string; encrypted: boolean } {
  if (!blob || blob.length <= MAGIC.length || ascii(blob.subarray(0, MAGIC.length)) !== MAGIC) return { kind: '', encrypted: false };
  const r = new SshReader(blob, MAGIC.length + 1);
  const cipher = ascii(r.string());
  r.string(); // kdf name
  r.string(); // kdf options
  r.uint32(); // number of keys
  const publicKey = r.string();
  const type = publicKey ? ascii(new SshReader(publicKey, 0).string()) : '';
  return {
    kind: /ed25519/.test(type) ? 'ed25519' : /ecdsa/.test(type) ? 'ecdsa' : /rsa/.test(type) ? 'rsa' : '',
    encrypted: cipher !== '' && cipher !== 'none',
  };
}

/** An OpenSSH public key line (authorized_keys / .pub): its type name, e.g. 'ssh-ed25519'. */
export function sshPublicKeyType(text: string): string | undefined {
  const m = /(?:^|\s)(ssh-(?:rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp(?:256|384|521)|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)\s+AAAA/.exec(text);
  return m ? m[1] : undefined;
}
