import { expect } from "chai";
import { privateKeyToAccount } from "viem/accounts";
import type { Stack } from "../../scripts/lib/stack.js";
import { ErrorCode } from "../../solver/errors.js";
import { cli, cliJson, devnet, freshMarket, key, travelTo } from "./devnet.js";

type VaultState = {
  shares: string;
  assets: string;
  totalAssets: string;
  utilisation: string;
  sharePrice: string;
  lockedUntil: number;
  maxWithdraw: string;
};

/** Liquidity-provider journeys (../shared/USER_JOURNEYS.md), with the CLI as a process. */
describe("journeys: liquidity provider", function () {
  this.timeout(300_000);
  let stack: Stack;
  const lp = { PRIVATE_KEY: key(8) };
  before(async () => {
    stack = await devnet();
  });

  it("LP 1: deposits WETH into the call vault and USDC into the put vault, and receives shares", async () => {
    const call = await cliJson<{ sharesMinted: string } & VaultState>(stack, ["vault", "deposit", "call", "2"], lp);
    expect(BigInt(call.sharesMinted)).to.be.greaterThan(0n);
    const put = await cliJson<{ sharesMinted: string } & VaultState>(stack, ["vault", "deposit", "put", "5000"], lp);
    expect(BigInt(put.sharesMinted)).to.be.greaterThan(0n);
  });

  it("LP 2: sees the vault's NAV (shorts marked at model value), utilisation and share price", async () => {
    const s = await cliJson<VaultState>(stack, ["vault", "status", "call"], lp);
    expect(BigInt(s.totalAssets)).to.be.greaterThan(0n);
    expect(BigInt(s.sharePrice)).to.be.greaterThan(0n);
    const human = await cli(stack, ["vault", "status", "call"], lp);
    expect(human.out).to.match(/NAV \(total assets\)\s*│\s*[\d.]+ WETH/);
    expect(human.out).to.match(/utilisation\s*│\s*[\d.]+%/);
  });

  it("LP 3: withdraws up to the free assets; a clear error while locked says when the lock-up ends", async () => {
    const locked = await cli(stack, ["vault", "withdraw", "call", "1", "--json"], lp);
    expect(locked.code).to.equal(2);
    const error = JSON.parse(locked.out).error as { code: string; message: string; details: { lockedUntil: number } };
    expect(error.code).to.equal(ErrorCode.SharesLocked);
    expect(error.message).to.match(/locked until \d{4}-\d\d-\d\dT[\d:]+Z \(chain time\)/);
    await travelTo(stack, error.details.lockedUntil + 1);
    await freshMarket(stack);
    const done = await cliJson<{ amount: string }>(stack, ["vault", "withdraw", "call", "1"], lp);
    expect(done.amount).to.equal((10n ** 18n).toString());
  });

  it("LP 4: deposits for another receiver, as ERC-4626 allows", async () => {
    const receiver = privateKeyToAccount(key(9)).address;
    const r = await cliJson<{ receiver: string; shares: string; lockedUntil: number }>(
      stack,
      ["vault", "deposit", "put", "1000", "--receiver", receiver],
      lp,
    );
    expect(r.receiver).to.equal(receiver);
    expect(BigInt(r.shares)).to.be.greaterThan(0n);
  });
});
