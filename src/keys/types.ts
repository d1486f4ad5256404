/** A credential's private key, ready to sign Dfns clientData bytes in the format Dfns verifies. */
export interface CredentialKey {
  /** Human-readable, for the one-line log: 'ECDSA P-256', 'ECDSA secp256k1', 'Ed25519', 'RSA 3072'. */
  readonly algorithm: string;
  /**
   * The part of signing that needs no message (a precomputed table, the signing code run once), done
   * while the challenge is on its way (src/meanwhile.ts). A head start only: sign() works as well without
   * it, and a failure here is ignored. Safe to call again (a retry's new challenge): only the first call works.
   */
  readonly prepare?: () => void;
  /** Signature over the message: DER ECDSA over SHA-256, raw Ed25519, or RSASSA-PKCS1-v1_5 SHA-256. */
  sign(message: Uint8Array): Uint8Array;
  /** The public key as SubjectPublicKeyInfo DER (what PEM PUBLIC KEY holds): a new credential attests it. */
  publicKey(): Uint8Array;
}
