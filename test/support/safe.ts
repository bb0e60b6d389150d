import { createRequire } from "node:module";
import {
  type Abi,
  type Address,
  encodeFunctionData,
  type Hex,
  type PublicClient,
  parseEventLogs,
  type WalletClient,
  zeroAddress,
} from "viem";

/** Safe 1.4.1 from its official npm build artifacts, unmodified. */
const require = createRequire(import.meta.url);
const artifact = (path: string) =>
  require(`@safe-global/safe-contracts/build/artifacts/contracts/${path}`) as { abi: Abi; bytecode: Hex };
const SAFE = artifact("Safe.sol/Safe.json");
const FACTORY = artifact("proxies/SafeProxyFactory.sol/SafeProxyFactory.json");
const HANDLER = artifact("handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json");

export interface SafeDeployment {
  singleton: Address;
  factory: Address;
  handler: Address;
}

async function deploy(wallet: WalletClient, client: PublicClient, a: { abi: Abi; bytecode: Hex }): Promise<Address> {
  const hash = await wallet.deployContract({
    abi: a.abi,
    bytecode: a.bytecode,
    account: wallet.account!,
    chain: wallet.chain,
  });
  const receipt = await client.waitForTransactionReceipt({ hash });
  return receipt.contractAddress!;
}

/** Deploys the Safe singleton, the proxy factory and the CompatibilityFallbackHandler. */
export async function deploySafeInfrastructure(wallet: WalletClient, client: PublicClient): Promise<SafeDeployment> {
  return {
    singleton: await deploy(wallet, client, SAFE),
    factory: await deploy(wallet, client, FACTORY),
    handler: await deploy(wallet, client, HANDLER),
  };
}

/** A new Safe proxy with `owners` and `threshold`, and the CompatibilityFallbackHandler (EIP-1271). */
export async function createSafe(
  wallet: WalletClient,
  client: PublicClient,
  d: SafeDeployment,
  owners: Address[],
  threshold: number,
  salt = BigInt(Date.now()),
): Promise<Address> {
  const initializer = encodeFunctionData({
    abi: SAFE.abi,
    functionName: "setup",
    args: [owners, BigInt(threshold), zeroAddress, "0x", d.handler, zeroAddress, 0n, zeroAddress],
  });
  const hash = await wallet.writeContract({
    address: d.factory,
    abi: FACTORY.abi,
    functionName: "createProxyWithNonce",
    args: [d.singleton, initializer, salt],
    account: wallet.account!,
    chain: wallet.chain,
  });
  const receipt = await client.waitForTransactionReceipt({ hash });
  const [created] = parseEventLogs({
    abi: FACTORY.abi,
    logs: receipt.logs,
    eventName: "ProxyCreation",
  }) as unknown as Array<{
    args: { proxy: Address };
  }>;
  return created!.args.proxy;
}
