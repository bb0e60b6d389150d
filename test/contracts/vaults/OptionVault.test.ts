import { expect } from "chai";
import { network } from "hardhat";
import {
  createSeries,
  DAY,
  deploySystem,
  deployVault,
  ETH,
  fund,
  holdTime,
  type System,
  seedVaults,
  setPrice,
  setVol,
  USDC,
  usd8,
  WAD,
} from "../../../scripts/lib/system.js";
import { decodeSeriesId } from "../../../solver/domain/seriesId.js";
import { fromWad } from "../../../solver/math/wad.js";
import { blackScholes } from "../../../solver/pricing/blackScholes.js";
import type { IOptionVault } from "../../../types/ethers-contracts/vaults/OptionVault.js";
import { expectClose } from "../../support/approx.js";
import { toStruct } from "../../support/struct.js";

const connection = await network.create({ override: { allowBlocksWithSameTimestamp: true } });
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;
const MAX = ethers.MaxUint256;

const expiryOf = (id: bigint) => decodeSeriesId(id).expiry;

/** Seeded vaults, a 3000 call and put 30 days out with vols set, and alice funded and approved. */
async function tradingFixture() {
  const s = await deploySystem(connection);
  await seedVaults(s);
  const call = await createSeries(s, 3000n, 30, true);
  const put = await createSeries(s, 3000n, 30, false);
  await setVol(s, expiryOf(call));
  for (const who of [s.alice, s.bob]) {
    await fund(s.weth, who, 1000n * ETH, s.callVault);
    await fund(s.usdc, who, 3_000_000n * USDC, s.putVault);
    await s.ledger.connect(who).setApprovalForAll(s.callVault, true);
    await s.ledger.connect(who).setApprovalForAll(s.putVault, true);
  }
  return { ...s, call, put };
}

async function deadline() {
  return (await time.latest()) + 600;
}

/** Buys from a vault at its current ask. */
async function buyAt(s: System, vault: System["callVault"], id: bigint, amount: bigint, who = s.alice) {
  const q = await vault.quote(id, amount, true);
  await holdTime(s);
  await vault.connect(who).buy(id, amount, q.premium, await deadline(), who.address);
  return q;
}

const paramsOf = async (v: System["callVault"]) => toStruct<IOptionVault.ParamsStruct>(await v.params());
const limitsOf = async (v: System["callVault"]) => toStruct<IOptionVault.LimitsStruct>(await v.limits());

/** Moves past the LP lockup and republishes the price so that marks stay fresh. */
async function passLockup(s: System) {
  await time.increase(3600);
  await setPrice(s, 3000);
}

