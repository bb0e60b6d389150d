import { expect } from "chai";
import { network } from "hardhat";
import { fillParams, fundTrader, makeIntent, signIntent } from "../../scripts/lib/orders.js";
import {
  createSeries,
  deploySystem,
  ETH,
  holdTime,
  type System,
  seedVaults,
  setVol,
  USDC,
} from "../../scripts/lib/system.js";
import type { Intent } from "../../solver/chain/intent.js";
import { decodeSeriesId } from "../../solver/domain/seriesId.js";
import { Side } from "../../solver/domain/side.js";

const connection = await network.create({ override: { allowBlocksWithSameTimestamp: true } });
const { ethers, networkHelpers } = connection;

/**
 * Seeded vaults; a 3000 call and put 30 days out; the solver holds 20 longs of each (written with its own
 * collateral) and cash; alice and bob are funded and approved.
 */
async function settlementFixture() {
  const s = await deploySystem(connection);
  await seedVaults(s);
  const call = await createSeries(s, 3000n, 30, true);
  const put = await createSeries(s, 3000n, 30, false);
  await setVol(s, decodeSeriesId(call).expiry);
  await fundTrader(s, s.solver, 200n * ETH, 2_000_000n * USDC);
  await s.ledger.connect(s.solver).mint(call, 20n * ETH, s.solver.address, s.solver.address);
  await s.ledger.connect(s.solver).mint(put, 20n * ETH, s.solver.address, s.solver.address);
  for (const who of [s.alice, s.bob]) await fundTrader(s, who, 100n * ETH, 1_000_000n * USDC);
  return { ...s, call, put };
}

type Fixture = Awaited<ReturnType<typeof settlementFixture>>;

async function expectSettlementEmpty(s: Fixture) {
  const at = await s.settlement.getAddress();
  expect(await s.weth.balanceOf(at)).to.equal(0);
  expect(await s.usdc.balanceOf(at)).to.equal(0);
  expect(await s.ledger.balanceOf(at, s.call)).to.equal(0);
  expect(await s.ledger.balanceOf(at, s.put)).to.equal(0);
}

/** The vault's price for `amount` at the latest block; the next transaction is held at the same time. */
async function ammPrice(s: Fixture, id: bigint, amount: bigint, isBuy: boolean) {
  const vault = decodeSeriesId(id).isCall ? s.callVault : s.putVault;
  const q = await vault.quote(id, amount, isBuy);
  await holdTime(s);
  return q.premium;
}

async function signed(s: System, intent: Intent, signer = s.alice) {
  return { intent, signature: await signIntent(s, signer, intent) };
}

