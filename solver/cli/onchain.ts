import type { Command } from "@commander-js/extra-typings";
import { type Abi, type Address, formatUnits } from "viem";
import { erc20Abi, optionLedgerAbi, optionVaultAbi } from "../chain/abis.js";
import { decodeRevert } from "../chain/revert.js";
import { decodeSeriesId } from "../chain/seriesId.js";
import { settlementRound } from "../chain/settlementRound.js";
import { seriesName } from "../engine/reports.js";
import { ErrorCode } from "../errors.js";
import {
  CliError,
  chain,
  emit,
  type GlobalOptions,
  globals,
  pairs,
  parseAmount,
  parseSeriesId,
  progress,
  table,
} from "./context.js";

type Chain = ReturnType<typeof chain>;

/** Simulates, sends and waits for one contract call; a revert becomes a CliError naming the custom error. */
async function send(
  c: Chain,
  g: GlobalOptions,
  call: { address: Address; abi: Abi; functionName: string; args: readonly unknown[] },
): Promise<{ hash: `0x${string}`; gasUsed: bigint; result: unknown }> {
  progress(g, `${call.functionName}(${call.args.map(String).join(", ")})`);
  try {
    const { request, result } = await c.publicClient.simulateContract({ ...call, account: c.account });
    const hash = await c.walletClient.writeContract(request);
    const receipt = await c.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new CliError(ErrorCode.ContractReverted, `${call.functionName} reverted`);
    return { hash, gasUsed: receipt.gasUsed, result };
  } catch (error) {
    if (error instanceof CliError) throw error;
    const revert = decodeRevert(error);
    if (revert) {
      throw new CliError(
        ErrorCode.ContractReverted,
        `${call.functionName} reverted: ${revert.name}(${revert.args.map(String).join(", ")})`,
        {
          cause: error,
          details: { error: revert.name },
        },
      );
    }
    throw new CliError(
      ErrorCode.ChainUnavailable,
      `${call.functionName} failed: ${(error as Error).message.split("\n")[0]}`,
      { cause: error },
    );
  }
}

function vaultOf(c: Chain, kind: string) {
  if (kind !== "call" && kind !== "put")
    throw new CliError(ErrorCode.InvalidRequest, `vault must be "call" or "put", not "${kind}"`);
  const call = kind === "call";
  return {
    vault: call ? c.deployment.contracts.callVault : c.deployment.contracts.putVault,
    asset: call ? c.deployment.contracts.weth : c.deployment.contracts.usdc,
    symbol: call ? "WETH" : "USDC",
    decimals: call ? 18 : 6,
  };
}

async function vaultState(c: Chain, v: ReturnType<typeof vaultOf>, owner: Address) {
  const read = (functionName: string, args: readonly unknown[] = []) =>
    c.publicClient.readContract({
      address: v.vault,
      abi: optionVaultAbi as Abi,
      functionName,
      args,
    }) as Promise<bigint>;
  const [shares, totalAssets, totalSupply, free] = await Promise.all([
    read("balanceOf", [owner]),
    read("totalAssets"),
    read("totalSupply"),
    read("freeAssets"),
  ]);
  const assets = shares === 0n ? 0n : ((await read("convertToAssets", [shares])) as bigint);
  return { vault: v.vault, owner, shares, assets, totalAssets, totalSupply, freeAssets: free };
}

function registerVault(program: Command): void {
  const vault = program.command("vault").description("LP actions on the AMM options vaults (ERC-4626)");
  vault
    .command("deposit")
    .description("deposit into the call vault (WETH) or the put vault (USDC); approves the vault first")
    .argument("<vault>", "call or put")
    .argument("<amount>", "amount of the vault's asset, in whole units (e.g. 2.5)")
    .action(async (kind, amountText, _o, cmd) => {
      const g = globals(cmd);
      const c = chain(g);
      const v = vaultOf(c, kind);
      const amount = parseAmount(amountText, v.decimals);
      await send(c, g, { address: v.asset, abi: erc20Abi as Abi, functionName: "approve", args: [v.vault, amount] });
      const tx = await send(c, g, {
        address: v.vault,
        abi: optionVaultAbi as Abi,
        functionName: "deposit",
        args: [amount, c.account.address],
      });
      const state = await vaultState(c, v, c.account.address);
      const out = {
        action: "deposit",
        asset: v.symbol,
        amount,
        sharesMinted: tx.result as bigint,
        txHash: tx.hash,
        ...state,
      };
      emit(g, out, () =>
        pairs([
          ["deposited", `${formatUnits(amount, v.decimals)} ${v.symbol}`],
          ["shares minted", String(out.sharesMinted)],
          ["your shares", String(state.shares)],
          ["worth", `${formatUnits(state.assets, v.decimals)} ${v.symbol}`],
          [
            "vault free / total",
            `${formatUnits(state.freeAssets, v.decimals)} / ${formatUnits(state.totalAssets, v.decimals)}`,
          ],
          ["tx", tx.hash],
        ]),
      );
    });
  vault
    .command("withdraw")
    .description("withdraw assets from a vault; capped at the vault's free (unlocked) assets")
    .argument("<vault>", "call or put")
    .argument("<amount>", "amount of the vault's asset to withdraw, in whole units")
    .action(async (kind, amountText, _o, cmd) => {
      const g = globals(cmd);
      const c = chain(g);
      const v = vaultOf(c, kind);
      const amount = parseAmount(amountText, v.decimals);
      const tx = await send(c, g, {
        address: v.vault,
        abi: optionVaultAbi as Abi,
        functionName: "withdraw",
        args: [amount, c.account.address, c.account.address],
      });
      const state = await vaultState(c, v, c.account.address);
      const out = {
        action: "withdraw",
        asset: v.symbol,
        amount,
        sharesBurned: tx.result as bigint,
        txHash: tx.hash,
        ...state,
      };
      emit(g, out, () =>
        pairs([
          ["withdrew", `${formatUnits(amount, v.decimals)} ${v.symbol}`],
          ["shares burned", String(out.sharesBurned)],
          ["your shares", String(state.shares)],
          ["worth", `${formatUnits(state.assets, v.decimals)} ${v.symbol}`],
          ["tx", tx.hash],
        ]),
      );
    });
}

