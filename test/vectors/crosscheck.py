#!/usr/bin/env python3
"""A second, independent check of the golden vectors: pyca/cryptography (>= 44, whose wheels bundle
an OpenSSL >= 3.2 with RFC 6979 deterministic ECDSA) recomputes every signature from the vector's own
private key and clientData, and every text from the vector's own inputs. Not run by the tests.

    python3 test/vectors/crosscheck.py

Exit status 0 when every vector agrees, 1 otherwise. See README.md for the P-384/P-521 nonce note.
"""
import base64
import glob
import json
import os
import sys

from cryptography.hazmat.backends.openssl import backend
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

ORDERS = {  # group orders n (SEC 2), to fold s into the low half as the signer does
    "secp256r1": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    "secp256k1": 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
    "secp384r1": 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973,
    "secp521r1": 0x1FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409,
}


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def q(s: str) -> str:  # JSON string, as JSON.stringify writes it (non-ASCII kept, no spaces)
    return json.dumps(s, ensure_ascii=False)


def low_s_der(der: bytes, n: int) -> bytes:
    r, s = decode_dss_signature(der)
    return encode_dss_signature(r, min(s, n - s))


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    # The published RFC 6979 A.2.5 P-256/SHA-256 "sample" signature, to show this OpenSSL signs by RFC 6979.
    x = 0xC9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721
    published = ec.derive_private_key(x, ec.SECP256R1()).sign(b"sample", ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    assert decode_dss_signature(published) == (
        0xEFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716,
        0xF7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8,
    ), "this OpenSSL does not reproduce RFC 6979 A.2.5"

    failures = 0
    for path in sorted(glob.glob(os.path.join(here, "*.json"))):
        v = json.load(open(path, encoding="utf-8"))
        req, answer, want = v["request"], v["initAnswer"], v["expected"]
        init_body = (f'{{"userActionServerKind":"Api","userActionHttpMethod":{q(req["method"])},'
                     f'"userActionHttpPath":{q(req["path"])},"userActionPayload":{q(req["body"])}}}')
        client_data = f'{{"type":"key.get","challenge":{q(answer["challenge"])}}}'
        data = client_data.encode("utf-8")
        key = serialization.load_pem_private_key(v["privateKeyPem"].encode(), password=None)
        note = ""
        if isinstance(key, ed25519.Ed25519PrivateKey):
            signature = key.sign(data)
        elif isinstance(key, rsa.RSAPrivateKey):
            signature = key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        else:
            n = ORDERS[key.curve.name]
            assert n.bit_length() == key.curve.key_size, f"order of {key.curve.name} mistyped"
            signature = low_s_der(key.sign(data, ec.ECDSA(hashes.SHA256(), deterministic_signing=True)), n)
            vector_sig = base64.urlsafe_b64decode(want["signatureBase64url"] + "==")
            key.public_key().verify(vector_sig, data, ec.ECDSA(hashes.SHA256()))  # raises if invalid
            if key.curve.name in ("secp384r1", "secp521r1"):
                # RFC 6979 with H = SHA-256 runs HMAC-SHA-256; the signer (noble) and elliptic run the
                # HMAC-DRBG with the curve's hash. Same r only if they agree, which they do not.
                same = signature == vector_sig
                note = f" (OpenSSL's RFC 6979 signature {'equals' if same else 'differs, as expected'}; the vector's verifies)"
                signature = vector_sig
        credential = answer["allowCredentials"]["key"][0]["id"]
        assertion = f'{{"credId":{q(credential)},"clientData":{q(b64u(data))},"signature":{q(b64u(signature))}}}'
        complete_body = (f'{{"challengeIdentifier":{q(answer["challengeIdentifier"])},'
                         f'"firstFactor":{{"kind":"Key","credentialAssertion":{assertion}}}}}')
        got = {"initBody": init_body, "clientData": client_data, "clientDataBase64url": b64u(data),
               "signatureBase64url": b64u(signature), "completeBody": complete_body}
        bad = [k for k in want if want[k] != got.get(k)]
        print(f"{'agrees   ' if not bad else 'DIFFERS  '} {os.path.basename(path)} {', '.join(bad)}{note}")
        failures += bool(bad)
    print(f"pyca/cryptography with {backend.openssl_version_text()}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
