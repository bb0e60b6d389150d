// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title AggregatorV3Interface
/// @notice Chainlink's price feed interface, declared here because the `@chainlink/contracts` npm package
/// depends on GitHub-hosted packages that cannot be installed offline. The ABI is identical.
interface AggregatorV3Interface {
    /// @notice Decimals of every answer.
    function decimals() external view returns (uint8);

    /// @notice Human-readable feed name, such as "ETH / USD".
    function description() external view returns (string memory);

    /// @notice Feed implementation version.
    function version() external view returns (uint256);

    /// @notice One round. Proxies pack the phase id in the top 16 bits of `roundId` (phaseId << 64 | id).
    /// @dev Reverts for a round that does not exist.
    function getRoundData(
        uint80 roundId
    )
        external
        view
        returns (uint80 roundId_, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);

    /// @notice The latest round.
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}