/** Unix seconds from "1767225600", "2026-12-25" or "2026-12-25T08:00:00Z". */
function expiryOf(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T08:00:00Z` : text);
  if (Number.isNaN(ms)) throw new CliError(ErrorCode.InvalidRequest, `"${text}" is not a unix time or an ISO date`);
  return Math.floor(ms / 1000);
}

function registerSeries(program: Command): void {
  const series = program.command("series").description("option series on the ledger");
  series
    .command("create")
    .description("create a European cash-settled series on WETH/USDC")
    .requiredOption("--strike <usd>", "strike in USD, e.g. 3100 or 3100.5")
    .requiredOption("--expiry <time>", "expiry: unix seconds or an ISO date (a bare date means 08:00 UTC)")
    .option("--put", "a put (default: a call)")
    .action(async (o, cmd) => {
      const g = globals(cmd);
      const c = chain(g);
      const strike = parseAmount(o.strike, 6);
      const expiry = expiryOf(o.expiry);
      const { contracts } = c.deployment;
      const tx = await send(c, g, {
        address: contracts.ledger,
        abi: optionLedgerAbi as Abi,
        functionName: "createSeries",
        args: [contracts.weth, contracts.usdc, strike, expiry, !o.put],
      });
      const id = tx.result as bigint;
      const out = { seriesId: id, name: seriesName(decodeSeriesId(id)), txHash: tx.hash };
      emit(g, out, () =>
        pairs([
          ["series", out.name],
          ["id", id.toString()],
          ["tx", tx.hash],
        ]),
      );
    });
  series
    .command("list")
    .description("every series the ledger has created, with its settlement state")
    .action(async (_o, cmd) => {
      const g = globals(cmd);
      const c = chain(g);
      const logs = await c.publicClient.getContractEvents({
        address: c.deployment.contracts.ledger,
        abi: optionLedgerAbi,
        eventName: "SeriesCreated",
        fromBlock: BigInt(c.deployment.block),
      });
      const rows = await Promise.all(
        logs.map(async (log) => {
          const id = log.args.seriesId!;
          const info = await c.publicClient.readContract({
            address: c.deployment.contracts.ledger,
            abi: optionLedgerAbi,
            functionName: "series",
            args: [id],
          });
          const t = decodeSeriesId(id);
          return {
            seriesId: id,
            name: seriesName(t),
            expiry: t.expiry,
            isCall: t.isCall,
            strike: t.strike,
            settled: info.state.settled,
            settlementPrice: info.state.settled ? info.state.settlementPrice : null,
          };
        }),
      );
      emit(g, { series: rows }, () =>
        table(
          ["series", "id", "settled at"],
          rows.map((r) => [r.name, r.seriesId.toString(), r.settled ? `$${formatUnits(r.settlementPrice!, 6)}` : "-"]),
        ),
      );
    });
  series
    .command("settle")
    .description("fix an expired series' settlement price from the last oracle round at or before its expiry")
    .argument("<seriesId>", "the series id (decimal or hex)")
    .action(async (idText, _o, cmd) => {
      const g = globals(cmd);
      const c = chain(g);
      const id = parseSeriesId(idText);
      const terms = decodeSeriesId(id);
      progress(g, `finding the last oracle round at or before ${new Date(terms.expiry * 1000).toISOString()}`);
      const round = await settlementRound(c.publicClient, c.deployment.contracts.oracle, terms.expiry);
      const tx = await send(c, g, {
        address: c.deployment.contracts.ledger,
        abi: optionLedgerAbi as Abi,
        functionName: "settle",
        args: [id, round.roundId],
      });
      const out = {
        seriesId: id,
        name: seriesName(terms),
        roundId: round.roundId,
        roundUpdatedAt: round.updatedAt,
        settlementPrice: tx.result as bigint,
        txHash: tx.hash,
      };
      emit(g, out, () =>
        pairs([
          ["series", out.name],
          ["round", `${round.roundId} at ${new Date(round.updatedAt * 1000).toISOString()}`],
          ["settlement price", `$${formatUnits(out.settlementPrice, 6)}`],
          ["tx", tx.hash],
        ]),
      );
    });
}

export function registerOnchain(program: Command): void {
  registerVault(program);
  registerSeries(program);
}
