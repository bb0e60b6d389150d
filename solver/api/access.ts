import type { Address, Hex } from "viem";
import { typedDigester } from "../chain/eip712.js";
import { type AccessMessage, accessTypes, MAX_ACCESS_SECONDS } from "../chain/rfq.js";
import type { SignatureVerifier } from "../chain/signatures.js";
import { ErrorCode, RequestRejected } from "../errors.js";

/** A wallet's proof that it is `account` until `expiry`: an EIP-712 Access signature. */
export interface AccessProof {
  account: Address;
  expiry: bigint;
  signature: Hex;
}

/**
 * Checks Access proofs: signed by the account (ECDSA, or EIP-1271 for a contract wallet, exactly as the
 * settlement checks signatures), not expired in chain time, and valid for at most a day.
 */
export class AccessVerifier {
  readonly #digest: (m: AccessMessage) => Hex;

  constructor(
    domain: { name: string; version: string; chainId: bigint; verifyingContract: Address },
    readonly signatures: SignatureVerifier,
    readonly chainTime: () => Promise<number>,
  ) {
    this.#digest = typedDigester<AccessMessage>(domain, "Access", accessTypes.Access);
  }

  async verify(proof: AccessProof): Promise<void> {
    const now = BigInt(await this.chainTime());
    if (proof.expiry <= now) throw new RequestRejected(ErrorCode.AuthInvalid, "the access signature has expired");
    if (proof.expiry > now + BigInt(MAX_ACCESS_SECONDS)) {
      throw new RequestRejected(
        ErrorCode.AuthInvalid,
        `an access signature may be valid for at most ${MAX_ACCESS_SECONDS}s`,
      );
    }
    const digest = this.#digest({ account: proof.account, expiry: proof.expiry });
    if (!(await this.signatures.isValid(proof.account, digest, proof.signature))) {
      throw new RequestRejected(ErrorCode.AuthInvalid, "the access signature is not the account's");
    }
  }
}

/** Parses `authorization: Access <account>:<expiry>:<signature>`; null when the header is absent. */
export function accessFromHeader(
  header: string | undefined,
): { account: string; expiry: string; signature: string } | null {
  if (!header) return null;
  const m = /^Access (0x[0-9a-fA-F]{40}):(\d{1,20}):(0x[0-9a-fA-F]{2,8192})$/.exec(header.trim());
  if (!m)
    throw new RequestRejected(ErrorCode.AuthInvalid, "expected authorization: Access <account>:<expiry>:<signature>");
  return { account: m[1]!, expiry: m[2]!, signature: m[3]! };
}
