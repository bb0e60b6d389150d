// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title ReentrantERC20
/// @notice Test attacker: an ERC-20 that, when armed, calls back into a target from inside every transfer
/// and bubbles up what the target reverts with.
contract ReentrantERC20 is ERC20 {
    address private _target;
    bytes private _payload;

    constructor() ERC20("Evil", "EVIL") {}

    /// @notice Open faucet, as the devnet mocks have.
    function faucet(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Sets the call made from the next transfer.
    function arm(address target, bytes calldata payload) external {
        _target = target;
        _payload = payload;
    }

    function _update(address from, address to, uint256 value) internal override {
        bytes memory payload = _payload;
        if (payload.length != 0) {
            delete _payload;
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory ret) = _target.call(payload);
            if (!ok) {
                assembly ("memory-safe") {
                    revert(add(ret, 0x20), mload(ret))
                }
            }
        }
        super._update(from, to, value);
    }
}
