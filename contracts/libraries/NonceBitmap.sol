// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IOptionSettlement} from "../interfaces/IOptionSettlement.sol";

/// @title NonceBitmap
/// @notice Permit2-style unordered nonces: 256 per storage word, so a user's fills mostly touch a word
/// that is already non-zero (~5k gas instead of ~22k), and a whole word can be cancelled at once.
library NonceBitmap {
    /// @notice Marks `nonce` used for `user`; reverts if it was already used or cancelled.
    function use(mapping(address => mapping(uint256 => uint256)) storage bitmap, address user, uint256 nonce) internal {
        uint256 bit = 1 << (nonce & 0xff);
        uint256 flipped = bitmap[user][nonce >> 8] ^= bit;
        if (flipped & bit == 0) revert IOptionSettlement.NonceAlreadyUsed(user, nonce);
    }

    /// @notice True when `nonce` is used or cancelled.
    function isUsed(
        mapping(address => mapping(uint256 => uint256)) storage bitmap,
        address user,
        uint256 nonce
    ) internal view returns (bool) {
        return bitmap[user][nonce >> 8] & (1 << (nonce & 0xff)) != 0;
    }
}