describe("OptionSettlement", () => {
  describe("internal fills", () => {
    it("buy: delivers the solver's held longs, takes the premium, and leaves the improvement with the user", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      const amount = 2n * ETH;
      const ask = await ammPrice(s, s.call, amount, true);
      const internalPremium = (ask * 99n) / 100n;
      const intent = await makeIntent(s, s.alice, { seriesId: s.call, amount, limitPremium: ask });
      const { signature } = await signed(s, intent);
      const params = fillParams({ internalAmount: amount, internalPremium });
      const orderHash = await s.settlement.hashIntent(intent);
      const aliceWeth = await s.weth.balanceOf(s.alice.address);
      const solverWeth = await s.weth.balanceOf(s.solver.address);
      await holdTime(s);
      await expect(s.settlement.connect(s.solver).fill(intent, signature, params))
        .to.emit(s.settlement, "Filled")
        .withArgs(
          orderHash,
          s.alice.address,
          s.solver.address,
          s.call,
          Side.Buy,
          amount,
          0,
          internalPremium,
          internalPremium,
          ask,
        );
      expect(aliceWeth - (await s.weth.balanceOf(s.alice.address))).to.equal(internalPremium);
      expect((await s.weth.balanceOf(s.solver.address)) - solverWeth).to.equal(internalPremium);
      expect(await s.ledger.balanceOf(s.alice.address, s.call)).to.equal(amount);
      expect(await s.ledger.balanceOf(s.solver.address, s.call)).to.equal(18n * ETH);
      expect(await s.settlement.isNonceUsed(s.alice.address, intent.nonce)).to.equal(true);
      await expectSettlementEmpty(s);
    });

    it("buy: writes options with the solver's collateral when asked to mint", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      const amount = 3n * ETH;
      const ask = await ammPrice(s, s.put, amount, true);
      const intent = await makeIntent(s, s.alice, {
        seriesId: s.put,
        amount,
        limitPremium: ask,
        recipient: s.bob.address as `0x${string}`,
      });
      const { signature } = await signed(s, intent);
      await holdTime(s);
      await s.settlement
        .connect(s.solver)
        .fill(intent, signature, fillParams({ internalAmount: amount, internalPremium: ask, mintAmount: 2n * ETH }));
      expect(await s.ledger.balanceOf(s.bob.address, s.put)).to.equal(amount);
      expect(await s.ledger.balanceOf(s.solver.address, s.put)).to.equal(19n * ETH);
      expect(await s.ledger.shortBalanceOf(s.solver.address, s.put)).to.equal(22n * ETH);
      await expectSettlementEmpty(s);
    });

    it("sell-to-close: takes the user's longs into the solver's inventory and pays the premium", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      await s.ledger.connect(s.solver).safeTransferFrom(s.solver.address, s.alice.address, s.call, 5n * ETH, "0x");
      const bid = await ammPrice(s, s.call, 5n * ETH, false);
      const internalPremium = bid + 1000n;
      const intent = await makeIntent(s, s.alice, {
        seriesId: s.call,
        side: Side.SellToClose,
        amount: 5n * ETH,
        limitPremium: bid,
      });
      const { signature } = await signed(s, intent);
      const before = await s.weth.balanceOf(s.alice.address);
      await holdTime(s);
      await expect(
        s.settlement
          .connect(s.solver)
          .fill(intent, signature, fillParams({ internalAmount: 5n * ETH, internalPremium })),
      )
        .to.emit(s.settlement, "Filled")
        .withArgs(
          await s.settlement.hashIntent(intent),
          s.alice.address,
          s.solver.address,
          s.call,
          Side.SellToClose,
          5n * ETH,
          0,
          internalPremium,
          internalPremium,
          bid,
        );
      expect((await s.weth.balanceOf(s.alice.address)) - before).to.equal(internalPremium);
      expect(await s.ledger.balanceOf(s.alice.address, s.call)).to.equal(0);
      expect(await s.ledger.balanceOf(s.solver.address, s.call)).to.equal(20n * ETH);
      await expectSettlementEmpty(s);
    });

    it("sell-to-open: writes with the user's collateral, keeps the short with the user, longs to the solver", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      const bid = await ammPrice(s, s.put, 2n * ETH, false);
      const intent = await makeIntent(s, s.alice, {
        seriesId: s.put,
        side: Side.SellToOpen,
        amount: 2n * ETH,
        limitPremium: bid,
      });
      const { signature } = await signed(s, intent);
      const usdcBefore = await s.usdc.balanceOf(s.alice.address);
      await holdTime(s);
      await s.settlement
        .connect(s.solver)
        .fill(intent, signature, fillParams({ internalAmount: 2n * ETH, internalPremium: bid }));
      expect(await s.ledger.shortBalanceOf(s.alice.address, s.put)).to.equal(2n * ETH);
      expect(await s.ledger.balanceOf(s.solver.address, s.put)).to.equal(22n * ETH);
      // Paid 6000 USDC of collateral, received the premium.
      expect(usdcBefore - (await s.usdc.balanceOf(s.alice.address))).to.equal(6000n * USDC - bid);
      await expectSettlementEmpty(s);
    });

    it("takes the fee out of the solver's side, never the user's price", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      await s.settlement.setFee(50, s.carol.address);
      const ask = await ammPrice(s, s.call, ETH, true);
      const intent = await makeIntent(s, s.alice, { seriesId: s.call, limitPremium: ask });
      const { signature } = await signed(s, intent);
      const before = await s.weth.balanceOf(s.alice.address);
      const solverBefore = await s.weth.balanceOf(s.solver.address);
      await holdTime(s);
      await s.settlement
        .connect(s.solver)
        .fill(intent, signature, fillParams({ internalAmount: ETH, internalPremium: ask }));
      const fee = (ask * 50n) / 10_000n;
      expect(before - (await s.weth.balanceOf(s.alice.address))).to.equal(ask);
      expect(await s.weth.balanceOf(s.carol.address)).to.equal(fee);
      expect((await s.weth.balanceOf(s.solver.address)) - solverBefore).to.equal(ask - fee);
      await expectSettlementEmpty(s);
    });
  });

  describe("AMM-routed fills", () => {
    it("buy: trades with the vault under the user's limit and refunds the unused budget", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      const ask = await ammPrice(s, s.call, 2n * ETH, true);
      const intent = await makeIntent(s, s.alice, { seriesId: s.call, amount: 2n * ETH, limitPremium: ask + 500n });
      const { signature } = await signed(s, intent);
      const before = await s.weth.balanceOf(s.alice.address);
      await holdTime(s);
      await expect(s.settlement.connect(s.solver).fill(intent, signature, fillParams({ ammPremium: ask + 500n })))
        .to.emit(s.settlement, "Filled")
        .withArgs(
          await s.settlement.hashIntent(intent),
          s.alice.address,
          s.solver.address,
          s.call,
          Side.Buy,
          0,
          2n * ETH,
          ask,
          0,
          0,
        );
      expect(before - (await s.weth.balanceOf(s.alice.address))).to.equal(ask);
      expect(await s.ledger.balanceOf(s.alice.address, s.call)).to.equal(2n * ETH);
      await expectSettlementEmpty(s);
    });

    it("sell-to-close: routes the user's longs to the vault and pays the recipient", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      await s.ledger.connect(s.solver).safeTransferFrom(s.solver.address, s.alice.address, s.put, 3n * ETH, "0x");
      const bid = await ammPrice(s, s.put, 3n * ETH, false);
      const intent = await makeIntent(s, s.alice, {
        seriesId: s.put,
        side: Side.SellToClose,
        amount: 3n * ETH,
        limitPremium: bid,
        recipient: s.bob.address as `0x${string}`,
      });
      const { signature } = await signed(s, intent);
      const before = await s.usdc.balanceOf(s.bob.address);
      await holdTime(s);
      await s.settlement.connect(s.solver).fill(intent, signature, fillParams({ ammPremium: bid }));
      expect((await s.usdc.balanceOf(s.bob.address)) - before).to.equal(bid);
      expect(await s.ledger.balanceOf(await s.putVault.getAddress(), s.put)).to.equal(3n * ETH);
      await expectSettlementEmpty(s);
    });

    it("sell-to-open: writes with the user's collateral and sells the longs to the vault", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      const bid = await ammPrice(s, s.call, ETH, false);
      const intent = await makeIntent(s, s.alice, {
        seriesId: s.call,
        side: Side.SellToOpen,
        amount: ETH,
        limitPremium: bid,
      });
      const { signature } = await signed(s, intent);
      await holdTime(s);
      await s.settlement.connect(s.solver).fill(intent, signature, fillParams({ ammPremium: bid }));
      expect(await s.ledger.shortBalanceOf(s.alice.address, s.call)).to.equal(ETH);
      expect(await s.ledger.balanceOf(await s.callVault.getAddress(), s.call)).to.equal(ETH);
      await expectSettlementEmpty(s);
    });

    it("bubbles the vault's refusal when the AMM leg's budget is too small", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      const ask = await ammPrice(s, s.call, ETH, true);
      const intent = await makeIntent(s, s.alice, { seriesId: s.call, limitPremium: ask });
      const { signature } = await signed(s, intent);
      await holdTime(s);
      await expect(s.settlement.connect(s.solver).fill(intent, signature, fillParams({ ammPremium: ask - 1n })))
        .to.be.revertedWithCustomError(s.callVault, "PremiumAboveLimit")
        .withArgs(ask, ask - 1n);
    });
  });

  describe("split fills", () => {
    it("buy: fills part internally and the rest through the vault, one limit over the total", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      const internalAmount = 3n * ETH;
      const ammAmount = 2n * ETH;
      const internalRef = await s.callVault.quote(s.call, internalAmount, true);
      const ammAsk = await ammPrice(s, s.call, ammAmount, true);
      const internalPremium = internalRef.premium - 10n ** 12n;
      const limit = internalPremium + ammAsk;
      const intent = await makeIntent(s, s.alice, { seriesId: s.call, amount: 5n * ETH, limitPremium: limit });
      const { signature } = await signed(s, intent);
      const before = await s.weth.balanceOf(s.alice.address);
      await holdTime(s);
      await expect(
        s.settlement
          .connect(s.solver)
          .fill(intent, signature, fillParams({ internalAmount, internalPremium, ammPremium: ammAsk })),
      )
        .to.emit(s.settlement, "Filled")
        .withArgs(
          await s.settlement.hashIntent(intent),
          s.alice.address,
          s.solver.address,
          s.call,
          Side.Buy,
          internalAmount,
          ammAmount,
          limit,
          internalPremium,
          internalRef.premium,
        );
      expect(before - (await s.weth.balanceOf(s.alice.address))).to.equal(limit);
      expect(await s.ledger.balanceOf(s.alice.address, s.call)).to.equal(5n * ETH);
      await expectSettlementEmpty(s);
    });

    it("sell: is all-or-nothing when the AMM leg fails", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      await s.ledger.connect(s.solver).safeTransferFrom(s.solver.address, s.alice.address, s.call, 4n * ETH, "0x");
      const bid = await ammPrice(s, s.call, 2n * ETH, false);
      const intent = await makeIntent(s, s.alice, {
        seriesId: s.call,
        side: Side.SellToClose,
        amount: 4n * ETH,
        limitPremium: 0n,
      });
      const { signature } = await signed(s, intent);
      await holdTime(s);
      await expect(
        s.settlement
          .connect(s.solver)
          .fill(
            intent,
            signature,
            fillParams({ internalAmount: 2n * ETH, internalPremium: bid, ammPremium: bid * 2n }),
          ),
      ).to.be.revertedWithCustomError(s.callVault, "PremiumBelowLimit");
      // Nothing moved: the internal leg rolled back with the AMM leg.
      expect(await s.ledger.balanceOf(s.alice.address, s.call)).to.equal(4n * ETH);
      expect(await s.settlement.isNonceUsed(s.alice.address, intent.nonce)).to.equal(false);
    });
  });

  describe("batch", () => {
    it("fills every valid order and skips a failing one with its reason", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      const intents = [];
      for (const who of [s.alice, s.bob, s.alice]) intents.push(await makeIntent(s, who, { seriesId: s.call }));
      // bob cancels his nonce before the batch lands.
      const bobNonce = intents[1]!.nonce;
      await s.settlement.connect(s.bob).invalidateNonces(bobNonce >> 8n, 1n << (bobNonce & 255n));
      const ask = await ammPrice(s, s.call, ETH, true);
      const orders = [];
      for (const [i, who] of [s.alice, s.bob, s.alice].entries()) {
        const intent = { ...intents[i]!, limitPremium: ask };
        orders.push({
          intent,
          signature: await signIntent(s, who, intent),
          params: fillParams({ internalAmount: ETH, internalPremium: ask }),
        });
      }
      const reason = s.settlement.interface.encodeErrorResult("NonceAlreadyUsed", [s.bob.address, bobNonce]);
      await expect(s.settlement.connect(s.solver).fillBatch(orders))
        .to.emit(s.settlement, "FillSkipped")
        .withArgs(await s.settlement.hashIntent(orders[1]!.intent), s.bob.address, reason);
      expect(await s.ledger.balanceOf(s.alice.address, s.call)).to.equal(2n * ETH);
      expect(await s.ledger.balanceOf(s.bob.address, s.call)).to.equal(0);
      await expectSettlementEmpty(s);
    });

    it("test_RevertWhen_fillFromBatchIsCalledFromOutside", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      const intent = await makeIntent(s, s.alice, { seriesId: s.call });
      const order = { intent, signature: await signIntent(s, s.alice, intent), params: fillParams() };
      await expect(
        s.settlement
          .connect(s.mallory)
          .fillFromBatch(order, s.solver.address, { paused: false, feeBps: 0, feeRecipient: ethers.ZeroAddress }),
      ).to.be.revertedWithCustomError(s.settlement, "OnlySelf");
    });
  });

  describe("nonces", () => {
    it("cancels a whole word at once", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      await expect(s.settlement.connect(s.alice).invalidateNonces(3, ethers.MaxUint256))
        .to.emit(s.settlement, "NoncesInvalidated")
        .withArgs(s.alice.address, 3, ethers.MaxUint256);
      for (const n of [768n, 900n, 1023n]) expect(await s.settlement.isNonceUsed(s.alice.address, n)).to.equal(true);
      expect(await s.settlement.isNonceUsed(s.alice.address, 1024n)).to.equal(false);
      expect(await s.settlement.nonceBitmap(s.alice.address, 3)).to.equal(ethers.MaxUint256);
    });
  });

  describe("fill parameter validation", () => {
    it("test_RevertWhen_fillParamsDoNotFitTheIntent", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      const bad = [
        { intent: {}, params: fillParams({ internalAmount: 2n * ETH }) },
        { intent: {}, params: fillParams({ internalAmount: ETH, mintAmount: 2n * ETH }) },
        { intent: { side: Side.SellToClose }, params: fillParams({ internalAmount: ETH, mintAmount: ETH }) },
        { intent: {}, params: fillParams({ internalPremium: 1n, ammPremium: ETH }) },
      ];
      for (const { intent: fields, params } of bad) {
        const intent = await makeIntent(s, s.alice, { seriesId: s.call, ...fields });
        const signature = await signIntent(s, s.alice, intent);
        await expect(s.settlement.connect(s.solver).fill(intent, signature, params)).to.be.revertedWithCustomError(
          s.settlement,
          "InvalidFillParams",
        );
      }
    });

    it("test_RevertWhen_recipientIsZero", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      const intent = await makeIntent(s, s.alice, { seriesId: s.call, recipient: ethers.ZeroAddress as `0x${string}` });
      const signature = await signIntent(s, s.alice, intent);
      await expect(
        s.settlement.connect(s.solver).fill(intent, signature, fillParams({ internalAmount: ETH })),
      ).to.be.revertedWithCustomError(s.settlement, "InvalidRecipient");
    });

    it("test_RevertWhen_noVaultIsRegisteredForTheSeries", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      await s.settlement.setVault(s.pairId, true, ethers.ZeroAddress);
      const intent = await makeIntent(s, s.alice, { seriesId: s.call });
      const signature = await signIntent(s, s.alice, intent);
      await expect(s.settlement.connect(s.solver).fill(intent, signature, fillParams({ internalAmount: ETH })))
        .to.be.revertedWithCustomError(s.settlement, "VaultNotRegistered")
        .withArgs(s.pairId, true);
    });
  });

  describe("administration", () => {
    it("registers only vaults of the right ledger, pair and type", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      await expect(s.settlement.setVault(s.pairId, true, s.putVault))
        .to.be.revertedWithCustomError(s.settlement, "InvalidVault")
        .withArgs(await s.putVault.getAddress());
      await expect(s.settlement.setVault(s.pairId + 1, true, s.callVault)).to.be.revertedWithCustomError(
        s.settlement,
        "InvalidVault",
      );
      expect(await s.settlement.vaultFor(s.pairId, true)).to.equal(await s.callVault.getAddress());
    });

    it("revokes a replaced vault's approvals", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      const at = await s.settlement.getAddress();
      expect(await s.weth.allowance(at, s.callVault)).to.equal(ethers.MaxUint256);
      await expect(s.settlement.setVault(s.pairId, true, ethers.ZeroAddress))
        .to.emit(s.settlement, "VaultSet")
        .withArgs(s.pairId, true, ethers.ZeroAddress);
      expect(await s.weth.allowance(at, s.callVault)).to.equal(0);
      expect(await s.ledger.isApprovedForAll(at, s.callVault)).to.equal(false);
    });

    it("test_RevertWhen_feeIsAboveTheHardCap", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      await expect(s.settlement.setFee(101, s.carol.address))
        .to.be.revertedWithCustomError(s.settlement, "FeeTooHigh")
        .withArgs(101);
      await expect(s.settlement.setFee(10, ethers.ZeroAddress)).to.be.revertedWithCustomError(
        s.settlement,
        "ZeroAddress",
      );
      await expect(s.settlement.setFee(100, s.carol.address))
        .to.emit(s.settlement, "FeeSet")
        .withArgs(100, s.carol.address);
    });

    it("test_RevertWhen_solverIsZero", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      await expect(s.settlement.setSolver(ethers.ZeroAddress, true)).to.be.revertedWithCustomError(
        s.settlement,
        "ZeroAddress",
      );
    });

    it("test_RevertWhen_nonOwnerAdministers", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      const calls = [
        s.settlement.connect(s.mallory).setSolver(s.mallory.address, true),
        s.settlement.connect(s.mallory).setVault(s.pairId, true, ethers.ZeroAddress),
        s.settlement.connect(s.mallory).setFee(0, ethers.ZeroAddress),
        s.settlement.connect(s.mallory).setPaused(true),
      ];
      for (const call of calls) {
        await expect(call)
          .to.be.revertedWithCustomError(s.settlement, "OwnableUnauthorizedAccount")
          .withArgs(s.mallory.address);
      }
    });

    it("test_RevertWhen_ownershipIsRenounced", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      await expect(s.settlement.renounceOwnership()).to.be.revertedWithCustomError(s.settlement, "RenounceDisabled");
      expect(await s.settlement.owner()).to.equal(s.admin.address);
    });

    it("sweeps any token sent to it, which it never holds between transactions", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      await s.weth.connect(s.alice).transfer(s.settlement, ETH);
      await expect(s.settlement.sweep(s.weth, s.alice.address))
        .to.emit(s.settlement, "Swept")
        .withArgs(await s.weth.getAddress(), s.alice.address, ETH);
      await expectSettlementEmpty(s);
      await expect(s.settlement.sweep(s.weth, s.alice.address))
        .to.be.revertedWithCustomError(s.settlement, "NothingToSweep")
        .withArgs(await s.weth.getAddress());
    });

    it("test_RevertWhen_aNonOwnerSweepsOrTheRecipientIsZero", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      await s.usdc.connect(s.alice).transfer(s.settlement, USDC);
      await expect(s.settlement.connect(s.mallory).sweep(s.usdc, s.mallory.address))
        .to.be.revertedWithCustomError(s.settlement, "OwnableUnauthorizedAccount")
        .withArgs(s.mallory.address);
      await expect(s.settlement.sweep(s.usdc, ethers.ZeroAddress)).to.be.revertedWithCustomError(
        s.settlement,
        "ZeroAddress",
      );
    });

    it("test_RevertWhen_ledgerIsZero", async () => {
      const factory = await ethers.getContractFactory("OptionSettlement");
      await expect(
        factory.deploy(ethers.ZeroAddress, (await ethers.getSigners())[0]!.address),
      ).to.be.revertedWithCustomError(factory, "ZeroAddress");
    });

    it("refuses longs sent to it outside a fill", async () => {
      const s = await networkHelpers.loadFixture(settlementFixture);
      await expect(
        s.ledger.connect(s.solver).safeTransferFrom(s.solver.address, s.settlement, s.call, 1n, "0x"),
      ).to.be.revertedWithCustomError(s.ledger, "ERC1155InvalidReceiver");
      await expect(
        s.ledger.connect(s.solver).safeBatchTransferFrom(s.solver.address, s.settlement, [s.call], [1n], "0x"),
      ).to.be.revertedWithCustomError(s.ledger, "ERC1155InvalidReceiver");
    });
  });
});
