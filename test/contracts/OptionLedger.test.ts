import { expect } from "chai";
import { network } from "hardhat";
import { createSeries, DAY, deploySystem, ETH, fund, type System, USDC, usd8 } from "../../scripts/lib/system.js";
import { encodeSeriesId } from "../../solver/domain/seriesId.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

async function systemFixture() {
  return deploySystem(connection);
}

/** A call and a put struck at 3000, expiring in 7 days; alice wrote 2 of each for bob. */
async function writtenFixture() {
  const s = await systemFixture();
  const call = await createSeries(s, 3000n, 7, true);
  const put = await createSeries(s, 3000n, 7, false);
  await fund(s.weth, s.alice, 10n * ETH, s.ledger);
  await fund(s.usdc, s.alice, 30_000n * USDC, s.ledger);
  await s.ledger.connect(s.alice).mint(call, 2n * ETH, s.alice.address, s.bob.address);
  await s.ledger.connect(s.alice).mint(put, 2n * ETH, s.alice.address, s.bob.address);
  const expiry = Number((call >> 136n) & ((1n << 40n) - 1n));
  return { ...s, call, put, expiry };
}

/** Pushes an oracle round at exactly `timestamp`. */
async function roundAt(s: System, timestamp: number, dollars: number | bigint): Promise<bigint> {
  await time.setNextBlockTimestamp(timestamp);
  await s.oracle.pushAnswer(usd8(dollars));
  const [roundId] = await s.oracle.latestRoundData();
  return roundId;
}

