import { createRequire } from "node:module";
import sha3 from "js-sha3";
import { type Address, bytesToHex, getAddress, type Hex, hexToBytes, recoverAddress } from "viem";
import { sign } from "viem/accounts";

/**
 * secp256k1 for the API's hot path. libsecp256k1 (the `secp256k1` package's prebuilt N-API binding) recovers
 * a signer in ~50 µs and signs in ~40 µs; viem's pure-JS noble takes ~4 ms and ~0.4 ms here, which alone
 * would cap the API near 250 requests/s per core. The binding is loaded directly (not the package's index,
 * which falls back to `elliptic`); without it, viem is used, with identical results.
 */
interface NativeSecp256k1 {
  ecdsaSign(digest: Uint8Array, privateKey: Uint8Array): { signature: Uint8Array; recid: number };
  ecdsaRecover(signature: Uint8Array, recid: number, digest: Uint8Array, compressed: boolean): Uint8Array;
}

const native: NativeSecp256k1 | null = (() => {
  try {
    return createRequire(import.meta.url)("secp256k1/bindings") as NativeSecp256k1;
  } catch {
    return null;
  }
})();

/** True when libsecp256k1 is in use. */
export const nativeSecp256k1 = native !== null;

/** Half the curve order: signatures with a larger s are the malleable twin of a low-s one. */
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/** A signature that is not 64 or 65 bytes, has a bad v, a zero or high s, or recovers no key. */
export class SignatureFormatError extends Error {
  constructor(reason: string) {
    super(`malformed signature: ${reason}`);
    this.name = "SignatureFormatError";
  }
}

/**
 * Splits a 65-byte (r, s, v) or EIP-2098 64-byte (r, yParity·2^255 + s) signature into 64 bytes of r‖s and
 * the recovery id. Refuses high-s, as the settlement contract does.
 */
export function splitSignature(signature: Hex): { rs: Uint8Array; recid: number } {
  const bytes = hexToBytes(signature);
  let recid: number;
  const rs = bytes.slice(0, 64);
  if (bytes.length === 65) {
    const v = bytes[64]!;
    // Only 27 and 28, as the settlement's ECDSA.tryRecover accepts: a signature the chain would refuse is
    // refused here too.
    if (v === 27 || v === 28) recid = v - 27;
    else throw new SignatureFormatError(`v = ${v}`);
  } else if (bytes.length === 64) {
    recid = rs[32]! >> 7;
    rs[32]! &= 0x7f;
  } else {
    throw new SignatureFormatError(`${bytes.length} bytes`);
  }
  const s = BigInt(bytesToHex(rs.slice(32)));
  const r = BigInt(bytesToHex(rs.slice(0, 32)));
  if (r === 0n || s === 0n) throw new SignatureFormatError("zero r or s");
  if (s > HALF_N) throw new SignatureFormatError("high s");
  return { rs, recid };
}

/** The address that signed `digest`; throws SignatureFormatError when the signature is malformed. */
export async function recoverDigestSigner(digest: Hex, signature: Hex): Promise<Address> {
  const { rs, recid } = splitSignature(signature);
  if (!native) {
    return recoverAddress({ hash: digest, signature: bytesToHex(new Uint8Array([...rs, 27 + recid])) });
  }
  let publicKey: Uint8Array;
  try {
    publicKey = native.ecdsaRecover(rs, recid, hexToBytes(digest), false);
  } catch (cause) {
    throw new SignatureFormatError(`no key recovers (${String(cause)})`);
  }
  // js-sha3's keccak (9 µs here against viem's 34 µs): this runs once per signed request.
  return getAddress(`0x${sha3.keccak256(publicKey.subarray(1)).slice(24)}`);
}

/** Signs a 32-byte digest: a 65-byte (r, s, v = 27 + recid) low-s RFC 6979 signature, as viem's `sign`. */
export async function signDigest(digest: Hex, privateKey: Hex): Promise<Hex> {
  if (!native) return sign({ hash: digest, privateKey, to: "hex" });
  const { signature, recid } = native.ecdsaSign(hexToBytes(digest), hexToBytes(privateKey));
  return bytesToHex(new Uint8Array([...signature, 27 + recid]));
}
