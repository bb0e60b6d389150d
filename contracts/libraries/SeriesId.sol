// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title SeriesId
/// @notice A series id is its terms packed into one word, so any contract can read a series' strike,
/// expiry and type without a storage read or an external call:
/// `pairId << 176 | expiry << 136 | isCall << 128 | strike`.
/// @dev `strike` is in quote-asset base units per one whole underlying token (3000 USDC = 3000e6).
/// Different terms always give different ids, so the id is deterministic and collision-free.
library SeriesId {
    uint256 private constant STRIKE_MASK = type(uint128).max;
    uint256 private constant EXPIRY_MASK = type(uint40).max;
    uint256 private constant PAIR_MASK = type(uint32).max;

    /// @notice Packs series terms into an id.
    function encode(uint32 pairId, uint128 strike, uint40 expiry, bool isCall) internal pure returns (uint256 id) {
        id = (uint256(pairId) << 176) | (uint256(expiry) << 136) | (isCall ? 1 << 128 : 0) | uint256(strike);
    }

    /// @notice Unpacks an id into its terms. Bits above 208 and the unused bits of the type byte are ignored
    /// here; `isCanonical` tells whether an id has none set.
    function decode(uint256 id) internal pure returns (uint32 pairId, uint128 strike, uint40 expiry, bool isCall) {
        pairId = uint32((id >> 176) & PAIR_MASK);
        expiry = uint40((id >> 136) & EXPIRY_MASK);
        isCall = (id >> 128) & 1 == 1;
        strike = uint128(id & STRIKE_MASK);
    }

    /// @notice True when re-encoding the decoded terms gives back `id`.
    function isCanonical(uint256 id) internal pure returns (bool) {
        (uint32 pairId, uint128 strike, uint40 expiry, bool isCall) = decode(id);
        return encode(pairId, strike, expiry, isCall) == id;
    }

    /// @notice The pair id alone.
    function pairOf(uint256 id) internal pure returns (uint32) {
        return uint32((id >> 176) & PAIR_MASK);
    }

    /// @notice The expiry alone.
    function expiryOf(uint256 id) internal pure returns (uint40) {
        return uint40((id >> 136) & EXPIRY_MASK);
    }
}
