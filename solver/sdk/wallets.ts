import type { TypedDataDomain as EthersDomain, Signer } from "ethers";
import type { Account, Address, Hex, TypedData, TypedDataDefinition, WalletClient } from "viem";

/** EIP-712 typed data the SDK asks a wallet to sign. */
export type SignRequest = {
  domain: { name: string; version: string; chainId: bigint; verifyingContract: Address };
  types: TypedData;
  primaryType: string;
  message: Record<string, unknown>;
};

/**
 * What the SDK needs from a wallet: the trading address and an EIP-712 signer. `address` is the account
 * that trades (an EOA, or a smart-contract wallet whose owner signs).
 */
export interface WalletAdapter {
  address: Address;
  signTypedData(request: SignRequest): Promise<Hex>;
}

/** A viem WalletClient (with an account) as a wallet. */
export function viemWallet(client: WalletClient, account?: Account): WalletAdapter {
  const acct = account ?? client.account;
  if (!acct) throw new Error("the viem WalletClient has no account");
  return {
    address: acct.address,
    signTypedData: (r) =>
      client.signTypedData({ account: acct, ...(r as unknown as TypedDataDefinition) }) as Promise<Hex>,
  };
}

/** An ethers v6 Signer as a wallet. */
export async function ethersWallet(signer: Signer): Promise<WalletAdapter> {
  const address = (await signer.getAddress()) as Address;
  return {
    address,
    async signTypedData(r) {
      // ethers infers the primary type from `types` and wants mutable arrays without EIP712Domain.
      const types = Object.fromEntries(
        Object.entries(r.types)
          .filter(([name]) => name !== "EIP712Domain")
          .map(([name, fields]) => [
            name,
            (fields as readonly { name: string; type: string }[]).map((f) => ({ ...f })),
          ]),
      );
      const domain: EthersDomain = { ...r.domain, chainId: r.domain.chainId };
      return (await signer.signTypedData(domain, types, r.message)) as Hex;
    },
  };
}

/**
 * A smart-contract wallet (EIP-1271) at `walletAddress` whose owner signs: the wallet is the trader, and
 * the settlement and the API check the owner's signature through the wallet's `isValidSignature`.
 */
export function contractWallet(walletAddress: Address, owner: WalletAdapter): WalletAdapter {
  return { address: walletAddress, signTypedData: (r) => owner.signTypedData(r) };
}
