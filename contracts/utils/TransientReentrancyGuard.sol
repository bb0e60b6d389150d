// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title TransientReentrancyGuard
/// @notice A reentrancy guard in EIP-1153 transient storage: ~200 gas per guarded call instead of the
/// ~5,000 of a storage flag. Written with Solidity's `transient` keyword rather than OpenZeppelin's
/// assembly version, which makes the compiler warn on every build.
/// @dev The flag is cleared before the guarded call returns, so several guarded calls in one transaction
/// work as expected.
abstract contract TransientReentrancyGuard {
    bool private transient _entered;

    /// @notice A guarded function was entered again before it returned.
    error ReentrantCall();

    modifier nonReentrant() {
        if (_entered) revert ReentrantCall();
        _entered = true;
        _;
        _entered = false;
    }

    /// @dev True while a guarded function is executing.
    function _reentrancyGuardEntered() internal view returns (bool) {
        return _entered;
    }
}
