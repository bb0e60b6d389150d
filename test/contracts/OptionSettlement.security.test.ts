import { expect } from "chai";
import { Wallet } from "ethers";
import { network } from "hardhat";
import { type Address, zeroAddress } from "viem";
import { fillParams, fundTrader, makeIntent, signIntent } from "../../scripts/lib/orders.js";
import {
  createSeries,
  deploySystem,
  deployVault,
  ETH,
  holdTime,
  seedVaults,
  setVol,
  USDC,
  WAD,
} from "../../scripts/lib/system.js";
import { type Intent, intentTypes, settlementDomain } from "../../solver/chain/intent.js";
import { decodeSeriesId, encodeSeriesId } from "../../solver/domain/seriesId.js";
import { Side } from "../../solver/domain/side.js";
import type { IOptionVault } from "../../types/ethers-contracts/vaults/OptionVault.js";
import { toStruct } from "../support/struct.js";

const connection = await network.create({ override: { allowBlocksWithSameTimestamp: true } });
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** The settlement fixture: a 3000 call 30 days out; the solver holds 20 longs; alice is funded. */
async function securityFixture() {
  const s = await deploySystem(connection);
  await seedVaults(s);
  const call = await createSeries(s, 3000n, 30, true);
  await setVol(s, decodeSeriesId(call).expiry);
  await fundTrader(s, s.solver, 200n * ETH, 2_000_000n * USDC);
  await s.ledger.connect(s.solver).mint(call, 20n * ETH, s.solver.address, s.solver.address);
  await fundTrader(s, s.alice, 100n * ETH, 1_000_000n * USDC);
  return { ...s, call };
}

type Fixture = Awaited<ReturnType<typeof securityFixture>>;

/** A signed internal buy of 1 call at a premium the AMM would beat no one at: half the AMM ask. */
async function internalBuy(s: Fixture, fields: Partial<Intent> = {}, signer = s.alice) {
  const ask = await s.callVault.referencePremium(s.call, ETH, true);
  await holdTime(s);
  const intent = await makeIntent(s, signer, { seriesId: s.call, limitPremium: ask, ...fields });
  const signature = await signIntent(s, signer, intent);
  return { intent, signature, params: fillParams({ internalAmount: ETH, internalPremium: ask / 2n }) };
}

function fill(s: Fixture, o: Awaited<ReturnType<typeof internalBuy>>, solver = s.solver) {
  return s.settlement.connect(solver).fill(o.intent, o.signature, o.params);
}

