// RSA credential keys: RSASSA-PKCS1-v1_5 with SHA-256 (deterministic, no randomness needed), signed
// by micro-rsa-dsa-dh through its public API only: no arithmetic on the key is written here.
import { cannotSign, corrupted, rsaTooLarge, rsaTooSmall } from '../errors/key';
import { rsa } from './curves';
import { encode, fromHex, integer, SEQUENCE, spki } from './der';
import type { CredentialKey } from './types';

/**
 * The RSAPrivateKey numbers the signature needs (RFC 8017 A.1.2). The CRT ones (p, q, dp, dq, qi)
 * are not used: the library signs with d alone, which is slower but leaves nothing to combine by hand.
 */
export interface RsaNumbers {
  n: bigint;
  e: bigint;
  d: bigint;
}

const ZERO = BigInt(0);
const ONE = BigInt(1);

export function rsaKey({ n, e, d }: RsaNumbers): CredentialKey {
  const bits = n.toString(2).length;
  if (bits < 1024) throw rsaTooSmall(bits);
  if (bits > 8192) throw rsaTooLarge(bits);
  if (!(n & e & ONE) || e <= ONE || e >= n || d <= ZERO || d >= n) throw corrupted('its RSA numbers are out of range'); // n and e are odd
  const { PKCS1_SHA256 } = rsa();
  return {
    algorithm: `RSA ${bits}`,
    sign(message: Uint8Array): Uint8Array {
      let signature: Uint8Array;
      try {
        signature = PKCS1_SHA256.sign({ n, d }, message);
      } catch (_err) {
        throw cannotSign();
      }
      // A wrong d gives a signature Dfns rejects with a puzzling 401: check it against the public key
      // first (e is small, so this is cheap) and say what is wrong instead.
      if (!PKCS1_SHA256.verify({ n, e }, message, signature)) throw corrupted('its RSA numbers do not fit together');
      return signature;
    },
    publicKey(): Uint8Array {
      // rsaEncryption with NULL parameters, and RSAPublicKey (RFC 8017 A.1.1)
      return spki(fromHex('06092a864886f70d0101010500'), encode(SEQUENCE, integer(n), integer(e)));
    },
  };
}
