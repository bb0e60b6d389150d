// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IOptionSettlement} from "../interfaces/IOptionSettlement.sol";

/// @title IntentHash
/// @notice EIP-712 struct hash of an {IOptionSettlement-Intent}.
library IntentHash {
    /// @notice The full EIP-712 type string; the typehash is derived from it, never written by hand.
    // solhint-disable-next-line gas-small-strings
    string internal constant INTENT_TYPE =
        "Intent(address user,uint256 seriesId,uint8 side,uint256 amount,uint256 limitPremium,uint256 deadline,"
        "uint256 nonce,address recipient,address exclusiveSolver,bytes32 quoteId)";
    bytes32 internal constant INTENT_TYPEHASH = keccak256(bytes(INTENT_TYPE));

    /// @notice hashStruct(intent). Every field is a static atomic type, so encodeData is the ABI encoding.
    function hash(IOptionSettlement.Intent calldata intent) internal pure returns (bytes32) {
        return keccak256(abi.encode(INTENT_TYPEHASH, intent));
    }
}