describe("OptionSettlement security", () => {
  describe("replay", () => {
    it("test_RevertWhen_aFilledIntentIsReplayedOnTheSameContract", async () => {
      const s = await networkHelpers.loadFixture(securityFixture);
      const o = await internalBuy(s);
      await fill(s, o);
      await expect(fill(s, o))
        .to.be.revertedWithCustomError(s.settlement, "NonceAlreadyUsed")
        .withArgs(s.alice.address, o.intent.nonce);
    });

    it("test_RevertWhen_anIntentSignedForAnotherChainIsReplayed", async () => {
      const s = await networkHelpers.loadFixture(securityFixture);
      const o = await internalBuy(s);
      const foreign = await signIntent(s, s.alice, o.intent, { chainId: 1n });
      await expect(s.settlement.connect(s.solver).fill(o.intent, foreign, o.params)).to.be.revertedWithCustomError(
        s.settlement,
        "InvalidSignature",
      );
    });

    it("test_RevertWhen_anIntentSignedForAnotherSettlementIsReplayed", async () => {
      const s = await networkHelpers.loadFixture(securityFixture);
      const other = await ethers.deployContract("OptionSettlement", [s.ledger, s.admin.address]);
      const o = await internalBuy(s);
      const forOther = await signIntent(s, s.alice, o.intent, {
        verifyingContract: (await other.getAddress()) as Address,
      });
      await expect(s.settlement.connect(s.solver).fill(o.intent, forOther, o.params)).to.be.revertedWithCustomError(
        s.settlement,
        "InvalidSignature",
      );
      // The domains differ, so the same intent has a different order hash on each contract.
      expect(await other.hashIntent(o.intent)).to.not.equal(await s.settlement.hashIntent(o.intent));
    });

    it("test_RevertWhen_anIntentWhoseNonceWasCancelledIsFilled", async () => {
      const s = await networkHelpers.loadFixture(securityFixture);
      const o = await internalBuy(s);
      const n = o.intent.nonce;
      await s.settlement.connect(s.alice).invalidateNonces(n >> 8n, 1n << (n & 255n));
      await expect(fill(s, o))
        .to.be.revertedWithCustomError(s.settlement, "NonceAlreadyUsed")
        .withArgs(s.alice.address, n);
    });
  });

  describe("signatures", () => {
    it("test_RevertWhen_theSignatureIsMalleable", async () => {
      const s = await networkHelpers.loadFixture(securityFixture);
      const o = await internalBuy(s);
      const sig = ethers.Signature.from(o.signature);
      // (r, n - s, flipped v) recovers the same signer; OpenZeppelin's ECDSA refuses the high-s form.
      const highS = ethers.concat([
        sig.r,
        ethers.toBeHex(SECP256K1_N - BigInt(sig.s), 32),
        sig.v === 27 ? "0x1c" : "0x1b",
      ]);
      // The ecrecover precompile itself still accepts the high-s form (EIP-2 covers transactions only).
      const digest = await s.settlement.hashIntent(o.intent);
      const precompile = await ethers.provider.call({
        to: "0x0000000000000000000000000000000000000001",
        data: ethers.concat([
          digest,
          ethers.toBeHex(sig.v === 27 ? 28 : 27, 32),
          sig.r,
          ethers.toBeHex(SECP256K1_N - BigInt(sig.s), 32),
        ]),
      });
      expect(ethers.getAddress(ethers.dataSlice(precompile, 12))).to.equal(s.alice.address);
      await expect(s.settlement.connect(s.solver).fill(o.intent, highS, o.params)).to.be.revertedWithCustomError(
        s.settlement,
        "InvalidSignature",
      );
    });

    it("accepts an EIP-2098 compact signature, and only once across both encodings", async () => {
      const s = await networkHelpers.loadFixture(securityFixture);
      const o = await internalBuy(s);
      const compact = ethers.Signature.from(o.signature).compactSerialized;
      expect(ethers.dataLength(compact)).to.equal(64);
      await s.settlement.connect(s.solver).fill(o.intent, compact, o.params);
      await expect(fill(s, o)).to.be.revertedWithCustomError(s.settlement, "NonceAlreadyUsed");
    });

    it("test_RevertWhen_theSignatureIsNotTheUsers", async () => {
      const s = await networkHelpers.loadFixture(securityFixture);
      const o = await internalBuy(s);
      const forged = await signIntent(s, s.mallory, o.intent);
      await expect(s.settlement.connect(s.solver).fill(o.intent, forged, o.params)).to.be.revertedWithCustomError(
        s.settlement,
        "InvalidSignature",
      );
    });

    it("fills for an EIP-1271 wallet, and test_RevertWhen_theWalletReturnsAWrongMagicValue", async () => {
      const s = await networkHelpers.loadFixture(securityFixture);
      const wallet = await ethers.deployContract("MockERC1271Wallet", [s.bob.address]);
      const walletAddress = (await wallet.getAddress()) as Address;
      await s.weth.faucet(walletAddress, 10n * ETH);
      await wallet
        .connect(s.bob)
        .execute(
          s.weth,
          s.weth.interface.encodeFunctionData("approve", [await s.settlement.getAddress(), ethers.MaxUint256]),
        );
      const ask = await s.callVault.referencePremium(s.call, ETH, true);
      const intent = await makeIntent(s, s.bob, {
        user: walletAddress,
        recipient: walletAddress,
        seriesId: s.call,
        limitPremium: ask,
      });
      const params = fillParams({ internalAmount: ETH, internalPremium: ask / 2n });
      // bob, the wallet's owner, signs the intent; the wallet vouches for it.
      const signature = await signIntent(s, s.bob, intent);
      await wallet.connect(s.bob).setBroken(true);
      await holdTime(s);
      await expect(s.settlement.connect(s.solver).fill(intent, signature, params)).to.be.revertedWithCustomError(
        s.settlement,
        "InvalidSignature",
      );
      await wallet.connect(s.bob).setBroken(false);
      await holdTime(s);
      await s.settlement.connect(s.solver).fill(intent, signature, params);
      expect(await s.ledger.balanceOf(walletAddress, s.call)).to.equal(ETH);
    });
  });

  describe("EIP-7702 delegated accounts", () => {
    /**
     * dave: a fresh EOA, funded and approved, then delegated (EIP-7702, by its own type-4 transaction) to a
     * smart-account implementation whose `isValidSignature` accepts only bob's signatures, as a delegate with
     * its own signer scheme would.
     */
    async function delegatedFixture() {
      const s = await networkHelpers.loadFixture(securityFixture);
      const dave = Wallet.createRandom().connect(ethers.provider);
      await s.admin.sendTransaction({ to: dave.address, value: ETH });
      await s.weth.faucet(dave.address, 10n * ETH);
      await s.weth.connect(dave).approve(s.settlement, ethers.MaxUint256);
      const delegate = await ethers.deployContract("MockERC1271Wallet", [s.bob.address]);
      // A self-sponsored authorisation is checked after the sender's nonce is bumped, hence nonce + 1.
      const auth = await dave.authorize({ address: await delegate.getAddress(), nonce: (await dave.getNonce()) + 1 });
      await (await dave.sendTransaction({ to: s.admin.address, type: 4, authorizationList: [auth] })).wait();
      const code = await ethers.provider.getCode(dave.address);
      expect(code).to.equal(ethers.concat(["0xef0100", await delegate.getAddress()]).toLowerCase());
      const ask = await s.callVault.referencePremium(s.call, ETH, true);
      const intent = await makeIntent(s, s.bob, {
        user: dave.address as Address,
        recipient: dave.address as Address,
        seriesId: s.call,
        limitPremium: ask,
      });
      const params = fillParams({ internalAmount: ETH, internalPremium: ask / 2n });
      const domain = settlementDomain(
        (await ethers.provider.getNetwork()).chainId,
        (await s.settlement.getAddress()) as Address,
      );
      const types = { Intent: intentTypes.Intent.map((f) => ({ ...f })) };
      const signedBy = (signer: { signTypedData: Wallet["signTypedData"] }) =>
        signer.signTypedData(domain, types, intent);
      return { ...s, dave, intent, params, signedBy };
    }

    it("fills for a delegated EOA that signs with its own key (ECDSA first)", async () => {
      const s = await delegatedFixture();
      const signature = await s.signedBy(s.dave);
      await holdTime(s);
      await expect(s.settlement.connect(s.solver).fill(s.intent, signature, s.params)).to.emit(s.settlement, "Filled");
      expect(await s.ledger.balanceOf(s.dave.address, s.call)).to.equal(ETH);
    });

    it("falls back to the delegate's EIP-1271 when the signature is not the account's own key's", async () => {
      const s = await delegatedFixture();
      const signature = await s.signedBy(s.bob);
      await holdTime(s);
      await expect(s.settlement.connect(s.solver).fill(s.intent, signature, s.params)).to.emit(s.settlement, "Filled");
    });

    it("test_RevertWhen_neitherTheKeyNorTheDelegateAcceptsTheSignature", async () => {
      const s = await delegatedFixture();
      const signature = await s.signedBy(s.mallory);
      await holdTime(s);
      await expect(s.settlement.connect(s.solver).fill(s.intent, signature, s.params)).to.be.revertedWithCustomError(
        s.settlement,
        "InvalidSignature",
      );
    });
  });

  describe("intent and solver checks", () => {
    it("test_RevertWhen_theIntentHasExpired", async () => {
      const s = await networkHelpers.loadFixture(securityFixture);
      const deadline = BigInt((await time.latest()) + 60);
      const o = await internalBuy(s, { deadline });
      await time.increaseTo(deadline + 1n);
      await expect(fill(s, o)).to.be.revertedWithCustomError(s.settlement, "IntentExpired").withArgs(deadline);
    });

    it("test_RevertWhen_theAmountIsZero", async () => {
      const s = await networkHelpers.loadFixture(securityFixture);
      const o = await internalBuy(s, { amount: 0n });
      await expect(
        s.settlement.connect(s.solver).fill(o.intent, o.signature, fillParams()),
      ).to.be.revertedWithCustomError(s.settlement, "ZeroAmount");
    });

    it("test_RevertWhen_anotherSolverFillsAnExclusiveIntent", async () => {
      const s = await networkHelpers.loadFixture(securityFixture);
      await s.settlement.setSolver(s.carol.address, true);
      const o = await internalBuy(s, { exclusiveSolver: s.carol.address as Address });
      await expect(fill(s, o))
        .to.be.revertedWithCustomError(s.settlement, "WrongSolver")
        .withArgs(s.carol.address, s.solver.address);
    });

    it("test_RevertWhen_theCallerIsNotAnAllowlistedSolver", async () => {
      const s = await networkHelpers.loadFixture(securityFixture);
      const o = await internalBuy(s);
      await expect(fill(s, o, s.mallory))
        .to.be.revertedWithCustomError(s.settlement, "SolverNotAllowed")
        .withArgs(s.mallory.address);
      await s.settlement.setSolver(s.solver.address, false);
      await expect(fill(s, o)).to.be.revertedWithCustomError(s.settlement, "SolverNotAllowed");
      await expect(s.settlement.connect(s.mallory).fillBatch([o])).to.be.revertedWithCustomError(
        s.settlement,
        "SolverNotAllowed",
      );
    });

    it("test_RevertWhen_paused", async () => {
      const s = await networkHelpers.loadFixture(securityFixture);
      const o = await internalBuy(s);
      await expect(s.settlement.setPaused(true)).to.emit(s.settlement, "PausedSet").withArgs(true);
      await expect(fill(s, o)).to.be.revertedWithCustomError(s.settlement, "Paused");
      await expect(s.settlement.connect(s.solver).fillBatch([o])).to.be.revertedWithCustomError(s.settlement, "Paused");
      await s.settlement.setPaused(false);
      await holdTime(s);
      await expect(fill(s, o)).to.emit(s.settlement, "Filled");
    });
  });

  describe("price protection", () => {
    it("test_RevertWhen_aBuyWouldCostMoreThanTheLimit", async () => {
      const s = await networkHelpers.loadFixture(securityFixture);
      const o = await internalBuy(s);
      const params = { ...o.params, internalPremium: o.intent.limitPremium + 1n };
      await expect(s.settlement.connect(s.solver).fill(o.intent, o.signature, params)).to.be.revertedWithCustomError(
        s.settlement,
        // The AMM's ask is the limit here, so the best-execution check catches it first.
        "WorseThanAmm",
      );
      const loose = await internalBuy(s, { limitPremium: 10n ** 15n });
      await expect(
        s.settlement
          .connect(s.solver)
          .fill(loose.intent, loose.signature, { ...loose.params, internalPremium: 10n ** 15n + 1n }),
      )
        .to.be.revertedWithCustomError(s.settlement, "LimitExceeded")
        .withArgs(10n ** 15n + 1n, 10n ** 15n);
    });

    it("test_RevertWhen_aSellWouldPayLessThanTheLimit", async () => {
      const s = await networkHelpers.loadFixture(securityFixture);
      await s.ledger.connect(s.solver).safeTransferFrom(s.solver.address, s.alice.address, s.call, ETH, "0x");
      const bid = await s.callVault.referencePremium(s.call, ETH, false);
      await holdTime(s);
      const intent = await makeIntent(s, s.alice, {
        seriesId: s.call,
        side: Side.SellToClose,
        limitPremium: bid + 10n,
      });
      const signature = await signIntent(s, s.alice, intent);
      await expect(
        s.settlement
          .connect(s.solver)
          .fill(intent, signature, fillParams({ internalAmount: ETH, internalPremium: bid + 9n })),
      )
        .to.be.revertedWithCustomError(s.settlement, "LimitNotMet")
        .withArgs(bid + 9n, bid + 10n);
    });

    it("test_RevertWhen_theInternalPriceIsWorseThanTheAmm", async () => {
      const s = await networkHelpers.loadFixture(securityFixture);
      const ask = await s.callVault.referencePremium(s.call, ETH, true);
      await holdTime(s);
      const buy = await makeIntent(s, s.alice, { seriesId: s.call, limitPremium: ethers.MaxUint256 });
      await expect(
        s.settlement
          .connect(s.solver)
          .fill(buy, await signIntent(s, s.alice, buy), fillParams({ internalAmount: ETH, internalPremium: ask + 1n })),
      )
        .to.be.revertedWithCustomError(s.settlement, "WorseThanAmm")
        .withArgs(ask + 1n, ask);

      await s.ledger.connect(s.solver).safeTransferFrom(s.solver.address, s.alice.address, s.call, ETH, "0x");
      const bid = await s.callVault.referencePremium(s.call, ETH, false);
      await holdTime(s);
      const sell = await makeIntent(s, s.alice, { seriesId: s.call, side: Side.SellToClose, limitPremium: 0n });
      await expect(
        s.settlement
          .connect(s.solver)
          .fill(
            sell,
            await signIntent(s, s.alice, sell),
            fillParams({ internalAmount: ETH, internalPremium: bid - 1n }),
          ),
      )
        .to.be.revertedWithCustomError(s.settlement, "WorseThanAmm")
        .withArgs(bid - 1n, bid);
    });
  });

  describe("reentrancy", () => {
    it("test_RevertWhen_anErc1155ReceiverReentersTheSettlement", async () => {
      const s = await networkHelpers.loadFixture(securityFixture);
      const attacker = await ethers.deployContract("ReentrantReceiver", [s.settlement]);
      const second = await internalBuy(s);
      const first = await internalBuy(s, { recipient: (await attacker.getAddress()) as Address });
      for (const payload of [
        s.settlement.interface.encodeFunctionData("fill", [second.intent, second.signature, second.params]),
        s.settlement.interface.encodeFunctionData("fillBatch", [[second]]),
      ]) {
        await attacker.arm(payload);
        await expect(fill(s, first)).to.be.revertedWithCustomError(s.settlement, "ReentrantCall");
      }
      await attacker.arm(
        s.settlement.interface.encodeFunctionData("fillFromBatch", [
          second,
          s.solver.address,
          { paused: false, feeBps: 0, feeRecipient: zeroAddress },
        ]),
      );
      await expect(fill(s, first)).to.be.revertedWithCustomError(s.settlement, "OnlySelf");
    });

    it("test_RevertWhen_aMaliciousErc20ReentersTheSettlement", async () => {
      const s = await networkHelpers.loadFixture(securityFixture);
      // A pair whose underlying is a hostile token, with its own call vault registered.
      const evil = await ethers.deployContract("ReentrantERC20");
      await s.ledger.registerPair(evil, s.usdc, s.oracle, 7200);
      const pairId = Number(await s.ledger.pairIdOf(evil, s.usdc));
      const params = toStruct<IOptionVault.ParamsStruct>(await s.callVault.params());
      const limits = toStruct<IOptionVault.LimitsStruct>(await s.callVault.limits());
      const vault = await deployVault(s, true, params, limits, "evil", pairId);
      await s.settlement.setVault(pairId, true, vault);
      const expiry = decodeSeriesId(s.call).expiry;
      await s.ledger.createSeries(evil, s.usdc, 3000n * USDC, expiry, true);
      const id = encodeSeriesId({ pairId, strike: 3000n * USDC, expiry, isCall: true });
      await vault.connect(s.keeper).setVolSlice(expiry, (WAD * 8n) / 10n, 0, 0);
      for (const who of [s.lp, s.solver, s.alice]) {
        await evil.faucet(who.address, 1000n * ETH);
        for (const spender of [vault, s.ledger, s.settlement])
          await evil.connect(who).approve(spender, ethers.MaxUint256);
      }
      await vault.connect(s.lp).deposit(100n * ETH, s.lp.address);
      await s.ledger.connect(s.solver).mint(id, 5n * ETH, s.solver.address, s.solver.address);
      const ask = await vault.referencePremium(id, ETH, true);
      await holdTime(s);
      const intent = await makeIntent(s, s.alice, { seriesId: id, limitPremium: ask });
      const signature = await signIntent(s, s.alice, intent);
      const other = await makeIntent(s, s.alice, { seriesId: id, limitPremium: ask });
      const otherOrder = { intent: other, signature: await signIntent(s, s.alice, other), params: fillParams() };
      // The premium transfer calls back into the settlement.
      await evil.arm(
        s.settlement,
        s.settlement.interface.encodeFunctionData("fill", [otherOrder.intent, otherOrder.signature, otherOrder.params]),
      );
      await expect(
        s.settlement
          .connect(s.solver)
          .fill(intent, signature, fillParams({ internalAmount: ETH, internalPremium: ask })),
      ).to.be.revertedWithCustomError(s.settlement, "ReentrantCall");
    });
  });

  describe("batch griefing", () => {
    for (const [mode, label] of [
      [1n, "burns all its gas"],
      [2n, "reverts with 200 KB of data"],
    ] as const) {
      it(`skips an order whose receiver ${label}, and fills the rest`, async () => {
        const s = await networkHelpers.loadFixture(securityFixture);
        const griefer = await ethers.deployContract("GriefingReceiver");
        await griefer.setMode(mode, 200_000n);
        const bad = await internalBuy(s, { recipient: (await griefer.getAddress()) as Address });
        const good = await internalBuy(s);
        const tx = await s.settlement.connect(s.solver).fillBatch([bad, good], { gasLimit: 6_000_000n });
        const receipt = await tx.wait();
        const skipped = receipt!.logs
          .map((l) => s.settlement.interface.parseLog(l))
          .find((l) => l?.name === "FillSkipped");
        expect(skipped?.args.user).to.equal(s.alice.address);
        // Revert data is truncated to 256 bytes whatever the receiver returns.
        expect(ethers.dataLength(skipped!.args.reason)).to.be.lessThanOrEqual(256);
        expect(await s.settlement.isNonceUsed(s.alice.address, good.intent.nonce)).to.equal(true);
        expect(await s.ledger.balanceOf(s.alice.address, s.call)).to.equal(ETH);
        expect(receipt!.gasUsed).to.be.lessThan(3_000_000n);
      });
    }

    it("test_RevertWhen_theRecipientIsTheSettlementOrTheVault", async () => {
      const s = await networkHelpers.loadFixture(securityFixture);
      for (const recipient of [await s.settlement.getAddress(), await s.callVault.getAddress()]) {
        const o = await internalBuy(s, { recipient: recipient as Address });
        await expect(fill(s, o)).to.be.revertedWithCustomError(s.settlement, "InvalidRecipient");
      }
    });
  });

  describe("custody", () => {
    it("holds no tokens after fills of every kind", async () => {
      const s = await networkHelpers.loadFixture(securityFixture);
      const at = await s.settlement.getAddress();
      const put = await createSeries(s, 3000n, 30, false);
      await s.ledger.connect(s.solver).mint(put, 5n * ETH, s.solver.address, s.solver.address);
      for (const [id, side, internal] of [
        [s.call, Side.Buy, ETH],
        [s.call, Side.Buy, 0n],
        [s.call, Side.SellToClose, ETH],
        [put, Side.SellToOpen, 0n],
        [put, Side.SellToOpen, ETH],
      ] as const) {
        const isBuy = side === Side.Buy;
        const vault = decodeSeriesId(id).isCall ? s.callVault : s.putVault;
        const total = 2n * ETH;
        const ref = internal > 0n ? await vault.referencePremium(id, internal, isBuy) : 0n;
        const amm = await vault.referencePremium(id, total - internal, isBuy);
        await holdTime(s);
        const intent = await makeIntent(s, s.alice, {
          seriesId: id,
          side,
          amount: total,
          limitPremium: isBuy ? ref + amm : 0n,
        });
        await s.settlement
          .connect(s.solver)
          .fill(
            intent,
            await signIntent(s, s.alice, intent),
            fillParams({ internalAmount: internal, internalPremium: ref, ammPremium: amm }),
          );
        expect(await s.weth.balanceOf(at)).to.equal(0);
        expect(await s.usdc.balanceOf(at)).to.equal(0);
        expect(await s.ledger.balanceOf(at, id)).to.equal(0);
      }
    });

    it("never lets a third party move the solver's inventory", async () => {
      const s = await networkHelpers.loadFixture(securityFixture);
      // mallory signs an intent for herself and tries to fill it against the solver's inventory: only the
      // solver can send the fill that draws on it.
      await fundTrader(s, s.mallory, 10n * ETH, 0n);
      const o = await internalBuy(s, {}, s.mallory);
      await expect(fill(s, o, s.mallory)).to.be.revertedWithCustomError(s.settlement, "SolverNotAllowed");
      expect(await s.ledger.balanceOf(s.solver.address, s.call)).to.equal(20n * ETH);
    });
  });
});
