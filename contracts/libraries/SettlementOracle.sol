// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {IOptionLedger} from "../interfaces/IOptionLedger.sol";

/// @title SettlementOracle
/// @notice Proves that a Chainlink round is the last one published at or before an expiry, and that it is
/// fresh. Settling from this round, and never from the spot at the time of the call, closes the flaw
/// audited in Lyra v1 (TRST-M-6): a keeper cannot choose a favourable later price. The same proof tells the
/// emergency path whether any round could settle.
/// @dev Proxy round ids carry the phase in their top 16 bits (phaseId << 64 | n); across a phase change the
/// first round of the next phase is the successor. Updates are assumed to be published in round order and no
/// phase to be empty, as with Chainlink's proxies.
library SettlementOracle {
    /// @notice Highest phase id a uint80 round id can carry: its rounds have no next phase.
    uint256 private constant TOP_PHASE = type(uint16).max;

    /// @notice Returns the answer of `roundId` after checking that it settles `expiry`.
    /// @dev `roundId` must have updatedAt <= expiry, be no older than `maxAge` at expiry, and be followed
    /// either by nothing (it is the latest round) or by a round published after expiry.
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
        _checkLastBefore(feed, roundId, expiry);
    }

    /// @notice For the emergency path: proves which round is the last one at or before `expiry`, from a hint.
    /// @dev Either `hint` is that round (checked exactly as `settlementAnswer` checks its successor), or `hint`
    /// is the feed's first round and came after expiry (no round precedes expiry), or the feed answers neither
    /// `getRoundData(hint)` nor `latestRoundData` (it is down). Any other hint reverts, naming why.
    /// @return exists False when no round at or before expiry exists or the feed is down.
    /// @return answer The last round's answer, when it exists.
    /// @return updatedAt The last round's time, when it exists.
    function lastRoundBefore(
        AggregatorV3Interface feed,
        uint80 hint,
        uint256 expiry
    ) internal view returns (bool exists, int256 answer, uint256 updatedAt) {
        bool found;
        (found, answer, updatedAt) = _round(feed, hint);
        if (!found) {
            try feed.latestRoundData() returns (uint80, int256, uint256, uint256, uint80) {
                revert IOptionLedger.RoundNotFound(hint);
            } catch {
                return (false, 0, 0);
            }
        }
        if (updatedAt > expiry) {
            if (!_isFirstRound(feed, hint)) revert IOptionLedger.RoundAfterExpiry(hint, updatedAt);
            return (false, 0, 0);
        }
        _checkLastBefore(feed, hint, expiry);
        return (true, answer, updatedAt);
    }

    /// @dev Reverts unless the round after `roundId` was published after expiry, or `roundId` is the latest.
    function _checkLastBefore(AggregatorV3Interface feed, uint80 roundId, uint256 expiry) private view {
        // roundId + 1 cannot overflow in practice (aggregator round ids are 64-bit counters), but a
        // hostile hint of type(uint80).max simply has no successor, which is checked below.
        uint80 next = roundId == type(uint80).max ? roundId : roundId + 1;
        (bool nextFound, , uint256 nextUpdatedAt) = _round(feed, next);
        if (!nextFound || next == roundId) {
            (uint80 latestId, , , , ) = feed.latestRoundData();
            if (latestId == roundId) return;
            // The phase changed after roundId: its successor is the first round of the next phase. A round of
            // the top phase has no next phase (the next phase id would not fit the uint80 round id).
            uint256 phase = roundId >> 64;
            if (phase == TOP_PHASE) revert IOptionLedger.NotLastRoundBeforeExpiry(roundId, latestId);
            next = uint80(((phase + 1) << 64) | 1);
            (nextFound, , nextUpdatedAt) = _round(feed, next);
            if (!nextFound) revert IOptionLedger.NotLastRoundBeforeExpiry(roundId, latestId);
        }
        if (nextUpdatedAt <= expiry) revert IOptionLedger.NotLastRoundBeforeExpiry(roundId, next);
    }

    /// @dev True when `roundId` is round 1 of its phase and the phase before it has no round 1 (or it is phase
    /// 0, as on a plain aggregator): no earlier round exists.
    function _isFirstRound(AggregatorV3Interface feed, uint80 roundId) private view returns (bool) {
        if (uint64(roundId) != 1) return false;
        uint256 phase = roundId >> 64;
        if (phase == 0) return true;
        (bool found, , ) = _round(feed, uint80(((phase - 1) << 64) | 1));
        return !found;
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