describe("OptionVault", () => {
  describe("quote", () => {
    it("prices at Black-Scholes on the oracle spot and the smile, with bid < model < ask", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const ask = await s.callVault.quote(s.call, ETH, true);
      const bid = await s.callVault.quote(s.call, ETH, false);
      expect(ask.spot).to.equal(3000n * WAD);
      expect(bid.premium).to.be.lessThan(ask.modelValue);
      expect(ask.premium).to.be.greaterThan(ask.modelValue);
      expect(ask.fee).to.equal(ask.premium - ask.modelValue);
      expect(bid.fee).to.equal(bid.modelValue - bid.premium);
      expect(ask.refusal).to.equal("0x00000000");
      // The vault's model value matches the TypeScript twin priced with the same vol and time.
      const years = (expiryOf(s.call) - (await time.latest())) / (365 * DAY);
      const twin = blackScholes({ spot: 3000, strike: 3000, years, vol: fromWad(ask.vol), rate: 0.05 });
      expectClose(fromWad(ask.modelValue), twin.call / 3000, 1e-12, "call model value");
      expectClose(fromWad(ask.delta), twin.callDelta, 1e-12, "call delta");
      // The smile: ATM vol 80% moved by skew x k with k = ln(K / F) = -rT.
      const k = -0.05 * years;
      expectClose(fromWad(ask.vol), 0.8 - 0.1 * k + 0.2 * k * k, 1e-15, "smile vol");
    });

    it("quotes puts in the quote asset with a negative delta", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const q = await s.putVault.quote(s.put, 2n * ETH, true);
      const years = (expiryOf(s.put) - (await time.latest())) / (365 * DAY);
      const twin = blackScholes({ spot: 3000, strike: 3000, years, vol: fromWad(q.vol), rate: 0.05 });
      expectClose(Number(q.modelValue) / 1e6, 2 * twin.put, 1e-5, "put model value");
      expectClose(fromWad(q.delta), twin.callDelta - 1, 1e-12, "put delta");
    });

    it("never makes a larger trade cheaper per option, on either side", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      let lastAsk = 0;
      let lastBid = Number.POSITIVE_INFINITY;
      for (const size of [1n, 2n, 5n, 10n, 20n]) {
        const ask = await s.callVault.quote(s.call, size * ETH, true);
        const bid = await s.callVault.quote(s.call, size * ETH, false);
        const askPer = Number(ask.premium) / Number(size);
        const bidPer = Number(bid.premium) / Number(size);
        expect(askPer).to.be.greaterThan(lastAsk);
        expect(bidPer).to.be.lessThan(lastBid);
        lastAsk = askPer;
        lastBid = bidPer;
      }
    });

    it("widens the ask as utilisation rises", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const before = await s.callVault.quote(s.call, ETH, true);
      await buyAt(s, s.callVault, s.call, 20n * ETH);
      const after = await s.callVault.quote(s.call, ETH, true);
      expect(await s.callVault.utilisation()).to.be.greaterThan(0);
      // Same model value (same block time aside), wider spread.
      expect(after.fee * before.modelValue).to.be.greaterThan(before.fee * after.modelValue);
    });

    it("reports capacity limits in `refusal` but still prices", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const q = await s.callVault.quote(s.call, 30n * ETH, true);
      expect(q.premium).to.be.greaterThan(0);
      expect(q.refusal).to.equal(s.callVault.interface.getError("ExposureCapExceeded")!.selector);
    });

    it("asks at least 1 wei when the model value rounds to zero, keeping bid < ask", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const far = await createSeries(s, 20_000n, 30, true);
      const ask = await s.callVault.quote(far, 1n, true);
      const bid = await s.callVault.quote(far, 1n, false);
      expect(ask.modelValue).to.equal(0);
      expect(ask.premium).to.equal(1);
      expect(bid.premium).to.equal(0);
    });

    it("test_RevertWhen_amountIsZero", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await expect(s.callVault.quote(s.call, 0, true)).to.be.revertedWithCustomError(s.callVault, "ZeroAmount");
    });

    it("test_RevertWhen_seriesIsOfAnotherTypeOrNotCanonical", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await expect(s.callVault.quote(s.put, ETH, true))
        .to.be.revertedWithCustomError(s.callVault, "UnsupportedSeries")
        .withArgs(s.put);
      const dirty = s.call | (1n << 250n);
      await expect(s.callVault.quote(dirty, ETH, true))
        .to.be.revertedWithCustomError(s.callVault, "UnsupportedSeries")
        .withArgs(dirty);
    });

    it("test_RevertWhen_seriesHasExpired", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await time.increaseTo(expiryOf(s.call));
      await expect(s.callVault.quote(s.call, ETH, true))
        .to.be.revertedWithCustomError(s.callVault, "SeriesExpired")
        .withArgs(s.call);
    });

    it("test_RevertWhen_oracleIsStale", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const [, , , updatedAt] = await s.oracle.latestRoundData();
      await time.increase(3601);
      await expect(s.callVault.quote(s.call, ETH, true))
        .to.be.revertedWithCustomError(s.callVault, "StaleOracle")
        .withArgs(updatedAt);
      await expect(s.callVault.connect(s.alice).buy(s.call, ETH, MAX, MAX, s.alice.address))
        .to.be.revertedWithCustomError(s.callVault, "StaleOracle")
        .withArgs(updatedAt);
    });

    it("test_RevertWhen_oracleAnswerIsNotPositive", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await s.oracle.pushAnswer(0);
      await expect(s.callVault.quote(s.call, ETH, true))
        .to.be.revertedWithCustomError(s.callVault, "InvalidOraclePrice")
        .withArgs(0);
    });

    it("test_RevertWhen_volIsStale", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const slice = await s.callVault.volSlice(expiryOf(s.call));
      await time.increase(86_401);
      await setPrice(s, 3000);
      await expect(s.callVault.quote(s.call, ETH, true))
        .to.be.revertedWithCustomError(s.callVault, "StaleVol")
        .withArgs(expiryOf(s.call), slice.updatedAt);
    });

    it("test_RevertWhen_volWasNeverSet", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const other = await createSeries(s, 3000n, 14, true);
      await expect(s.callVault.quote(other, ETH, true))
        .to.be.revertedWithCustomError(s.callVault, "VolNotSet")
        .withArgs(expiryOf(other));
    });
  });

  describe("buy", () => {
    it("writes options for the buyer, locking full collateral and taking the premium", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const q = await s.callVault.quote(s.call, 10n * ETH, true);
      const wethBefore = await s.weth.balanceOf(s.alice.address);
      await holdTime(s);
      await expect(s.callVault.connect(s.alice).buy(s.call, 10n * ETH, q.premium, await deadline(), s.bob.address))
        .to.emit(s.callVault, "Bought")
        .withArgs(s.call, s.alice.address, s.bob.address, 10n * ETH, q.premium, q.fee);
      expect(wethBefore - (await s.weth.balanceOf(s.alice.address))).to.equal(q.premium);
      expect(await s.ledger.balanceOf(s.bob.address, s.call)).to.equal(10n * ETH);
      expect(await s.ledger.shortBalanceOf(await s.callVault.getAddress(), s.call)).to.equal(10n * ETH);
      expect(await s.callVault.lockedAssets()).to.equal(10n * ETH);
      expect(await s.callVault.freeAssets()).to.equal(90n * ETH + q.premium);
      const pos = await s.callVault.position(s.call);
      expect(pos.amount).to.equal(-10n * ETH);
      expect(pos.collateral).to.equal(10n * ETH);
      expect(await s.callVault.openSeries()).to.deep.equal([s.call]);
    });

    it("delivers from inventory before writing", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      // bob writes 3 calls himself and sells them to the vault, which then holds 3 longs.
      await fund(s.weth, s.bob, 3n * ETH, s.ledger);
      await s.ledger.connect(s.bob).mint(s.call, 3n * ETH, s.bob.address, s.bob.address);
      await s.callVault.connect(s.bob).sell(s.call, 3n * ETH, 0, await deadline(), s.bob.address);
      expect((await s.callVault.position(s.call)).amount).to.equal(3n * ETH);
      await buyAt(s, s.callVault, s.call, 5n * ETH);
      expect(await s.ledger.balanceOf(s.alice.address, s.call)).to.equal(5n * ETH);
      // 3 came from inventory, so only 2 were written.
      expect(await s.ledger.shortBalanceOf(await s.callVault.getAddress(), s.call)).to.equal(2n * ETH);
      expect(await s.callVault.lockedAssets()).to.equal(2n * ETH);
    });

    it("test_RevertWhen_premiumIsAboveLimit", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const q = await s.callVault.quote(s.call, ETH, true);
      await holdTime(s);
      await expect(s.callVault.connect(s.alice).buy(s.call, ETH, q.premium - 1n, await deadline(), s.alice.address))
        .to.be.revertedWithCustomError(s.callVault, "PremiumAboveLimit")
        .withArgs(q.premium, q.premium - 1n);
    });

    it("test_RevertWhen_deadlinePassed", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const past = (await time.latest()) - 1;
      await expect(s.callVault.connect(s.alice).buy(s.call, ETH, MAX, past, s.alice.address))
        .to.be.revertedWithCustomError(s.callVault, "DeadlinePassed")
        .withArgs(past);
    });

    it("test_RevertWhen_recipientIsZero", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await expect(
        s.callVault.connect(s.alice).buy(s.call, ETH, MAX, MAX, ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(s.callVault, "ZeroAddress");
    });

    it("test_RevertWhen_recipientIsTheVault", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      // Longs delivered to the vault would drop from its books but stay on its ledger balance, so `collect`
      // would fail at expiry and every LP entry and exit would wait on it (PendingExpiry) for good.
      const vault = await s.callVault.getAddress();
      await expect(s.callVault.connect(s.alice).buy(s.call, ETH, MAX, MAX, vault))
        .to.be.revertedWithCustomError(s.callVault, "InvalidRecipient")
        .withArgs(vault);
    });

    it("test_RevertWhen_exposureCapIsExceeded", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      // 25% of 100 WETH capital.
      await expect(s.callVault.connect(s.alice).buy(s.call, 26n * ETH, MAX, MAX, s.alice.address))
        .to.be.revertedWithCustomError(s.callVault, "ExposureCapExceeded")
        .withArgs(s.call, 26n * ETH, 25n * ETH);
    });

    it("test_RevertWhen_freeAssetsCannotCoverCollateral", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await s.callVault.setLimits({ ...(await limitsOf(s.callVault)), seriesCap: 1_000_000 });
      await expect(s.callVault.connect(s.alice).buy(s.call, 101n * ETH, MAX, MAX, s.alice.address))
        .to.be.revertedWithCustomError(s.callVault, "InsufficientLiquidity")
        .withArgs(101n * ETH, 100n * ETH);
    });

    it("test_RevertWhen_deltaIsOutOfBounds", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const far = await createSeries(s, 20_000n, 30, true);
      const q = await s.callVault.quote(far, ETH, true);
      await holdTime(s);
      await expect(s.callVault.connect(s.alice).buy(far, ETH, MAX, MAX, s.alice.address))
        .to.be.revertedWithCustomError(s.callVault, "DeltaOutOfBounds")
        .withArgs(q.delta);
    });

    it("test_RevertWhen_expiryIsTooFar", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const far = await createSeries(s, 3000n, 200, true);
      await setVol(s, expiryOf(far));
      const tx = s.callVault.connect(s.alice).buy(far, ETH, MAX, MAX, s.alice.address);
      await expect(tx).to.be.revertedWithCustomError(s.callVault, "ExpiryTooFar");
    });

    it("test_RevertWhen_tooManySeriesAreOpen", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const max = Number(await s.callVault.MAX_OPEN_SERIES());
      const expiry = expiryOf(s.call);
      for (let i = 0; i < max; i++) {
        const strike = 3005n * USDC + BigInt(i) * 10n * USDC;
        await s.ledger.createSeries(s.weth, s.usdc, strike, expiry, true);
        const id = (BigInt(s.pairId) << 176n) | (BigInt(expiry) << 136n) | (1n << 128n) | strike;
        await s.callVault.connect(s.alice).buy(id, ETH / 10n, MAX, MAX, s.alice.address);
      }
      await expect(s.callVault.connect(s.alice).buy(s.call, ETH, MAX, MAX, s.alice.address))
        .to.be.revertedWithCustomError(s.callVault, "TooManyOpenSeries")
        .withArgs(max);
    });

    it("test_RevertWhen_recipientReentersTheVault", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const attacker = await ethers.deployContract("ReentrantReceiver", [s.callVault]);
      await attacker.arm(s.callVault.interface.encodeFunctionData("buy", [s.call, 1n, MAX, MAX, s.alice.address]));
      await expect(s.callVault.connect(s.alice).buy(s.call, ETH, MAX, MAX, attacker)).to.be.revertedWithCustomError(
        s.callVault,
        "ReentrantCall",
      );
    });
  });

  describe("sell", () => {
    it("buys back a short, releasing its collateral", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await buyAt(s, s.putVault, s.put, 4n * ETH);
      expect(await s.putVault.lockedAssets()).to.equal(12_000n * USDC);
      const bid = await s.putVault.quote(s.put, 4n * ETH, false);
      const free = await s.putVault.freeAssets();
      await holdTime(s);
      await expect(s.putVault.connect(s.alice).sell(s.put, 4n * ETH, bid.premium, await deadline(), s.carol.address))
        .to.emit(s.putVault, "Sold")
        .withArgs(s.put, s.alice.address, s.carol.address, 4n * ETH, bid.premium, bid.fee);
      expect(await s.usdc.balanceOf(s.carol.address)).to.equal(bid.premium);
      expect(await s.putVault.lockedAssets()).to.equal(0);
      expect(await s.putVault.freeAssets()).to.equal(free + 12_000n * USDC - bid.premium);
      expect(await s.ledger.shortBalanceOf(await s.putVault.getAddress(), s.put)).to.equal(0);
      expect(await s.putVault.openSeries()).to.deep.equal([]);
    });

    it("holds longs it buys beyond its short, and marks them in NAV", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await fund(s.weth, s.bob, 2n * ETH, s.ledger);
      await s.ledger.connect(s.bob).mint(s.call, 2n * ETH, s.bob.address, s.bob.address);
      const bid = await s.callVault.quote(s.call, 2n * ETH, false);
      await holdTime(s);
      await s.callVault.connect(s.bob).sell(s.call, 2n * ETH, 0, await deadline(), s.bob.address);
      expect(await s.ledger.balanceOf(await s.callVault.getAddress(), s.call)).to.equal(2n * ETH);
      const nav = await s.callVault.totalAssets();
      // Paid the bid, holds options worth the model value.
      expect(nav).to.be.closeTo(100n * ETH - bid.premium + bid.modelValue, 10n ** 12n);
    });

    it("test_RevertWhen_premiumIsBelowLimit", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await buyAt(s, s.callVault, s.call, ETH);
      const q = await s.callVault.quote(s.call, ETH, false);
      await holdTime(s);
      await expect(s.callVault.connect(s.alice).sell(s.call, ETH, q.premium + 1n, MAX, s.alice.address))
        .to.be.revertedWithCustomError(s.callVault, "PremiumBelowLimit")
        .withArgs(q.premium, q.premium + 1n);
    });

    it("test_RevertWhen_freeAssetsCannotPayThePremium", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      // A fresh put vault with 10 USDC of liquidity.
      const small = await deployVault(s, false, await paramsOf(s.putVault), await limitsOf(s.putVault));
      await small.connect(s.keeper).setVolSlice(expiryOf(s.put), (WAD * 8n) / 10n, 0, 0);
      await fund(s.usdc, s.lp, 10n * USDC, small);
      await small.connect(s.lp).deposit(10n * USDC, s.lp.address);
      await fund(s.usdc, s.bob, 3000n * USDC, s.ledger);
      await s.ledger.connect(s.bob).mint(s.put, ETH, s.bob.address, s.bob.address);
      await s.ledger.connect(s.bob).setApprovalForAll(small, true);
      const q = await small.quote(s.put, ETH, false);
      await holdTime(s);
      await expect(small.connect(s.bob).sell(s.put, ETH, 0, MAX, s.bob.address))
        .to.be.revertedWithCustomError(small, "InsufficientLiquidity")
        .withArgs(q.premium, 10n * USDC);
    });

    it("test_RevertWhen_recipientIsTheVault", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await buyAt(s, s.callVault, s.call, ETH);
      // The premium would be paid to the vault itself while free assets drop by it.
      const vault = await s.callVault.getAddress();
      await expect(s.callVault.connect(s.alice).sell(s.call, ETH, 0, MAX, vault))
        .to.be.revertedWithCustomError(s.callVault, "InvalidRecipient")
        .withArgs(vault);
    });

    it("test_RevertWhen_sellerHasNotApprovedTheVault", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await fund(s.weth, s.carol, ETH, s.ledger);
      await s.ledger.connect(s.carol).mint(s.call, ETH, s.carol.address, s.carol.address);
      await expect(s.callVault.connect(s.carol).sell(s.call, ETH, 0, MAX, s.carol.address))
        .to.be.revertedWithCustomError(s.ledger, "ERC1155MissingApprovalForAll")
        .withArgs(await s.callVault.getAddress(), s.carol.address);
    });

    it("test_RevertWhen_deadlinePassed", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const past = (await time.latest()) - 1;
      await expect(s.callVault.connect(s.alice).sell(s.call, ETH, 0, past, s.alice.address))
        .to.be.revertedWithCustomError(s.callVault, "DeadlinePassed")
        .withArgs(past);
    });
  });

  describe("ERC-4626", () => {
    it("caps withdrawals at free assets", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const q = await buyAt(s, s.callVault, s.call, 20n * ETH);
      const free = await s.callVault.freeAssets();
      expect(free).to.equal(80n * ETH + q.premium);
      await passLockup(s);
      expect(await s.callVault.maxWithdraw(s.lp.address)).to.equal(free);
      await expect(s.callVault.connect(s.lp).withdraw(free + 1n, s.lp.address, s.lp.address))
        .to.be.revertedWithCustomError(s.callVault, "ERC4626ExceededMaxWithdraw")
        .withArgs(s.lp.address, free + 1n, free);
      // The NAV moves with time (theta): read the cap on the block the redeem will be mined in.
      await networkHelpers.time.setNextBlockTimestamp((await networkHelpers.time.latest()) + 12);
      const maxShares = await s.callVault.maxRedeem(s.lp.address, { blockTag: "pending" });
      await expect(s.callVault.connect(s.lp).redeem(maxShares + 1n, s.lp.address, s.lp.address))
        .to.be.revertedWithCustomError(s.callVault, "ERC4626ExceededMaxRedeem")
        .withArgs(s.lp.address, maxShares + 1n, maxShares);
      await s.callVault.connect(s.lp).withdraw(free, s.lp.address, s.lp.address);
      expect(await s.callVault.freeAssets()).to.equal(0);
    });

    it("marks open shorts at model value in totalAssets", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const q = await buyAt(s, s.callVault, s.call, 10n * ETH);
      const mark = await s.callVault.quote(s.call, 10n * ETH, true);
      // NAV = free + (collateral - ceil(obligation)) = 100 + premium - model value, within 1 wei.
      const nav = await s.callVault.totalAssets();
      expect(100n * ETH + q.premium - mark.modelValue - nav).to.be.oneOf([0n, 1n]);
    });

    it("ignores donations and defeats the first-depositor inflation attack", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const fresh = await deployVault(s, true, await paramsOf(s.callVault), await limitsOf(s.callVault));
      // The attacker deposits 1 wei and donates 10 WETH straight to the vault.
      await fund(s.weth, s.mallory, 10n * ETH + 1n, fresh);
      await fresh.connect(s.mallory).deposit(1n, s.mallory.address);
      await s.weth.connect(s.mallory).transfer(fresh, 10n * ETH);
      expect(await fresh.totalAssets()).to.equal(1n);
      // The victim deposits 5 WETH and can take all of it back.
      await fund(s.weth, s.carol, 5n * ETH, fresh);
      await fresh.connect(s.carol).deposit(5n * ETH, s.carol.address);
      await passLockup(s);
      expect(await fresh.maxWithdraw(s.carol.address)).to.equal(5n * ETH);
      await fresh.connect(s.carol).redeem(await fresh.balanceOf(s.carol.address), s.carol.address, s.carol.address);
      expect(await s.weth.balanceOf(s.carol.address)).to.equal(5n * ETH);
      // The attacker's share is still worth 1 wei: the donation bought nothing.
      expect(await fresh.maxWithdraw(s.mallory.address)).to.equal(1n);
    });

    it("test_RevertWhen_depositingWhileMarksAreStale", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await buyAt(s, s.callVault, s.call, ETH);
      await time.increase(3601);
      await fund(s.weth, s.carol, ETH, s.callVault);
      expect(await s.callVault.maxDeposit(s.carol.address)).to.equal(0);
      expect(await s.callVault.maxWithdraw(s.lp.address)).to.equal(0);
      await expect(s.callVault.connect(s.carol).deposit(ETH, s.carol.address)).to.be.revertedWithCustomError(
        s.callVault,
        "StaleOracle",
      );
      await setPrice(s, 3000);
      await time.increase(86_400);
      await setPrice(s, 3000);
      await expect(s.callVault.connect(s.carol).deposit(ETH, s.carol.address)).to.be.revertedWithCustomError(
        s.callVault,
        "StaleVol",
      );
      await expect(s.callVault.connect(s.lp).withdraw(ETH, s.lp.address, s.lp.address)).to.be.revertedWithCustomError(
        s.callVault,
        "StaleVol",
      );
    });
  });

  describe("expiry", () => {
    /** alice buys 10 calls struck at 3300; the series settles at `price`; the vault collects. */
    async function expireAt(price: number) {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const id = await createSeries(s, 3300n, 30, true);
      const q = await buyAt(s, s.callVault, id, 10n * ETH);
      const supply = await s.callVault.totalSupply();
      const navBefore = await s.callVault.totalAssets();
      const expiry = expiryOf(id);
      await time.setNextBlockTimestamp(expiry - 10);
      await s.oracle.pushAnswer(usd8(price));
      const [round] = await s.oracle.latestRoundData();
      await time.increaseTo(expiry + 1);
      await s.ledger.settle(id, round);
      const navSettled = await s.callVault.totalAssets();
      await expect(s.callVault.collect(id)).to.emit(s.callVault, "Collected");
      return { s, id, q, supply, navBefore, navSettled };
    }

    it("raises the share price when the options expire worthless", async () => {
      const { s, q, supply, navSettled } = await expireAt(3000);
      expect(await s.callVault.totalAssets()).to.equal(100n * ETH + q.premium);
      expect(navSettled).to.equal(100n * ETH + q.premium);
      expect(await s.callVault.totalSupply()).to.equal(supply);
      expect(await s.callVault.lockedAssets()).to.equal(0);
      expect(await s.callVault.convertToAssets(10n ** 24n)).to.be.greaterThan(ETH);
    });

    it("lowers the share price when the options expire in the money", async () => {
      const { s, q, id } = await expireAt(6600);
      // Payoff (6600 - 3300) / 6600 = 0.5 WETH per option on 10 options.
      expect(await s.callVault.totalAssets()).to.equal(100n * ETH + q.premium - 5n * ETH);
      expect(await s.callVault.convertToAssets(10n ** 24n)).to.be.lessThan(ETH);
      // The holder collects the other side.
      await expect(s.ledger.exercise(id, s.alice.address, 10n * ETH))
        .to.emit(s.ledger, "Exercised")
        .withArgs(id, s.alice.address, 10n * ETH, 5n * ETH);
    });

    it("marks expired but unsettled positions at their payoff on the latest price", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const id = await createSeries(s, 3300n, 30, true);
      const q = await buyAt(s, s.callVault, id, 10n * ETH);
      await time.increaseTo(expiryOf(id) + 1);
      await setPrice(s, 6600);
      expect(await s.callVault.totalAssets()).to.equal(100n * ETH + q.premium - 5n * ETH);
    });

    it("test_RevertWhen_collectingBeforeSettlement", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await buyAt(s, s.callVault, s.call, ETH);
      await expect(s.callVault.collect(s.call))
        .to.be.revertedWithCustomError(s.callVault, "SeriesNotCollectable")
        .withArgs(s.call);
    });

    it("test_RevertWhen_collectingWithoutAPosition", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await expect(s.callVault.collect(s.put))
        .to.be.revertedWithCustomError(s.callVault, "SeriesNotCollectable")
        .withArgs(s.put);
    });
  });

  describe("risk controls", () => {
    it("referencePremium is the price buy and sell would charge, without capacity checks", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      for (const isBuy of [true, false]) {
        const q = await s.callVault.quote(s.call, 3n * ETH, isBuy);
        expect(await s.callVault.referencePremium(s.call, 3n * ETH, isBuy)).to.equal(q.premium);
      }
      // 40 calls exceed the exposure cap: quote refuses, the reference still prices.
      const big = await s.callVault.quote(s.call, 40n * ETH, true);
      expect(big.refusal).to.equal(s.callVault.interface.getError("ExposureCapExceeded")!.selector);
      expect(await s.callVault.referencePremium(s.call, 40n * ETH, true)).to.equal(big.premium);
    });

    it("makes a round trip around a 0.5% oracle step lose money (delta spread)", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const short = await createSeries(s, 3000n, 2, true);
      await setVol(s, expiryOf(short));
      const paid = (await buyAt(s, s.callVault, short, 5n * ETH)).premium;
      await setPrice(s, 3015);
      const received = await s.callVault.quote(short, 5n * ETH, false);
      expect(received.premium).to.be.lessThan(paid);
    });

    it("makes a round trip around a 1-point vol step lose money (vega spread)", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const paid = (await buyAt(s, s.callVault, s.call, 5n * ETH)).premium;
      await s.callVault.connect(s.keeper).setVolSlice(expiryOf(s.call), (WAD * 81n) / 100n, -(WAD / 10n), WAD / 5n);
      const received = await s.callVault.quote(s.call, 5n * ETH, false);
      expect(received.premium).to.be.lessThan(paid);
    });

    it("prices a trade the same whether it is done at once or in pieces", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const whole = await s.callVault.quote(s.call, 20n * ETH, true);
      await holdTime(s);
      const first = await buyAt(s, s.callVault, s.call, 10n * ETH);
      const second = await s.callVault.quote(s.call, 10n * ETH, true);
      const pieces = first.premium + second.premium;
      // Equal but for the first piece's premium, which grows the vault's capital by ~1% and so trims the
      // second piece's utilisation and size terms: within 0.1% of the premium.
      expect(pieces).to.be.greaterThan((whole.premium * 999n) / 1000n);
      expect(pieces).to.be.lessThanOrEqual(whole.premium);
    });

    it("lets the vault buy back its shorts even when their delta is out of bounds", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await buyAt(s, s.callVault, s.call, 5n * ETH);
      // Spot doubles: the call's delta passes the 99.5% bound.
      await setPrice(s, 9000);
      const buyBack = await s.callVault.quote(s.call, 5n * ETH, false);
      expect(buyBack.refusal).to.equal("0x00000000");
      const more = await s.callVault.quote(s.call, ETH, true);
      expect(more.refusal).to.equal(s.callVault.interface.getError("DeltaOutOfBounds")!.selector);
      await holdTime(s);
      await expect(s.callVault.connect(s.alice).sell(s.call, 5n * ETH, 0, MAX, s.alice.address)).to.emit(
        s.callVault,
        "Sold",
      );
      expect((await s.callVault.position(s.call)).amount).to.equal(0);
    });

    it("test_RevertWhen_premiumIsBelowTheMinimum", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const min = (await s.callVault.limits()).minPremium;
      const dust = ETH / 1000n;
      const q = await s.callVault.quote(s.call, dust, true);
      expect(q.premium).to.be.lessThan(min);
      await holdTime(s);
      await expect(s.callVault.connect(s.alice).buy(s.call, dust, MAX, MAX, s.alice.address))
        .to.be.revertedWithCustomError(s.callVault, "PremiumTooSmall")
        .withArgs(q.premium, min);
    });

    it("test_RevertWhen_aTradeWouldOpenADustPosition", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const min = ETH / 10n;
      const dust = ETH / 20n;
      const q = await s.callVault.quote(s.call, dust, true);
      // The premium clears the minimum premium: only the position size refuses the trade.
      expect(q.premium).to.be.greaterThanOrEqual((await s.callVault.limits()).minPremium);
      expect(q.refusal).to.equal(s.callVault.interface.getError("PositionBelowMinimum")!.selector);
      await holdTime(s);
      await expect(s.callVault.connect(s.alice).buy(s.call, dust, MAX, MAX, s.alice.address))
        .to.be.revertedWithCustomError(s.callVault, "PositionBelowMinimum")
        .withArgs(s.call, -dust, min);
      // Selling dust to the vault would open a dust long just the same.
      await fund(s.weth, s.bob, dust, s.ledger);
      await s.ledger.connect(s.bob).mint(s.call, dust, s.bob.address, s.bob.address);
      await expect(s.callVault.connect(s.bob).sell(s.call, dust, 0, MAX, s.bob.address))
        .to.be.revertedWithCustomError(s.callVault, "PositionBelowMinimum")
        .withArgs(s.call, dust, min);
      expect(await s.callVault.openSeries()).to.deep.equal([]);
    });

    it("lets a trade close a position exactly or leave the minimum, but never dust, on either side", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const min = ETH / 10n;
      await buyAt(s, s.callVault, s.call, ETH);
      // Buying back 0.95 of the 1.0 short would leave a 0.05 short; 1.05 would cross to a 0.05 long.
      for (const [amount, after] of [
        [(ETH * 95n) / 100n, -ETH / 20n],
        [(ETH * 105n) / 100n, ETH / 20n],
      ] as const) {
        const q = await s.callVault.quote(s.call, amount, false);
        expect(q.refusal).to.equal(s.callVault.interface.getError("PositionBelowMinimum")!.selector);
        await fund(s.weth, s.bob, amount, s.ledger);
        await s.ledger.connect(s.bob).mint(s.call, amount, s.bob.address, s.bob.address);
        await expect(s.callVault.connect(s.bob).sell(s.call, amount, 0, MAX, s.bob.address))
          .to.be.revertedWithCustomError(s.callVault, "PositionBelowMinimum")
          .withArgs(s.call, after, min);
      }
      // Leaving exactly the minimum, then closing the rest exactly, both go through.
      await s.callVault.connect(s.alice).sell(s.call, ETH - min, 0, MAX, s.alice.address);
      expect((await s.callVault.position(s.call)).amount).to.equal(-min);
      await s.callVault.connect(s.alice).sell(s.call, min, 0, MAX, s.alice.address);
      expect(await s.callVault.openSeries()).to.deep.equal([]);
    });

    it("test_RevertWhen_seriesIsTooCloseToExpiry", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await time.increaseTo(expiryOf(s.call) - 1800);
      await setPrice(s, 3000);
      await s.callVault.connect(s.keeper).setVolSlice(expiryOf(s.call), (WAD * 8n) / 10n, 0, 0);
      await expect(
        s.callVault.connect(s.alice).buy(s.call, ETH, MAX, MAX, s.alice.address),
      ).to.be.revertedWithCustomError(s.callVault, "ExpiryTooClose");
    });

    it("test_RevertWhen_seriesDoesNotExistInTheLedger", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const ghost = s.call + 1n;
      const q = await s.callVault.quote(ghost, ETH, true);
      expect(q.refusal).to.equal(s.callVault.interface.getError("UnknownSeries")!.selector);
      await expect(s.callVault.connect(s.alice).buy(ghost, ETH, MAX, MAX, s.alice.address))
        .to.be.revertedWithCustomError(s.callVault, "UnknownSeries")
        .withArgs(ghost);
    });

    it("refuses longs sent to it outside a trade", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await fund(s.weth, s.bob, ETH, s.ledger);
      await s.ledger.connect(s.bob).mint(s.call, ETH, s.bob.address, s.bob.address);
      await expect(
        s.ledger.connect(s.bob).safeTransferFrom(s.bob.address, s.callVault, s.call, ETH, "0x"),
      ).to.be.revertedWithCustomError(s.ledger, "ERC1155InvalidReceiver");
    });
  });

  describe("LP protections", () => {
    it("locks a depositor's new shares for the lockup, against withdrawal, redemption and transfer", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await fund(s.weth, s.carol, ETH, s.callVault);
      const until = BigInt((await time.latest()) + 1 + 3600);
      await time.setNextBlockTimestamp(Number(until) - 3600);
      await s.callVault.connect(s.carol).deposit(ETH, s.carol.address);
      const shares = await s.callVault.balanceOf(s.carol.address);
      expect(await s.callVault.lockedUntil(s.carol.address)).to.equal(until);
      expect(await s.callVault.lockedShares(s.carol.address)).to.equal(shares);
      expect(await s.callVault.maxWithdraw(s.carol.address)).to.equal(0);
      expect(await s.callVault.maxRedeem(s.carol.address)).to.equal(0);
      // Exits are capped by their ERC-4626 maximum, which counts unlocked shares only.
      await expect(s.callVault.connect(s.carol).withdraw(1n, s.carol.address, s.carol.address))
        .to.be.revertedWithCustomError(s.callVault, "ERC4626ExceededMaxWithdraw")
        .withArgs(s.carol.address, 1n, 0n);
      await expect(s.callVault.connect(s.carol).redeem(1n, s.carol.address, s.carol.address))
        .to.be.revertedWithCustomError(s.callVault, "ERC4626ExceededMaxRedeem")
        .withArgs(s.carol.address, 1n, 0n);
      await expect(s.callVault.connect(s.carol).transfer(s.bob.address, 1n))
        .to.be.revertedWithCustomError(s.callVault, "SharesLocked")
        .withArgs(s.carol.address, shares, until);
      await s.callVault.connect(s.carol).approve(s.bob.address, 1n);
      await expect(s.callVault.connect(s.bob).transferFrom(s.carol.address, s.bob.address, 1n))
        .to.be.revertedWithCustomError(s.callVault, "SharesLocked")
        .withArgs(s.carol.address, shares, until);
      await passLockup(s);
      expect(await s.callVault.lockedShares(s.carol.address)).to.equal(0);
      await s.callVault.connect(s.carol).transfer(s.bob.address, 1n);
      await s.callVault.connect(s.carol).withdraw(ETH / 2n, s.carol.address, s.carol.address);
    });

    it("accepts deposits and mints for another receiver, and locks only the receiver's new shares", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      // bob's own shares from an hour ago are free.
      await fund(s.weth, s.bob, 2n * ETH, s.callVault);
      await s.callVault.connect(s.bob).deposit(2n * ETH, s.bob.address);
      await passLockup(s);
      const own = await s.callVault.balanceOf(s.bob.address);
      // carol deposits and mints for bob, as a router or zap would.
      await fund(s.weth, s.carol, 3n * ETH, s.callVault);
      expect(await s.callVault.maxDeposit(s.bob.address)).to.be.greaterThan(ETH);
      await expect(s.callVault.connect(s.carol).deposit(ETH, s.bob.address)).to.emit(s.callVault, "Deposit");
      await s.callVault.connect(s.carol).mint(10n ** 24n, s.bob.address);
      const added = (await s.callVault.balanceOf(s.bob.address)) - own;
      expect(await s.callVault.lockedShares(s.bob.address)).to.equal(added);
      expect(await s.callVault.balanceOf(s.carol.address)).to.equal(0);
      // bob's older shares still move and exit freely; the new ones do not.
      expect(await s.callVault.maxRedeem(s.bob.address)).to.equal(own);
      await s.callVault.connect(s.bob).transfer(s.alice.address, own / 2n);
      await s.callVault.connect(s.bob).redeem(own / 2n, s.bob.address, s.bob.address);
      const until = await s.callVault.lockedUntil(s.bob.address);
      await expect(s.callVault.connect(s.bob).transfer(s.alice.address, 1n))
        .to.be.revertedWithCustomError(s.callVault, "SharesLocked")
        .withArgs(s.bob.address, added, until);
    });

    it("never lets dust deposits for someone else push their unlock time out, however many", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await fund(s.weth, s.carol, ETH, s.callVault);
      await s.callVault.connect(s.carol).deposit(ETH, s.carol.address);
      const until = await s.callVault.lockedUntil(s.carol.address);
      await time.increase(1800);
      // mallory deposits 1 wei for carol, a hundred times, to push carol's lock out.
      await fund(s.weth, s.mallory, 100n, s.callVault);
      for (let i = 0; i < 100; i++) await s.callVault.connect(s.mallory).deposit(1n, s.carol.address);
      const after = await s.callVault.lockedUntil(s.carol.address);
      expect(after).to.equal(until);
      expect(await s.callVault.lockedShares(s.carol.address)).to.equal(await s.callVault.balanceOf(s.carol.address));
      // Once that lock ends, a dust deposit locks only the dust.
      await time.increaseTo(after);
      await setPrice(s, 3000);
      const shares = await s.callVault.balanceOf(s.carol.address);
      await fund(s.weth, s.mallory, 1n, s.callVault);
      await s.callVault.connect(s.mallory).deposit(1n, s.carol.address);
      const dust = (await s.callVault.balanceOf(s.carol.address)) - shares;
      expect(await s.callVault.lockedShares(s.carol.address)).to.equal(dust);
      expect(await s.callVault.maxRedeem(s.carol.address)).to.equal(shares);
    });

    it("test_RevertWhen_depositingOrWithdrawingToTheVaultItself", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const vault = await s.callVault.getAddress();
      await fund(s.weth, s.carol, 2n * ETH, s.callVault);
      expect(await s.callVault.maxDeposit(vault)).to.equal(0n);
      expect(await s.callVault.maxMint(vault)).to.equal(0n);
      await expect(s.callVault.connect(s.carol).deposit(ETH, vault))
        .to.be.revertedWithCustomError(s.callVault, "ERC4626ExceededMaxDeposit")
        .withArgs(vault, ETH, 0n);
      await s.callVault.connect(s.carol).deposit(ETH, s.carol.address);
      await time.increase(86_400 * 2);
      await setPrice(s, 3000);
      await expect(s.callVault.connect(s.carol).withdraw(10n ** 17n, vault, s.carol.address))
        .to.be.revertedWithCustomError(s.callVault, "InvalidRecipient")
        .withArgs(vault);
    });

    it("merges new shares into a running lock at the share-weighted average unlock time, rounded up", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await fund(s.weth, s.carol, 4n * ETH, s.callVault);
      await s.callVault.connect(s.carol).deposit(ETH, s.carol.address);
      const first = await s.callVault.balanceOf(s.carol.address);
      const t1 = BigInt(await s.callVault.lockedUntil(s.carol.address));
      const t2 = t1 - 3600n + 1000n;
      await time.setNextBlockTimestamp(Number(t2));
      await s.callVault.connect(s.carol).deposit(3n * ETH, s.carol.address);
      const total = await s.callVault.balanceOf(s.carol.address);
      const added = total - first;
      // t1 + added x (t2 + 3600 - t1) / total, rounded up: three quarters of the way to the new unlock time.
      const expected = t1 + (added * (t2 + 3600n - t1) + total - 1n) / total;
      expect(await s.callVault.lockedUntil(s.carol.address)).to.equal(expected);
      expect(await s.callVault.lockedShares(s.carol.address)).to.equal(total);
    });

    it("test_RevertWhen_anLpMovesWhileAnExpiredPositionWaitsForSettlement", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const id = await createSeries(s, 3300n, 30, true);
      await buyAt(s, s.callVault, id, 10n * ETH);
      await time.increaseTo(expiryOf(id) + 1);
      await setPrice(s, 3600);
      await s.callVault.connect(s.keeper).setVolSlice(expiryOf(s.call), (WAD * 8n) / 10n, 0, 0);
      await fund(s.weth, s.carol, ETH, s.callVault);
      // NAV would mark the expired calls at the live spot; entries and exits wait for settle + collect.
      await expect(s.callVault.connect(s.carol).deposit(ETH, s.carol.address))
        .to.be.revertedWithCustomError(s.callVault, "PendingExpiry")
        .withArgs(id);
      await expect(s.callVault.connect(s.lp).withdraw(ETH, s.lp.address, s.lp.address))
        .to.be.revertedWithCustomError(s.callVault, "PendingExpiry")
        .withArgs(id);
      expect(await s.callVault.maxDeposit(s.carol.address)).to.equal(0);
    });

    it("collects correctly after a keeper settled the vault's whole position for it", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const id = await createSeries(s, 3300n, 30, true);
      const q = await buyAt(s, s.callVault, id, 10n * ETH);
      await time.setNextBlockTimestamp(expiryOf(id) - 10);
      await s.oracle.pushAnswer(usd8(6600));
      const [round] = await s.oracle.latestRoundData();
      await time.increaseTo(expiryOf(id) + 1);
      await s.ledger.settle(id, round);
      // A keeper redeems the vault's whole short: 10 x 3300/6600 = 5 WETH paid to the vault.
      await expect(s.ledger.connect(s.carol).redeem(id, s.callVault, 10n * ETH))
        .to.emit(s.ledger, "Redeemed")
        .withArgs(id, await s.callVault.getAddress(), 10n * ETH, 5n * ETH);
      await expect(s.callVault.collect(id))
        .to.emit(s.callVault, "Collected")
        .withArgs(id, -10n * ETH, 5n * ETH);
      expect(await s.callVault.totalAssets()).to.equal(100n * ETH + q.premium - 5n * ETH);
      expect(await s.weth.balanceOf(await s.callVault.getAddress())).to.equal(await s.callVault.freeAssets());
    });
  });

  describe("administration", () => {
    it("test_RevertWhen_nonKeeperSetsVol", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await expect(s.callVault.connect(s.mallory).setVolSlice(expiryOf(s.call), WAD, 0, 0))
        .to.be.revertedWithCustomError(s.callVault, "NotKeeper")
        .withArgs(s.mallory.address);
    });

    it("lets the owner add and remove keepers", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await expect(s.callVault.setKeeper(s.carol.address, true))
        .to.emit(s.callVault, "KeeperSet")
        .withArgs(s.carol.address, true);
      await s.callVault.connect(s.carol).setVolSlice(expiryOf(s.call), WAD, 0, 0);
      await s.callVault.setKeeper(s.carol.address, false);
      expect(await s.callVault.isKeeper(s.carol.address)).to.equal(false);
      await expect(s.callVault.setKeeper(ethers.ZeroAddress, true)).to.be.revertedWithCustomError(
        s.callVault,
        "ZeroAddress",
      );
    });

    it("test_RevertWhen_volIsOutOfRange", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      for (const atm of [WAD / 1000n, 6n * WAD]) {
        await expect(
          s.callVault.connect(s.keeper).setVolSlice(expiryOf(s.call), atm, 0, 0),
        ).to.be.revertedWithCustomError(s.callVault, "InvalidParams");
      }
    });

    it("test_RevertWhen_nonOwnerAdministers", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const calls = [
        s.callVault.connect(s.keeper).setParams(await paramsOf(s.callVault)),
        s.callVault.connect(s.keeper).setLimits(await limitsOf(s.callVault)),
        s.callVault.connect(s.keeper).setKeeper(s.keeper.address, true),
      ];
      for (const call of calls) {
        await expect(call)
          .to.be.revertedWithCustomError(s.callVault, "OwnableUnauthorizedAccount")
          .withArgs(s.keeper.address);
      }
    });

    it("test_RevertWhen_paramsAreInvalid", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const p = await paramsOf(s.callVault);
      const bad = [
        { baseSpread: 0 },
        { baseSpread: 500_000, utilSpread: 400_000, sizeSpread: 100_001 },
        { rate: 1_000_001 },
        { deltaSpread: 100_001 },
        { vegaSpread: 1_000_001 },
        { oracleMaxAge: 0 },
        { volMaxAge: 0 },
      ];
      for (const change of bad) {
        await expect(s.callVault.setParams({ ...p, ...change })).to.be.revertedWithCustomError(
          s.callVault,
          "InvalidParams",
        );
      }
      await expect(s.callVault.setParams({ ...p, rate: 10_000 }))
        .to.emit(s.callVault, "ParamsSet")
        .withArgs(Object.values({ ...p, rate: 10_000 }));
    });

    it("test_RevertWhen_limitsAreInvalid", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const l = await limitsOf(s.callVault);
      const bad = [
        { maxTimeToExpiry: 0 },
        { minTimeToExpiry: l.maxTimeToExpiry },
        { seriesCap: 0 },
        { seriesCap: 1_000_001 },
        { minAbsDelta: 10, maxAbsDelta: 9 },
        { maxAbsDelta: 1_000_001 },
        { minPremium: 0 },
        { lpLockup: 30 * DAY + 1 },
      ];
      for (const change of bad) {
        await expect(s.callVault.setLimits({ ...l, ...change })).to.be.revertedWithCustomError(
          s.callVault,
          "InvalidParams",
        );
      }
      await expect(s.callVault.setLimits({ ...l, lpLockup: 0 }))
        .to.emit(s.callVault, "LimitsSet")
        .withArgs(Object.values({ ...l, lpLockup: 0 }));
    });

    it("test_RevertWhen_ownershipIsRenounced", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await expect(s.callVault.renounceOwnership()).to.be.revertedWithCustomError(s.callVault, "RenounceDisabled");
      expect(await s.callVault.owner()).to.equal(s.admin.address);
    });

    it("sweeps other tokens whole and the asset only above free assets, never accounted funds", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await buyAt(s, s.callVault, s.call, 10n * ETH);
      const vault = await s.callVault.getAddress();
      const free = await s.callVault.freeAssets();
      expect(await s.weth.balanceOf(vault)).to.equal(free);
      await expect(s.callVault.sweep(s.weth, s.carol.address))
        .to.be.revertedWithCustomError(s.callVault, "NothingToSweep")
        .withArgs(await s.weth.getAddress());
      // Donations of the asset and of another token.
      await s.weth.faucet(vault, 5n * ETH);
      await s.usdc.faucet(vault, 700n * USDC);
      await expect(s.callVault.sweep(s.weth, s.carol.address))
        .to.emit(s.callVault, "Swept")
        .withArgs(await s.weth.getAddress(), s.carol.address, 5n * ETH);
      await expect(s.callVault.sweep(s.usdc, s.carol.address))
        .to.emit(s.callVault, "Swept")
        .withArgs(await s.usdc.getAddress(), s.carol.address, 700n * USDC);
      expect(await s.weth.balanceOf(s.carol.address)).to.equal(5n * ETH);
      expect(await s.weth.balanceOf(vault)).to.equal(free);
      expect(await s.callVault.freeAssets()).to.equal(free);
      expect(await s.callVault.lockedAssets()).to.equal(10n * ETH);
    });

    it("test_RevertWhen_sweepingTheAssetWhileAnExpiredPositionAwaitsCollection", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const id = await createSeries(s, 3300n, 30, true);
      await buyAt(s, s.callVault, id, 10n * ETH);
      await time.setNextBlockTimestamp(expiryOf(id) - 10);
      await s.oracle.pushAnswer(usd8(6600));
      const [round] = await s.oracle.latestRoundData();
      await time.increaseTo(expiryOf(id) + 1);
      await s.ledger.settle(id, round);
      // A keeper redeems the vault's short: 5 WETH arrive before `collect` books them.
      await s.ledger.connect(s.carol).redeem(id, s.callVault, 10n * ETH);
      const vault = await s.callVault.getAddress();
      expect((await s.weth.balanceOf(vault)) - (await s.callVault.freeAssets())).to.equal(5n * ETH);
      await expect(s.callVault.sweep(s.weth, s.admin.address))
        .to.be.revertedWithCustomError(s.callVault, "PendingExpiry")
        .withArgs(id);
      await s.callVault.collect(id);
      await expect(s.callVault.sweep(s.weth, s.admin.address))
        .to.be.revertedWithCustomError(s.callVault, "NothingToSweep")
        .withArgs(await s.weth.getAddress());
      expect(await s.weth.balanceOf(vault)).to.equal(await s.callVault.freeAssets());
    });

    it("test_RevertWhen_aNonOwnerSweepsOrTheRecipientIsZero", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      await s.usdc.faucet(s.callVault, USDC);
      await expect(s.callVault.connect(s.mallory).sweep(s.usdc, s.mallory.address))
        .to.be.revertedWithCustomError(s.callVault, "OwnableUnauthorizedAccount")
        .withArgs(s.mallory.address);
      await expect(s.callVault.sweep(s.usdc, ethers.ZeroAddress)).to.be.revertedWithCustomError(
        s.callVault,
        "ZeroAddress",
      );
    });

    it("test_RevertWhen_constructedWithoutOwnerOrForAnUnknownPair", async () => {
      const s = await networkHelpers.loadFixture(tradingFixture);
      const p = await paramsOf(s.callVault);
      const l = await limitsOf(s.callVault);
      const factory = await ethers.getContractFactory("OptionVault", { libraries: s.libraries });
      await expect(factory.deploy(s.ledger, s.pairId, true, "x", "x", ethers.ZeroAddress, 6, p, l))
        .to.be.revertedWithCustomError(factory, "OwnableInvalidOwner")
        .withArgs(ethers.ZeroAddress);
      await expect(factory.deploy(s.ledger, 99, true, "x", "x", s.admin.address, 6, p, l))
        .to.be.revertedWithCustomError(factory, "UnsupportedSeries")
        .withArgs(99);
    });
  });
});
