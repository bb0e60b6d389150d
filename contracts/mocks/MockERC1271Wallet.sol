// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

/// @title MockERC1271Wallet
/// @notice Devnet smart-contract wallet: an owner EOA signs for it (EIP-1271), and it can execute calls to
/// approve tokens and operators. `setBroken` makes it answer with a wrong magic value, for tests.
contract MockERC1271Wallet is IERC1271, IERC1155Receiver {
    address public immutable owner;
    bool public broken;

    /// @notice The caller is not the owner.
    error NotOwner();
    /// @notice An executed call reverted.
    error CallFailed(bytes reason);

    constructor(address owner_) {
        owner = owner_;
    }

    /// @notice Runs a call as the wallet. Owner only.
    function execute(address to, bytes calldata data) external returns (bytes memory ret) {
        if (msg.sender != owner) revert NotOwner();
        bool ok;
        // solhint-disable-next-line avoid-low-level-calls
        (ok, ret) = to.call(data);
        if (!ok) revert CallFailed(ret);
    }

    /// @notice Makes `isValidSignature` return a wrong value. Owner only.
    function setBroken(bool broken_) external {
        if (msg.sender != owner) revert NotOwner();
        broken = broken_;
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecover(hash, signature);
        if (broken) return 0xdeadbeef;
        return err == ECDSA.RecoverError.NoError && signer == owner ? IERC1271.isValidSignature.selector : bytes4(0);
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155Received(address, address, uint256, uint256, bytes calldata) external pure returns (bytes4) {
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
