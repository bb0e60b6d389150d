// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

/// @title ReentrantReceiver
/// @notice Test attacker: an ERC-1155 receiver that, when armed, calls back into a target from its receive
/// hook and bubbles up whatever the target reverts with.
contract ReentrantReceiver is IERC1155Receiver {
    address private immutable _target;
    bytes private _payload;

    constructor(address target) {
        _target = target;
    }

    /// @notice Sets the call made from the next receive hook.
    function arm(bytes calldata payload) external {
        _payload = payload;
    }

    /// @notice Lets the attacker approve operators and tokens, as a real wallet would.
    function execute(address to, bytes calldata data) external returns (bytes memory) {
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = to.call(data);
        if (!ok) _bubble(ret);
        return ret;
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155Received(address, address, uint256, uint256, bytes calldata) external returns (bytes4) {
        _reenter();
        return this.onERC1155Received.selector;
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155BatchReceived(
        address,
        address,
        uint256[] calldata,
        uint256[] calldata,
        bytes calldata
    ) external returns (bytes4) {
        _reenter();
        return this.onERC1155BatchReceived.selector;
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    function _reenter() private {
        bytes memory payload = _payload;
        if (payload.length == 0) return;
        delete _payload;
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = _target.call(payload);
        if (!ok) _bubble(ret);
    }

    function _bubble(bytes memory ret) private pure {
        assembly ("memory-safe") {
            revert(add(ret, 0x20), mload(ret))
        }
    }
}
