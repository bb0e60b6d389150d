// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";

/// @title MockAggregator
/// @notice Devnet price feed with real rounds: every update opens a new round stamped with the block
/// time, round ids carry a phase like a Chainlink proxy (phaseId << 64 | n), and past rounds stay
/// readable. The owner sets prices.
contract MockAggregator is AggregatorV3Interface, Ownable {
    struct Round {
        int192 answer;
        uint64 updatedAt;
    }

    /// @dev The latest round packed in one word, so `latestRoundData` costs one SLOAD as readers expect of a
    /// production feed's hot path.
    struct Latest {
        uint80 roundId;
        int112 answer;
        uint64 updatedAt;
    }

    uint8 private immutable _decimals;
    string private _description;
    Latest private _latest;
    bool private _phasePending;
    mapping(uint80 roundId => Round) private _rounds;

    /// @notice Emitted for every new round, with Chainlink's `AnswerUpdated` shape.
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    /// @notice The round does not exist (Chainlink reverts with "No data present").
    error NoDataPresent(uint80 roundId);
    /// @notice The answer does not fit the feed's int112 storage.
    error AnswerOutOfRange(int256 answer);

    constructor(address owner_, uint8 decimals_, string memory description_) Ownable(owner_) {
        _decimals = decimals_;
        _description = description_;
        _latest.roundId = uint80(1) << 64;
    }

    /// @notice Publishes `answer` as a new round at the current block time.
    function pushAnswer(int256 answer) external onlyOwner returns (uint80 roundId) {
        if (answer > type(int112).max || answer < type(int112).min) revert AnswerOutOfRange(answer);
        uint80 latest = _latest.roundId;
        roundId = _phasePending ? (((latest >> 64) + 1) << 64) | 1 : latest + 1;
        _phasePending = false;
        _latest = Latest({roundId: roundId, answer: int112(answer), updatedAt: uint64(block.timestamp)});
        _rounds[roundId] = Round({answer: int192(answer), updatedAt: uint64(block.timestamp)});
        emit AnswerUpdated(answer, roundId, block.timestamp);
    }

    /// @notice Starts a new phase, as a proxy does when its aggregator is replaced: the next round is
    /// (phase + 1) << 64 | 1, and until then the latest round stays the last one of the old phase.
    function startNewPhase() external onlyOwner {
        _phasePending = true;
    }

    /// @inheritdoc AggregatorV3Interface
    function decimals() external view returns (uint8) {
        return _decimals;
    }

    /// @inheritdoc AggregatorV3Interface
    function description() external view returns (string memory) {
        return _description;
    }

    /// @inheritdoc AggregatorV3Interface
    function version() external pure returns (uint256) {
        return 4;
    }

    /// @inheritdoc AggregatorV3Interface
    function getRoundData(uint80 roundId) external view returns (uint80, int256, uint256, uint256, uint80) {
        Round memory r = _rounds[roundId];
        if (r.updatedAt == 0) revert NoDataPresent(roundId);
        return (roundId, r.answer, r.updatedAt, r.updatedAt, roundId);
    }

    /// @inheritdoc AggregatorV3Interface
    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        Latest memory latest = _latest;
        if (latest.updatedAt == 0) revert NoDataPresent(latest.roundId);
        return (latest.roundId, latest.answer, latest.updatedAt, latest.updatedAt, latest.roundId);
    }
}
