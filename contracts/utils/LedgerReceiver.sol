// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

/// @title LedgerReceiver
/// @notice ERC-1155 receiver hooks for a contract that holds option longs only while it moves them itself:
/// a single transfer is accepted when this contract initiated it on the ledger, anything else is refused, so
/// that no longs can be pushed onto it and its books always match its ledger balance.
abstract contract LedgerReceiver is IERC1155Receiver {
    /// @inheritdoc IERC1155Receiver
    function onERC1155Received(
        address operator,
        address,
        uint256,
        uint256,
        bytes calldata
    ) external view returns (bytes4) {
        return
            operator == address(this) && msg.sender == _receiptLedger() ? this.onERC1155Received.selector : bytes4(0);
    }

    /// @inheritdoc IERC1155Receiver
    /// @dev Batch transfers are never part of a trade or fill and are refused.
    function onERC1155BatchReceived(
        address,
        address,
        uint256[] calldata,
        uint256[] calldata,
        bytes calldata
    ) external pure returns (bytes4) {
        return bytes4(0);
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    /// @dev The ledger whose transfers this contract initiates.
    function _receiptLedger() internal view virtual returns (address);
}
