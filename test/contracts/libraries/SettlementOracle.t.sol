// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AggregatorV3Interface} from "../../../contracts/interfaces/AggregatorV3Interface.sol";
import {IOptionLedger} from "../../../contracts/interfaces/IOptionLedger.sol";
import {SettlementOracle} from "../../../contracts/libraries/SettlementOracle.sol";
import {TestBase} from "../../solidity/Vm.sol";

/// @notice A feed whose rounds and latest round id are set by hand, to reach round ids no real feed would.
contract ScriptedFeed is AggregatorV3Interface {
    struct Round {
        int256 answer;
        uint256 updatedAt;
    }

    mapping(uint80 roundId => Round) private _rounds;
    uint80 private _latest;

    error NoData(uint80 roundId);

    function setRound(uint80 roundId, int256 answer, uint256 updatedAt) external {
        _rounds[roundId] = Round(answer, updatedAt);
    }

    function setLatest(uint80 roundId) external {
        _latest = roundId;
    }

    function decimals() external pure returns (uint8) {
        return 8;
    }

    function description() external pure returns (string memory) {
        return "scripted";
    }

    function version() external pure returns (uint256) {
        return 1;
    }

    function getRoundData(uint80 roundId) public view returns (uint80, int256, uint256, uint256, uint80) {
        Round memory r = _rounds[roundId];
        if (r.updatedAt == 0) revert NoData(roundId);
        return (roundId, r.answer, r.updatedAt, r.updatedAt, roundId);
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        return getRoundData(_latest);
    }
}

/// @notice Exposes the library's internal functions.
contract SettlementOracleHarness {
    function settlementAnswer(
        AggregatorV3Interface feed,
        uint80 roundId,
        uint256 expiry,
        uint256 maxAge
    ) external view returns (int256, uint256) {
        return SettlementOracle.settlementAnswer(feed, roundId, expiry, maxAge);
    }

    function lastRoundBefore(
        AggregatorV3Interface feed,
        uint80 hint,
        uint256 expiry
    ) external view returns (bool, int256, uint256) {
        return SettlementOracle.lastRoundBefore(feed, hint, expiry);
    }
}

contract SettlementOracleTest is TestBase {
    uint80 private constant TOP_PHASE = uint80(type(uint16).max) << 64;
    uint256 private constant EXPIRY = 1_800_000_000;

    ScriptedFeed private feed;
    SettlementOracleHarness private harness;

    function setUp() public {
        vm.warp(EXPIRY + 1 days);
        feed = new ScriptedFeed();
        harness = new SettlementOracleHarness();
    }

    /// @notice A round of the top phase that is not the latest has no next phase to hand over to: its
    /// successor must not wrap around to round 1 (here a round after expiry, which would pass it as last).
    function test_RevertWhen_aTopPhaseRoundIsNotTheLatest() public {
        uint80 roundId = TOP_PHASE | 5;
        uint80 later = TOP_PHASE | 7;
        feed.setRound(roundId, 3000e8, EXPIRY - 10);
        feed.setRound(later, 3100e8, EXPIRY - 5);
        feed.setLatest(later);
        feed.setRound(1, 2000e8, EXPIRY + 100);
        vm.expectRevert(abi.encodeWithSelector(IOptionLedger.NotLastRoundBeforeExpiry.selector, roundId, later));
        harness.settlementAnswer(feed, roundId, EXPIRY, 3600);
        vm.expectRevert(abi.encodeWithSelector(IOptionLedger.NotLastRoundBeforeExpiry.selector, roundId, later));
        harness.lastRoundBefore(feed, roundId, EXPIRY);
    }

    /// @notice The same for the largest round id, which has no in-phase successor either.
    function test_RevertWhen_theLargestRoundIdIsNotTheLatest() public {
        uint80 roundId = type(uint80).max;
        uint80 latest = TOP_PHASE | 9;
        feed.setRound(roundId, 3000e8, EXPIRY - 10);
        feed.setRound(latest, 3100e8, EXPIRY - 5);
        feed.setLatest(latest);
        feed.setRound(1, 2000e8, EXPIRY + 100);
        vm.expectRevert(abi.encodeWithSelector(IOptionLedger.NotLastRoundBeforeExpiry.selector, roundId, latest));
        harness.settlementAnswer(feed, roundId, EXPIRY, 3600);
    }

    /// @notice Any round of the top phase, followed by no in-phase round and not the latest, is refused.
    function testFuzz_topPhaseRoundsNeverTakeAWrappedSuccessor(uint64 index, uint64 latestIndex) public {
        vm.assume(index != latestIndex && index != type(uint64).max);
        uint80 roundId = TOP_PHASE | index;
        uint80 latest = TOP_PHASE | latestIndex;
        feed.setRound(roundId, 3000e8, EXPIRY - 10);
        feed.setRound(latest, 3100e8, EXPIRY - 5);
        feed.setLatest(latest);
        feed.setRound(1, 2000e8, EXPIRY + 100);
        // Either the in-phase successor is the latest round (before expiry), or there is none and the latest
        // round is another one: both name the latest round as the later one.
        vm.expectRevert(abi.encodeWithSelector(IOptionLedger.NotLastRoundBeforeExpiry.selector, roundId, latest));
        harness.settlementAnswer(feed, roundId, EXPIRY, 3600);
    }

    /// @notice The latest round of the top phase still settles.
    function test_aTopPhaseRoundThatIsTheLatestSettles() public {
        uint80 roundId = TOP_PHASE | 5;
        feed.setRound(roundId, 3000e8, EXPIRY - 10);
        feed.setLatest(roundId);
        (int256 answer, uint256 updatedAt) = harness.settlementAnswer(feed, roundId, EXPIRY, 3600);
        assertEq(uint256(answer), 3000e8, "answer");
        assertEq(updatedAt, EXPIRY - 10, "updatedAt");
    }

    /// @notice A phase change is still followed: the next phase's first round, after expiry, closes it.
    function test_aPhaseChangeBelowTheTopPhaseIsFollowed() public {
        uint80 roundId = (uint80(3) << 64) | 5;
        uint80 next = (uint80(4) << 64) | 1;
        feed.setRound(roundId, 3000e8, EXPIRY - 10);
        feed.setRound(next, 3100e8, EXPIRY + 5);
        feed.setLatest(next);
        (int256 answer, ) = harness.settlementAnswer(feed, roundId, EXPIRY, 3600);
        assertEq(uint256(answer), 3000e8, "answer");
    }

    /// @notice The emergency proof that no round precedes expiry: the hint is round 1 of its phase, and the
    /// phase before it has no round 1.
    function test_theFirstRoundAfterExpiryProvesThatNoRoundPrecedesIt() public {
        uint80 first = (uint80(2) << 64) | 1;
        feed.setRound(first, 3000e8, EXPIRY + 10);
        feed.setLatest(first);
        (bool exists, , ) = harness.lastRoundBefore(feed, first, EXPIRY);
        assertEq(exists ? 1 : 0, 0, "no round before expiry");
        // With a round 1 in the phase before, it is not the first round.
        feed.setRound((uint80(1) << 64) | 1, 2900e8, EXPIRY - 100);
        vm.expectRevert(abi.encodeWithSelector(IOptionLedger.RoundAfterExpiry.selector, first, EXPIRY + 10));
        harness.lastRoundBefore(feed, first, EXPIRY);
    }
}
