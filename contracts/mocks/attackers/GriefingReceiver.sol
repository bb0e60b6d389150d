// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

/// @title GriefingReceiver
/// @notice Test attacker: an ERC-1155 receiver that burns all the gas it is given, or reverts with a huge
/// message, to try to break a batch that contains its order.
contract GriefingReceiver is IERC1155Receiver {
    /// @notice 0: accept; 1: burn all gas; 2: revert with `revertBytes` bytes of data.
    uint256 public mode;
    uint256 public revertBytes;

    function setMode(uint256 mode_, uint256 revertBytes_) external {
        mode = mode_;
        revertBytes = revertBytes_;
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155Received(address, address, uint256, uint256, bytes calldata) external view returns (bytes4) {
        if (mode == 1) {
            uint256 spin;
            while (gasleft() > 0) ++spin;
        } else if (mode == 2) {
            uint256 size = revertBytes;
            assembly ("memory-safe") {
                revert(0, size)
            }
        }
        return this.onERC1155Received.selector;
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155BatchReceived(
        address,
        address,
        uint256[] calldata,
        uint256[] calldata,
        bytes calldata
    ) external pure returns (bytes4) {
        return this.onERC1155BatchReceived.selector;
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || interfaceId == type(IERC165).interfaceId;
    }
}
