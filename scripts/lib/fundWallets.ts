import { type Abi, type Hex, maxUint256, parseEther } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { erc20Abi, optionLedgerAbi } from "../../solver/chain/abis.js";
import { createClients } from "../../solver/chain/clients.js";
import type { Deployment } from "../../solver/config/schema.js";
import { devnetClients, mined } from "./keeper.js";

/**
 * Makes fresh wallets traders on a devnet, as the seeded trader accounts are: gas money, WETH and USDC from
 * the faucets, and every approval a buy, a sell to close or a sell to open needs. The solver checks balances
 * and approvals before quoting firm, so unfunded wallets would only be declined.
 */
export async function fundTraders(
  deployment: Deployment,
  rpcUrl: string,
  keys: readonly Hex[],
  amounts = { weth: 1_000n * 10n ** 18n, usdc: 5_000_000n * 10n ** 6n },
): Promise<void> {
  const admin = devnetClients(deployment, rpcUrl, 0);
  const c = deployment.contracts;
  const adminSend = async (call: { address: `0x${string}`; abi: Abi; functionName: string; args: unknown[] }) =>
    mined(admin, await admin.walletClient.writeContract({ ...call, account: admin.account, chain: null } as never));
  for (const key of keys) {
    const to = privateKeyToAccount(key).address;
    await mined(
      admin,
      await admin.walletClient.sendTransaction({ to, value: parseEther("1"), account: admin.account, chain: null }),
    );
    await adminSend({ address: c.weth, abi: erc20Abi as Abi, functionName: "faucet", args: [to, amounts.weth] });
    await adminSend({ address: c.usdc, abi: erc20Abi as Abi, functionName: "faucet", args: [to, amounts.usdc] });
  }
  await Promise.all(
    keys.map(async (key) => {
      const { walletClient: wallet } = createClients({ chainId: deployment.chainId, key, rpcUrl });
      const MAX = maxUint256;
      const calls: Array<{ address: `0x${string}`; abi: Abi; functionName: string; args: unknown[] }> = [
        { address: c.weth, abi: erc20Abi as Abi, functionName: "approve", args: [c.settlement, MAX] },
        { address: c.usdc, abi: erc20Abi as Abi, functionName: "approve", args: [c.settlement, MAX] },
        { address: c.weth, abi: erc20Abi as Abi, functionName: "approve", args: [c.ledger, MAX] },
        { address: c.usdc, abi: erc20Abi as Abi, functionName: "approve", args: [c.ledger, MAX] },
        {
          address: c.ledger,
          abi: optionLedgerAbi as Abi,
          functionName: "setApprovalForAll",
          args: [c.settlement, true],
        },
        {
          address: c.ledger,
          abi: optionLedgerAbi as Abi,
          functionName: "setWriteApproval",
          args: [c.settlement, true],
        },
      ];
      for (const call of calls) await mined(admin, await wallet.writeContract(call as never));
    }),
  );
}
