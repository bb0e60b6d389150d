// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {IOptionLedger} from "../interfaces/IOptionLedger.sol";

/// @title SettlementOracle
/// @notice Proves that a Chainlink round is the last one published at or before an expiry, and that it is
/// fresh. Settling from this round, and never from the spot at the time of the call, closes the flaw
/// audited in Lyra v1 (TRST-M-6): a keeper cannot choose a favourable later price.
library SettlementOracle {
    /// @notice Returns the answer of `roundId` after checking that it settles `expiry`.
    /// @dev `roundId` must have updatedAt <= expiry, be no older than `maxAge` at expiry, and be followed
    /// either by nothing (it is the latest round) or by a round published after expiry. Proxy round ids
    /// carry the phase in their top bits; across a phase change the first round of the next phase is the
    /// successor.
    function settlementAnswer(
        AggregatorV3Interface feed,
        uint80 roundId,
        uint256 expiry,
        uint256 maxAge
    ) internal view returns (int256 answer, uint256 updatedAt) {
        bool found;
        (found, answer, updatedAt) = _round(feed, roundId);
        if (!found) revert IOptionLedger.RoundNotFound(roundId);
        if (updatedAt > expiry) revert IOptionLedger.RoundAfterExpiry(roundId, updatedAt);
        if (expiry - updatedAt > maxAge) revert IOptionLedger.StaleSettlementRound(roundId, updatedAt, expiry);
        if (answer <= 0) revert IOptionLedger.InvalidOracleAnswer(roundId, answer);

        // roundId + 1 cannot overflow in practice (aggregator round ids are 64-bit counters), but a
        // hostile hint of type(uint80).max simply has no successor, which is checked below.
        uint80 next = roundId == type(uint80).max ? roundId : roundId + 1;
        (bool nextFound, , uint256 nextUpdatedAt) = _round(feed, next);
        if (!nextFound || next == roundId) {
            (uint80 latestId, , , , ) = feed.latestRoundData();
            if (latestId == roundId) return (answer, updatedAt);
            // The phase changed after roundId: its successor is the first round of the next phase.
            next = (((roundId >> 64) + 1) << 64) | 1;
            (nextFound, , nextUpdatedAt) = _round(feed, next);
            if (!nextFound) revert IOptionLedger.NotLastRoundBeforeExpiry(roundId, latestId);
        }
        if (nextUpdatedAt <= expiry) revert IOptionLedger.NotLastRoundBeforeExpiry(roundId, next);
    }

    /// @dev Reads a round, treating a revert or an empty round as "not found".
    function _round(
        AggregatorV3Interface feed,
        uint80 roundId
    ) private view returns (bool found, int256 answer, uint256 updatedAt) {
        try feed.getRoundData(roundId) returns (uint80, int256 answer_, uint256, uint256 updatedAt_, uint80) {
            return (updatedAt_ != 0, answer_, updatedAt_);
        } catch {
            return (false, 0, 0);
        }
    }
}
