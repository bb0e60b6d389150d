import { type Address, encodeFunctionData, type Hex, isAddressEqual, type PublicClient } from "viem";
import { ChainError, ErrorCode } from "../errors.js";
import { walletAbi } from "./abis.js";
import { recoverDigestSigner, SignatureFormatError } from "./ecdsa.js";

/** `isValidSignature.selector`, left-aligned in a word, as OpenZeppelin's SignatureChecker compares it. */
const MAGIC_WORD = `0x1626ba7e${"0".repeat(56)}`;
const CODE_TTL_MS = 60_000;

/** Checks a signature as the settlement does. */
export interface SignatureVerifier {
  isValid(signer: Address, digest: Hex, signature: Hex): Promise<boolean>;
}

/**
 * Checks signatures exactly as the settlement's `SignatureVerifier` does: an ECDSA signature (65 bytes with
 * v = 27 or 28, or EIP-2098's 64 bytes; low s only) that recovers to the signer is valid whatever code the
 * signer has (an EIP-7702-delegated EOA signs like any EOA); otherwise a signer with code is asked through
 * EIP-1271, and only a returned magic word counts. No other wrapper (ERC-6492, ERC-8010) is understood,
 * because the contract understands none: what passes here passes on chain.
 */
export class SignatureChecker implements SignatureVerifier {
  readonly #code = new Map<string, { hasCode: boolean; at: number }>();

  constructor(readonly publicClient: PublicClient) {}

  /** True when `signature` is `signer`'s over `digest`. Throws ChainError only when the chain cannot be asked. */
  async isValid(signer: Address, digest: Hex, signature: Hex): Promise<boolean> {
    try {
      if (isAddressEqual(await recoverDigestSigner(digest, signature), signer)) return true;
    } catch (error) {
      if (!(error instanceof SignatureFormatError)) throw error;
    }
    if (!(await this.#hasCode(signer))) return false;
    return this.#erc1271(signer, digest, signature);
  }

  async #erc1271(signer: Address, digest: Hex, signature: Hex): Promise<boolean> {
    let data: Hex | undefined;
    try {
      ({ data } = await this.publicClient.call({
        to: signer,
        data: encodeFunctionData({ abi: walletAbi, functionName: "isValidSignature", args: [digest, signature] }),
      }));
    } catch (cause) {
      // The wallet's failure (revert, bad opcode, out of gas) is its "no"; only a node we cannot reach is an error.
      if (isRevert(cause)) return false;
      throw new ChainError(ErrorCode.ChainUnavailable, "could not ask the wallet to check the signature", { cause });
    }
    return data !== undefined && data.length >= 66 && data.slice(0, 66).toLowerCase() === MAGIC_WORD;
  }

  async #hasCode(address: Address): Promise<boolean> {
    const key = address.toLowerCase();
    const hit = this.#code.get(key);
    if (hit && Date.now() - hit.at < CODE_TTL_MS) return hit.hasCode;
    let code: Hex | undefined;
    try {
      code = await this.publicClient.getCode({ address });
    } catch (cause) {
      throw new ChainError(ErrorCode.ChainUnavailable, "could not read the signer's code", { cause });
    }
    const hasCode = code !== undefined && code !== "0x";
    this.#code.set(key, { hasCode, at: Date.now() });
    return hasCode;
  }
}

/** True when the failure is the node's answer (a revert, an invalid opcode, out of gas), not a failure to reach it. */
function isRevert(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 10; depth++) {
    const name = (e as { name?: string }).name ?? "";
    if (name === "HttpRequestError" || name === "TimeoutError" || name === "WebSocketRequestError") return false;
    e = (e as { cause?: unknown }).cause;
  }
  return true;
}