describe("OptionLedger", () => {
  describe("registerPair", () => {
    it("registers a pair with its decimals and emits PairRegistered", async () => {
      const s = await networkHelpers.loadFixture(systemFixture);
      const p = await s.ledger.pair(s.pairId);
      expect(p.underlying).to.equal(await s.weth.getAddress());
      expect(p.quote).to.equal(await s.usdc.getAddress());
      expect(p.underlyingDecimals).to.equal(18);
      expect(p.quoteDecimals).to.equal(6);
      expect(p.oracleDecimals).to.equal(8);
      expect(await s.ledger.pairIdOf(await s.weth.getAddress(), await s.usdc.getAddress())).to.equal(s.pairId);
    });

    it("test_RevertWhen_callerIsNotOwner", async () => {
      const s = await networkHelpers.loadFixture(systemFixture);
      await expect(s.ledger.connect(s.mallory).registerPair(s.usdc, s.weth, s.oracle, 3600))
        .to.be.revertedWithCustomError(s.ledger, "OwnableUnauthorizedAccount")
        .withArgs(s.mallory.address);
    });

    it("test_RevertWhen_anAddressIsZero", async () => {
      const s = await networkHelpers.loadFixture(systemFixture);
      const zero = ethers.ZeroAddress;
      for (const args of [
        [zero, s.usdc, s.oracle],
        [s.weth, zero, s.oracle],
        [s.weth, s.usdc, zero],
      ] as const) {
        await expect(s.ledger.registerPair(args[0], args[1], args[2], 3600)).to.be.revertedWithCustomError(
          s.ledger,
          "ZeroAddress",
        );
      }
    });

    it("test_RevertWhen_underlyingEqualsQuote", async () => {
      const s = await networkHelpers.loadFixture(systemFixture);
      await expect(s.ledger.registerPair(s.weth, s.weth, s.oracle, 3600))
        .to.be.revertedWithCustomError(s.ledger, "SameAsset")
        .withArgs(await s.weth.getAddress());
    });

    it("test_RevertWhen_pairAlreadyRegistered", async () => {
      const s = await networkHelpers.loadFixture(systemFixture);
      await expect(s.ledger.registerPair(s.weth, s.usdc, s.oracle, 3600))
        .to.be.revertedWithCustomError(s.ledger, "PairAlreadyRegistered")
        .withArgs(await s.weth.getAddress(), await s.usdc.getAddress());
    });

    it("test_RevertWhen_oracleMaxAgeIsZero", async () => {
      const s = await networkHelpers.loadFixture(systemFixture);
      await expect(s.ledger.registerPair(s.usdc, s.weth, s.oracle, 0)).to.be.revertedWithCustomError(
        s.ledger,
        "InvalidOracleMaxAge",
      );
    });

    it("test_RevertWhen_decimalsAreUnsupported", async () => {
      const s = await networkHelpers.loadFixture(systemFixture);
      const wide = await ethers.deployContract("MockERC20", ["Wide", "WIDE", 19]);
      await expect(s.ledger.registerPair(wide, s.usdc, s.oracle, 3600))
        .to.be.revertedWithCustomError(s.ledger, "UnsupportedDecimals")
        .withArgs(await wide.getAddress(), 19);
      const zeroFeed = await ethers.deployContract("MockAggregator", [s.admin.address, 0, "bad"]);
      await expect(s.ledger.registerPair(s.usdc, s.weth, zeroFeed, 3600))
        .to.be.revertedWithCustomError(s.ledger, "UnsupportedDecimals")
        .withArgs(await zeroFeed.getAddress(), 0);
      const wideFeed = await ethers.deployContract("MockAggregator", [s.admin.address, 19, "bad"]);
      await expect(s.ledger.registerPair(s.usdc, s.weth, wideFeed, 3600))
        .to.be.revertedWithCustomError(s.ledger, "UnsupportedDecimals")
        .withArgs(await wideFeed.getAddress(), 19);
    });
  });

  describe("createSeries", () => {
    it("creates a series whose id packs its terms and emits SeriesCreated", async () => {
      const s = await networkHelpers.loadFixture(systemFixture);
      const expiry = (await time.latest()) + 7 * DAY;
      const strike = 3000n * USDC;
      const id = encodeSeriesId({ pairId: s.pairId, strike, expiry, isCall: true });
      await expect(s.ledger.createSeries(s.weth, s.usdc, strike, expiry, true))
        .to.emit(s.ledger, "SeriesCreated")
        .withArgs(id, s.pairId, strike, expiry, true);
      const info = await s.ledger.series(id);
      expect(info.strike).to.equal(strike);
      expect(info.expiry).to.equal(expiry);
      expect(info.isCall).to.equal(true);
      expect(info.collateralAsset).to.equal(await s.weth.getAddress());
      expect(info.state.exists).to.equal(true);
    });

    it("test_RevertWhen_expiryIsNotInTheFuture", async () => {
      const s = await networkHelpers.loadFixture(systemFixture);
      const t = await time.latest();
      // The call is mined one second after `t`, so `t + 1` is "now" at execution.
      await time.setNextBlockTimestamp(t + 1);
      await expect(s.ledger.createSeries(s.weth, s.usdc, 3000n * USDC, t + 1, true))
        .to.be.revertedWithCustomError(s.ledger, "ExpiryNotInFuture")
        .withArgs(t + 1);
    });

    it("test_RevertWhen_strikeIsZero", async () => {
      const s = await networkHelpers.loadFixture(systemFixture);
      const expiry = (await time.latest()) + DAY;
      await expect(s.ledger.createSeries(s.weth, s.usdc, 0, expiry, true)).to.be.revertedWithCustomError(
        s.ledger,
        "ZeroStrike",
      );
    });

    it("test_RevertWhen_pairHasNoOracle", async () => {
      const s = await networkHelpers.loadFixture(systemFixture);
      const expiry = (await time.latest()) + DAY;
      await expect(s.ledger.createSeries(s.usdc, s.weth, 1, expiry, true))
        .to.be.revertedWithCustomError(s.ledger, "PairNotConfigured")
        .withArgs(await s.usdc.getAddress(), await s.weth.getAddress());
    });

    it("test_RevertWhen_underlyingEqualsQuote", async () => {
      const s = await networkHelpers.loadFixture(systemFixture);
      const expiry = (await time.latest()) + DAY;
      await expect(s.ledger.createSeries(s.weth, s.weth, 1, expiry, true)).to.be.revertedWithCustomError(
        s.ledger,
        "SameAsset",
      );
    });

    it("test_RevertWhen_seriesAlreadyExists", async () => {
      const s = await networkHelpers.loadFixture(systemFixture);
      const expiry = (await time.latest()) + DAY;
      await s.ledger.createSeries(s.weth, s.usdc, 1, expiry, true);
      await expect(s.ledger.createSeries(s.weth, s.usdc, 1, expiry, true))
        .to.be.revertedWithCustomError(s.ledger, "SeriesAlreadyExists")
        .withArgs(encodeSeriesId({ pairId: s.pairId, strike: 1n, expiry, isCall: true }));
    });

    it("test_RevertWhen_readingAnUnknownSeries", async () => {
      const s = await networkHelpers.loadFixture(systemFixture);
      await expect(s.ledger.series(12345)).to.be.revertedWithCustomError(s.ledger, "UnknownSeries").withArgs(12345);
    });
  });

  describe("mint", () => {
    it("pulls one underlying per call, records the short and mints longs to the recipient", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      expect(await s.ledger.balanceOf(s.bob.address, s.call)).to.equal(2n * ETH);
      expect(await s.ledger.shortBalanceOf(s.alice.address, s.call)).to.equal(2n * ETH);
      expect(await s.weth.balanceOf(await s.ledger.getAddress())).to.equal(2n * ETH);
      expect((await s.ledger.series(s.call)).state.collateral).to.equal(2n * ETH);
    });

    it("pulls strike x amount of quote per put", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      expect(await s.usdc.balanceOf(await s.ledger.getAddress())).to.equal(6000n * USDC);
      expect((await s.ledger.series(s.put)).state.collateral).to.equal(6000n * USDC);
    });

    it("rounds put collateral up, in the ledger's favour", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      // 1 wei of a 3000-strike put needs 3000e6 / 1e18 quote units = 3e-9, rounded up to 1.
      expect(await s.ledger.collateralFor(s.put, 1n)).to.equal(1n);
      await expect(s.ledger.connect(s.alice).mint(s.put, 1n, s.alice.address, s.alice.address))
        .to.emit(s.ledger, "Written")
        .withArgs(s.put, s.alice.address, s.alice.address, 1n, 1n);
    });

    it("lets a write operator write for a writer", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      await expect(s.ledger.connect(s.alice).setWriteApproval(s.carol.address, true))
        .to.emit(s.ledger, "WriteApprovalSet")
        .withArgs(s.alice.address, s.carol.address, true);
      expect(await s.ledger.isWriteApproved(s.alice.address, s.carol.address)).to.equal(true);
      await s.ledger.connect(s.carol).mint(s.call, ETH, s.alice.address, s.carol.address);
      expect(await s.ledger.shortBalanceOf(s.alice.address, s.call)).to.equal(3n * ETH);
      expect(await s.ledger.balanceOf(s.carol.address, s.call)).to.equal(ETH);
    });

    it("test_RevertWhen_amountIsZero", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      await expect(
        s.ledger.connect(s.alice).mint(s.call, 0, s.alice.address, s.bob.address),
      ).to.be.revertedWithCustomError(s.ledger, "ZeroAmount");
    });

    it("test_RevertWhen_recipientIsZero", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      await expect(
        s.ledger.connect(s.alice).mint(s.call, 1, s.alice.address, ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(s.ledger, "ZeroAddress");
    });

    it("test_RevertWhen_anErc1155OperatorTriesToWriteWithTheWritersCollateral", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      // An ERC-1155 operator (a marketplace, say) may move longs but must not turn the writer's collateral
      // allowance into longs for itself.
      await s.ledger.connect(s.alice).setApprovalForAll(s.mallory.address, true);
      await expect(s.ledger.connect(s.mallory).mint(s.call, ETH, s.alice.address, s.mallory.address))
        .to.be.revertedWithCustomError(s.ledger, "NotAuthorized")
        .withArgs(s.mallory.address, s.alice.address);
      await expect(s.ledger.connect(s.mallory).close(s.call, ETH, s.alice.address, s.mallory.address))
        .to.be.revertedWithCustomError(s.ledger, "NotAuthorized")
        .withArgs(s.mallory.address, s.alice.address);
    });

    it("test_RevertWhen_writeOperatorIsZero", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      await expect(s.ledger.connect(s.alice).setWriteApproval(ethers.ZeroAddress, true)).to.be.revertedWithCustomError(
        s.ledger,
        "ZeroAddress",
      );
    });

    it("test_RevertWhen_callerIsNotWriterOrOperator", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      await expect(s.ledger.connect(s.mallory).mint(s.call, 1, s.alice.address, s.mallory.address))
        .to.be.revertedWithCustomError(s.ledger, "NotAuthorized")
        .withArgs(s.mallory.address, s.alice.address);
    });

    it("test_RevertWhen_seriesIsUnknown", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      const unknown = s.call + 1n;
      await expect(s.ledger.connect(s.alice).mint(unknown, 1, s.alice.address, s.bob.address))
        .to.be.revertedWithCustomError(s.ledger, "UnknownSeries")
        .withArgs(unknown);
    });

    it("test_RevertWhen_seriesHasExpired", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      await time.increaseTo(s.expiry);
      await expect(s.ledger.connect(s.alice).mint(s.call, 1, s.alice.address, s.bob.address))
        .to.be.revertedWithCustomError(s.ledger, "SeriesExpired")
        .withArgs(s.call);
    });

    it("test_RevertWhen_collateralIsNotApproved", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      await s.weth.faucet(s.carol.address, ETH);
      await expect(s.ledger.connect(s.carol).mint(s.call, ETH, s.carol.address, s.carol.address))
        .to.be.revertedWithCustomError(s.weth, "ERC20InsufficientAllowance")
        .withArgs(await s.ledger.getAddress(), 0, ETH);
    });

    it("test_RevertWhen_seriesCollateralWouldOverflow", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      const huge = 1n << 128n;
      await fund(s.weth, s.carol, huge, s.ledger);
      await expect(s.ledger.connect(s.carol).mint(s.call, huge, s.carol.address, s.carol.address))
        .to.be.revertedWithCustomError(s.ledger, "SeriesCollateralOverflow")
        .withArgs(s.call);
    });

    it("test_RevertWhen_recipientReentersTheLedger", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      const attacker = await ethers.deployContract("ReentrantReceiver", [s.ledger]);
      await attacker.arm(
        s.ledger.interface.encodeFunctionData("close", [s.call, 1n, await attacker.getAddress(), s.mallory.address]),
      );
      await expect(
        s.ledger.connect(s.alice).mint(s.call, ETH, s.alice.address, attacker),
      ).to.be.revertedWithCustomError(s.ledger, "ReentrantCall");
    });
  });

  describe("close", () => {
    it("burns longs and shorts and returns the collateral", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      await s.ledger.connect(s.alice).mint(s.put, ETH, s.alice.address, s.alice.address);
      const before = await s.usdc.balanceOf(s.carol.address);
      await expect(s.ledger.connect(s.alice).close(s.put, ETH, s.alice.address, s.carol.address))
        .to.emit(s.ledger, "Closed")
        .withArgs(s.put, s.alice.address, s.carol.address, ETH, 3000n * USDC);
      expect((await s.usdc.balanceOf(s.carol.address)) - before).to.equal(3000n * USDC);
      expect(await s.ledger.balanceOf(s.alice.address, s.put)).to.equal(0);
      expect(await s.ledger.shortBalanceOf(s.alice.address, s.put)).to.equal(2n * ETH);
    });

    it("returns put collateral rounded down, so dust stays with the ledger", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      // Three 1-wei writes deposit 1 quote unit each; closing them together releases floor(9e-9) = 0.
      for (let i = 0; i < 3; i++) await s.ledger.connect(s.alice).mint(s.put, 1n, s.alice.address, s.alice.address);
      await expect(s.ledger.connect(s.alice).close(s.put, 3n, s.alice.address, s.alice.address))
        .to.emit(s.ledger, "Closed")
        .withArgs(s.put, s.alice.address, s.alice.address, 3n, 0n);
    });

    it("works after expiry until the series is settled", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      await s.ledger.connect(s.alice).mint(s.call, ETH, s.alice.address, s.alice.address);
      await time.increaseTo(s.expiry + 10);
      await expect(s.ledger.connect(s.alice).close(s.call, ETH, s.alice.address, s.alice.address)).to.emit(
        s.ledger,
        "Closed",
      );
    });

    it("test_RevertWhen_amountIsZero", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      await expect(
        s.ledger.connect(s.alice).close(s.call, 0, s.alice.address, s.alice.address),
      ).to.be.revertedWithCustomError(s.ledger, "ZeroAmount");
    });

    it("test_RevertWhen_receiverIsZero", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      await expect(
        s.ledger.connect(s.alice).close(s.call, 1, s.alice.address, ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(s.ledger, "ZeroAddress");
    });

    it("test_RevertWhen_callerIsNotAccountOrOperator", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      await expect(s.ledger.connect(s.mallory).close(s.call, 1, s.alice.address, s.mallory.address))
        .to.be.revertedWithCustomError(s.ledger, "NotAuthorized")
        .withArgs(s.mallory.address, s.alice.address);
    });

    it("test_RevertWhen_shortIsTooSmall", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      // bob holds longs but wrote nothing.
      await expect(s.ledger.connect(s.bob).close(s.call, ETH, s.bob.address, s.bob.address))
        .to.be.revertedWithCustomError(s.ledger, "InsufficientShort")
        .withArgs(s.bob.address, s.call, 0, ETH);
    });

    it("test_RevertWhen_longIsTooSmall", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      // alice wrote 2 but holds no longs.
      await expect(s.ledger.connect(s.alice).close(s.call, ETH, s.alice.address, s.alice.address))
        .to.be.revertedWithCustomError(s.ledger, "ERC1155InsufficientBalance")
        .withArgs(s.alice.address, 0, ETH, s.call);
    });

    it("test_RevertWhen_seriesIsSettled", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      await s.ledger.connect(s.alice).mint(s.call, ETH, s.alice.address, s.alice.address);
      const round = await roundAt(s, s.expiry - 60, 3500);
      await time.increaseTo(s.expiry + 1);
      await s.ledger.settle(s.call, round);
      await expect(s.ledger.connect(s.alice).close(s.call, ETH, s.alice.address, s.alice.address))
        .to.be.revertedWithCustomError(s.ledger, "SeriesAlreadySettled")
        .withArgs(s.call);
    });

    it("test_RevertWhen_seriesIsUnknown", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      await expect(s.ledger.connect(s.alice).close(7, 1, s.alice.address, s.alice.address))
        .to.be.revertedWithCustomError(s.ledger, "UnknownSeries")
        .withArgs(7);
    });
  });

  describe("settle", () => {
    it("uses the last round at or before expiry, never a later one", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      await roundAt(s, s.expiry - 600, 3400);
      const atExpiry = await roundAt(s, s.expiry, 3500);
      const after = await roundAt(s, s.expiry + 30, 9999);
      // A keeper that sees only the post-expiry round cannot use it.
      await expect(s.ledger.settle(s.call, after))
        .to.be.revertedWithCustomError(s.ledger, "RoundAfterExpiry")
        .withArgs(after, s.expiry + 30);
      await expect(s.ledger.settle(s.call, atExpiry))
        .to.emit(s.ledger, "Settled")
        .withArgs(s.call, atExpiry, 3500n * USDC, s.expiry);
      expect((await s.ledger.series(s.call)).state.settlementPrice).to.equal(3500n * USDC);
    });

    it("accepts the latest round when nothing was published after it", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      const last = await roundAt(s, s.expiry - 100, 3100);
      await time.increaseTo(s.expiry + 50);
      await expect(s.ledger.settle(s.put, last))
        .to.emit(s.ledger, "Settled")
        .withArgs(s.put, last, 3100n * USDC, s.expiry - 100);
    });

    it("follows a proxy phase change to find the successor round", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      const last = await roundAt(s, s.expiry - 100, 3100);
      await s.oracle.startNewPhase();
      const firstOfNext = await roundAt(s, s.expiry + 100, 2000);
      expect(firstOfNext >> 64n).to.equal((last >> 64n) + 1n);
      await expect(s.ledger.settle(s.put, last)).to.emit(s.ledger, "Settled");
    });

    it("test_RevertWhen_aLaterRoundInTheNextPhaseAlsoPrecedesExpiry", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      const old = await roundAt(s, s.expiry - 100, 3100);
      await s.oracle.startNewPhase();
      const newer = await roundAt(s, s.expiry - 50, 3200);
      await time.increaseTo(s.expiry + 1);
      await expect(s.ledger.settle(s.put, old))
        .to.be.revertedWithCustomError(s.ledger, "NotLastRoundBeforeExpiry")
        .withArgs(old, newer);
    });

    it("test_RevertWhen_aLaterRoundAlsoPrecedesExpiry", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      const early = await roundAt(s, s.expiry - 600, 3400);
      const later = await roundAt(s, s.expiry - 5, 3450);
      await time.increaseTo(s.expiry + 1);
      await expect(s.ledger.settle(s.call, early))
        .to.be.revertedWithCustomError(s.ledger, "NotLastRoundBeforeExpiry")
        .withArgs(early, later);
    });

    it("test_RevertWhen_roundIsStaleAtExpiry", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      // The pair's bound is 7200 s (twice the feed's heartbeat).
      const old = await roundAt(s, s.expiry - 7201, 3400);
      await time.increaseTo(s.expiry + 1);
      await expect(s.ledger.settle(s.call, old))
        .to.be.revertedWithCustomError(s.ledger, "StaleSettlementRound")
        .withArgs(old, s.expiry - 7201, s.expiry);
    });

    it("test_RevertWhen_roundIsMissing", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      await time.increaseTo(s.expiry + 1);
      const missing = (1n << 64n) + 999n;
      await expect(s.ledger.settle(s.call, missing))
        .to.be.revertedWithCustomError(s.ledger, "RoundNotFound")
        .withArgs(missing);
    });

    it("test_RevertWhen_answerIsNotPositive", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      await time.setNextBlockTimestamp(s.expiry - 10);
      await s.oracle.pushAnswer(-1);
      const [round] = await s.oracle.latestRoundData();
      await time.increaseTo(s.expiry + 1);
      await expect(s.ledger.settle(s.call, round))
        .to.be.revertedWithCustomError(s.ledger, "InvalidOracleAnswer")
        .withArgs(round, -1);
    });

    it("test_RevertWhen_answerRoundsToZeroQuoteUnits", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      // 1e-8 USD is below one USDC base unit (1e-6).
      await time.setNextBlockTimestamp(s.expiry - 10);
      await s.oracle.pushAnswer(1);
      const [round] = await s.oracle.latestRoundData();
      await time.increaseTo(s.expiry + 1);
      await expect(s.ledger.settle(s.call, round))
        .to.be.revertedWithCustomError(s.ledger, "InvalidOracleAnswer")
        .withArgs(round, 1);
    });

    it("test_RevertWhen_seriesHasNotExpired", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      const [round] = await s.oracle.latestRoundData();
      await expect(s.ledger.settle(s.call, round))
        .to.be.revertedWithCustomError(s.ledger, "SeriesNotExpired")
        .withArgs(s.call);
    });

    it("test_RevertWhen_alreadySettled", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      const round = await roundAt(s, s.expiry - 10, 3500);
      await time.increaseTo(s.expiry + 1);
      await s.ledger.settle(s.call, round);
      const later = await roundAt(s, s.expiry + 100, 100);
      await expect(s.ledger.settle(s.call, later))
        .to.be.revertedWithCustomError(s.ledger, "SeriesAlreadySettled")
        .withArgs(s.call);
      expect((await s.ledger.series(s.call)).state.settlementPrice).to.equal(3500n * USDC);
    });

    it("test_RevertWhen_seriesIsUnknown", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      await expect(s.ledger.settle(5, 1)).to.be.revertedWithCustomError(s.ledger, "UnknownSeries").withArgs(5);
    });
  });

  describe("emergencySettle", () => {
    /** The oracle's latest round: in the fixture, the deployment's round, a week before expiry (stale). */
    async function latestRound(s: System): Promise<bigint> {
      const [roundId] = await s.oracle.latestRoundData();
      return roundId;
    }

    /**
     * A second pair on a feed of its own with no rounds yet, and a put on it written by alice, expiring with
     * the fixture's series.
     */
    async function freshFeedFixture() {
      const s = await networkHelpers.loadFixture(writtenFixture);
      const token = await ethers.deployContract("MockERC20", ["Token", "TKN", 18]);
      const feed = await ethers.deployContract("MockAggregator", [s.admin.address, 8, "TKN / USD"]);
      await s.ledger.registerPair(token, s.usdc, feed, 7200);
      await s.ledger.createSeries(token, s.usdc, 100n * USDC, s.expiry, false);
      const pairId = Number(await s.ledger.pairIdOf(token, s.usdc));
      const put = encodeSeriesId({ pairId, strike: 100n * USDC, expiry: s.expiry, isCall: false });
      await fund(s.usdc, s.alice, 100n * USDC, s.ledger);
      await s.ledger.connect(s.alice).mint(put, ETH, s.alice.address, s.bob.address);
      return { ...s, feed, put };
    }

    it("lets the owner fix the price of a series whose last round before expiry is stale, after the delay", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      const delay = Number(await s.ledger.EMERGENCY_DELAY());
      await time.increaseTo(s.expiry + delay + 1);
      await expect(s.ledger.emergencySettle(s.put, 2900n * USDC, await latestRound(s)))
        .to.emit(s.ledger, "EmergencySettled")
        .withArgs(s.put, 2900n * USDC);
      await expect(s.ledger.exercise(s.put, s.bob.address, 2n * ETH))
        .to.emit(s.ledger, "Exercised")
        .withArgs(s.put, s.bob.address, 2n * ETH, 200n * USDC);
    });

    it("test_RevertWhen_aRoundCanSettleTheSeries", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      const round = await roundAt(s, s.expiry - 10, 3500);
      await roundAt(s, s.expiry + 60, 2000);
      await time.increaseTo(s.expiry + 2 * DAY);
      await expect(s.ledger.emergencySettle(s.put, 2900n * USDC, round))
        .to.be.revertedWithCustomError(s.ledger, "SettlementRoundAvailable")
        .withArgs(s.put, round);
      // The round the owner was shown is the one anyone can settle with.
      await expect(s.ledger.settle(s.put, round)).to.emit(s.ledger, "Settled");
    });

    it("needs no proof past the 30-day long-stop, so a feed without history cannot lock collateral forever", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      const round = await roundAt(s, s.expiry - 10, 3500);
      await time.setNextBlockTimestamp(s.expiry + 30 * DAY);
      await expect(s.ledger.emergencySettle(s.put, 2900n * USDC, round)).to.be.revertedWithCustomError(
        s.ledger,
        "SettlementRoundAvailable",
      );
      await time.setNextBlockTimestamp(s.expiry + 30 * DAY + 1);
      // Any hint will do, even one the feed has never heard of.
      await expect(s.ledger.emergencySettle(s.put, 2900n * USDC, 12_345n))
        .to.emit(s.ledger, "EmergencySettled")
        .withArgs(s.put, 2900n * USDC);
    });

    it("test_RevertWhen_theHintIsNotTheLastRoundBeforeExpiry", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      const stale = await latestRound(s);
      const fresh = await roundAt(s, s.expiry - 10, 3500);
      const after = await roundAt(s, s.expiry + 60, 2000);
      await time.increaseTo(s.expiry + 2 * DAY);
      // A stale earlier round is no proof: a later one precedes expiry.
      await expect(s.ledger.emergencySettle(s.put, 1n, stale))
        .to.be.revertedWithCustomError(s.ledger, "NotLastRoundBeforeExpiry")
        .withArgs(stale, fresh);
      // Nor is a round after expiry that is not the feed's first.
      await expect(s.ledger.emergencySettle(s.put, 1n, after))
        .to.be.revertedWithCustomError(s.ledger, "RoundAfterExpiry")
        .withArgs(after, s.expiry + 60);
      // Nor a round the (working) feed does not have.
      const missing = (1n << 64n) + 999n;
      await expect(s.ledger.emergencySettle(s.put, 1n, missing))
        .to.be.revertedWithCustomError(s.ledger, "RoundNotFound")
        .withArgs(missing);
    });

    it("opens when the last round before expiry has a price that is not positive or does not fit", async () => {
      // 2^110 x 1e-8 USD is past uint96 USDC base units.
      for (const answer of [0n, -5n, 2n ** 110n]) {
        const s = await networkHelpers.loadFixture(writtenFixture);
        await time.setNextBlockTimestamp(s.expiry - 10);
        await s.oracle.pushAnswer(answer);
        const last = await latestRound(s);
        await time.increaseTo(s.expiry + 2 * DAY);
        await expect(s.ledger.settle(s.put, last))
          .to.be.revertedWithCustomError(s.ledger, "InvalidOracleAnswer")
          .withArgs(last, answer);
        await expect(s.ledger.emergencySettle(s.put, 2900n * USDC, last))
          .to.emit(s.ledger, "EmergencySettled")
          .withArgs(s.put, 2900n * USDC);
      }
    });

    it("opens when no round precedes expiry, shown by the feed's first round", async () => {
      const s = await freshFeedFixture();
      const first = await (async () => {
        await time.setNextBlockTimestamp(s.expiry + 30);
        await s.feed.pushAnswer(usd8(90));
        return (await s.feed.latestRoundData())[0];
      })();
      await s.feed.pushAnswer(usd8(95));
      const second = (await s.feed.latestRoundData())[0];
      await time.increaseTo(s.expiry + 2 * DAY);
      await expect(s.ledger.emergencySettle(s.put, 90n * USDC, second))
        .to.be.revertedWithCustomError(s.ledger, "RoundAfterExpiry")
        .withArgs(second, s.expiry + 31);
      await expect(s.ledger.emergencySettle(s.put, 90n * USDC, first))
        .to.emit(s.ledger, "EmergencySettled")
        .withArgs(s.put, 90n * USDC);
    });

    it("opens when the feed is down, answering neither the hinted round nor its latest", async () => {
      const s = await freshFeedFixture();
      await time.increaseTo(s.expiry + 2 * DAY);
      await expect(s.feed.latestRoundData()).to.be.revertedWithCustomError(s.feed, "NoDataPresent");
      await expect(s.ledger.emergencySettle(s.put, 90n * USDC, 0)).to.emit(s.ledger, "EmergencySettled");
    });

    it("test_RevertWhen_theDelayHasNotPassed", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      const opensAt = s.expiry + Number(await s.ledger.EMERGENCY_DELAY());
      // The call executes at `opensAt`, the last second the path is still closed.
      await time.increaseTo(opensAt - 1);
      await expect(s.ledger.emergencySettle(s.put, 1n, await latestRound(s)))
        .to.be.revertedWithCustomError(s.ledger, "EmergencyNotOpen")
        .withArgs(s.put, opensAt);
    });

    it("test_RevertWhen_theSeriesIsAlreadySettled", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      const round = await roundAt(s, s.expiry - 10, 3500);
      await time.increaseTo(s.expiry + 2 * DAY);
      await s.ledger.settle(s.put, round);
      await expect(s.ledger.emergencySettle(s.put, 1n, round))
        .to.be.revertedWithCustomError(s.ledger, "SeriesAlreadySettled")
        .withArgs(s.put);
    });

    it("test_RevertWhen_thePriceIsInvalid", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      await time.increaseTo(s.expiry + 2 * DAY);
      for (const price of [0n, 1n << 96n]) {
        await expect(s.ledger.emergencySettle(s.put, price, await latestRound(s)))
          .to.be.revertedWithCustomError(s.ledger, "InvalidSettlementPrice")
          .withArgs(price);
      }
    });

    it("test_RevertWhen_callerIsNotOwner", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      await time.increaseTo(s.expiry + 2 * DAY);
      await expect(s.ledger.connect(s.mallory).emergencySettle(s.put, 1n, await latestRound(s)))
        .to.be.revertedWithCustomError(s.ledger, "OwnableUnauthorizedAccount")
        .withArgs(s.mallory.address);
    });
  });

  describe("administration", () => {
    it("test_RevertWhen_ownershipIsRenounced", async () => {
      const s = await networkHelpers.loadFixture(systemFixture);
      await expect(s.ledger.renounceOwnership()).to.be.revertedWithCustomError(s.ledger, "RenounceDisabled");
      expect(await s.ledger.owner()).to.equal(s.admin.address);
    });

    it("sweeps a token that is no pair's asset", async () => {
      const s = await networkHelpers.loadFixture(systemFixture);
      const stray = await ethers.deployContract("MockERC20", ["Stray", "STR", 18]);
      await stray.faucet(s.ledger, 7n * ETH);
      await expect(s.ledger.sweep(stray, s.carol.address))
        .to.emit(s.ledger, "Swept")
        .withArgs(await stray.getAddress(), s.carol.address, 7n * ETH);
      expect(await stray.balanceOf(s.carol.address)).to.equal(7n * ETH);
      await expect(s.ledger.sweep(stray, s.carol.address))
        .to.be.revertedWithCustomError(s.ledger, "NothingToSweep")
        .withArgs(await stray.getAddress());
    });

    it("test_RevertWhen_sweepingARegisteredAssetEvenWhenSomeOfItWasDonated", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      // Collateral is accounted per series: a donation of WETH or USDC cannot be told apart from it.
      await s.weth.faucet(s.ledger, ETH);
      for (const token of [s.weth, s.usdc]) {
        await expect(s.ledger.sweep(token, s.admin.address))
          .to.be.revertedWithCustomError(s.ledger, "CollateralNotSweepable")
          .withArgs(await token.getAddress());
      }
      expect((await s.ledger.series(s.call)).state.collateral).to.equal(2n * ETH);
      expect(await s.weth.balanceOf(s.ledger)).to.equal(3n * ETH);
    });

    it("test_RevertWhen_aNonOwnerSweepsOrTheRecipientIsZero", async () => {
      const s = await networkHelpers.loadFixture(systemFixture);
      const stray = await ethers.deployContract("MockERC20", ["Stray", "STR", 18]);
      await stray.faucet(s.ledger, ETH);
      await expect(s.ledger.connect(s.mallory).sweep(stray, s.mallory.address))
        .to.be.revertedWithCustomError(s.ledger, "OwnableUnauthorizedAccount")
        .withArgs(s.mallory.address);
      await expect(s.ledger.sweep(stray, ethers.ZeroAddress)).to.be.revertedWithCustomError(s.ledger, "ZeroAddress");
    });
  });

  describe("exercise and redeem", () => {
    async function settledAt(price: number) {
      const s = await networkHelpers.loadFixture(writtenFixture);
      const round = await roundAt(s, s.expiry - 10, price);
      await time.increaseTo(s.expiry + 1);
      await s.ledger.settle(s.call, round);
      await s.ledger.settle(s.put, round);
      return s;
    }

    it("pays an in-the-money call (S-K)/S underlying and the writer K/S", async () => {
      const s = await settledAt(4000);
      // Anyone may exercise for the holder; the payout goes to the holder.
      await expect(s.ledger.connect(s.carol).exercise(s.call, s.bob.address, 2n * ETH))
        .to.emit(s.ledger, "Exercised")
        .withArgs(s.call, s.bob.address, 2n * ETH, ETH / 2n);
      expect(await s.weth.balanceOf(s.bob.address)).to.equal(ETH / 2n);
      await expect(s.ledger.redeem(s.call, s.alice.address, 2n * ETH))
        .to.emit(s.ledger, "Redeemed")
        .withArgs(s.call, s.alice.address, 2n * ETH, (3n * ETH) / 2n);
      expect((await s.ledger.series(s.call)).state.collateral).to.equal(0);
    });

    it("pays an in-the-money put K-S quote and the writer S", async () => {
      const s = await settledAt(2500);
      await expect(s.ledger.exercise(s.put, s.bob.address, 2n * ETH))
        .to.emit(s.ledger, "Exercised")
        .withArgs(s.put, s.bob.address, 2n * ETH, 1000n * USDC);
      await expect(s.ledger.redeem(s.put, s.alice.address, 2n * ETH))
        .to.emit(s.ledger, "Redeemed")
        .withArgs(s.put, s.alice.address, 2n * ETH, 5000n * USDC);
    });

    it("pays nothing to out-of-the-money holders and returns all collateral to writers", async () => {
      const s = await settledAt(3000);
      await expect(s.ledger.exercise(s.call, s.bob.address, 2n * ETH))
        .to.emit(s.ledger, "Exercised")
        .withArgs(s.call, s.bob.address, 2n * ETH, 0);
      await expect(s.ledger.redeem(s.put, s.alice.address, 2n * ETH))
        .to.emit(s.ledger, "Redeemed")
        .withArgs(s.put, s.alice.address, 2n * ETH, 6000n * USDC);
    });

    it("rounds call payoffs down on both sides, leaving dust to the ledger", async () => {
      const s = await settledAt(3001);
      // 2e18 / 3001 = 666444518493835.38... and 2e18 x 3000 / 3001 = 1999333555481506164.61...
      const [longPayout, shortPayout] = await s.ledger.payoffAt(s.call, 2n * ETH, 3001n * USDC);
      expect(longPayout).to.equal(666444518493835n);
      expect(shortPayout).to.equal(1999333555481506164n);
      expect(longPayout + shortPayout).to.be.lessThanOrEqual(2n * ETH);
    });

    it("test_RevertWhen_exercisingBeforeSettlement", async () => {
      const s = await networkHelpers.loadFixture(writtenFixture);
      await expect(s.ledger.exercise(s.call, s.bob.address, ETH))
        .to.be.revertedWithCustomError(s.ledger, "SeriesNotSettled")
        .withArgs(s.call);
      await expect(s.ledger.redeem(s.call, s.alice.address, ETH))
        .to.be.revertedWithCustomError(s.ledger, "SeriesNotSettled")
        .withArgs(s.call);
    });

    it("test_RevertWhen_amountIsZero", async () => {
      const s = await settledAt(3500);
      await expect(s.ledger.exercise(s.call, s.bob.address, 0)).to.be.revertedWithCustomError(s.ledger, "ZeroAmount");
      await expect(s.ledger.redeem(s.call, s.alice.address, 0)).to.be.revertedWithCustomError(s.ledger, "ZeroAmount");
    });

    it("test_RevertWhen_exercisingMoreThanHeld", async () => {
      const s = await settledAt(3500);
      await expect(s.ledger.connect(s.bob).exercise(s.call, s.bob.address, 3n * ETH))
        .to.be.revertedWithCustomError(s.ledger, "ERC1155InsufficientBalance")
        .withArgs(s.bob.address, 2n * ETH, 3n * ETH, s.call);
    });

    it("test_RevertWhen_redeemingMoreThanWritten", async () => {
      const s = await settledAt(3500);
      await expect(s.ledger.connect(s.alice).redeem(s.call, s.alice.address, 3n * ETH))
        .to.be.revertedWithCustomError(s.ledger, "InsufficientShort")
        .withArgs(s.alice.address, s.call, 2n * ETH, 3n * ETH);
    });

    it("lets the holder settle part of a position but third parties only the whole of it", async () => {
      const s = await settledAt(4000);
      await expect(s.ledger.connect(s.carol).exercise(s.call, s.bob.address, ETH))
        .to.be.revertedWithCustomError(s.ledger, "PartialThirdPartySettlement")
        .withArgs(s.bob.address, 2n * ETH, ETH);
      await expect(s.ledger.connect(s.carol).redeem(s.call, s.alice.address, ETH))
        .to.be.revertedWithCustomError(s.ledger, "PartialThirdPartySettlement")
        .withArgs(s.alice.address, 2n * ETH, ETH);
      await expect(s.ledger.connect(s.bob).exercise(s.call, s.bob.address, ETH)).to.emit(s.ledger, "Exercised");
      await expect(s.ledger.connect(s.alice).redeem(s.call, s.alice.address, ETH)).to.emit(s.ledger, "Redeemed");
    });

    it("test_RevertWhen_seriesIsUnknown", async () => {
      const s = await settledAt(3500);
      await expect(s.ledger.exercise(9, s.bob.address, 1)).to.be.revertedWithCustomError(s.ledger, "UnknownSeries");
      await expect(s.ledger.redeem(9, s.bob.address, 1)).to.be.revertedWithCustomError(s.ledger, "UnknownSeries");
    });
  });
});
