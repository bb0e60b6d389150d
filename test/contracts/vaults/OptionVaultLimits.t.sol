// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {IOptionLedger} from "../../../contracts/interfaces/IOptionLedger.sol";
import {IOptionVault} from "../../../contracts/interfaces/IOptionVault.sol";
import {MockAggregator} from "../../../contracts/mocks/MockAggregator.sol";
import {MockERC20} from "../../../contracts/mocks/MockERC20.sol";
import {OptionLedger} from "../../../contracts/OptionLedger.sol";
import {OptionVault} from "../../../contracts/vaults/OptionVault.sol";
import {TestBase} from "../../solidity/Vm.sol";

/// @notice ERC-4626 says `maxDeposit`, `maxMint`, `maxWithdraw` and `maxRedeem` must never exceed what the
/// call accepts. Each fuzz run builds a random vault state (LPs entering at different times, some for others;
/// the vault short and long; share transfers; price moves; stale marks; an expired position; a supply near
/// the cap; donations) and then calls each function with its maximum, which must succeed, and with one more,
/// which must revert with the ERC-4626 limit error.
contract OptionVaultLimitsTest is TestBase {
    uint256 private constant LOCKUP = 1 hours;
    uint256 private constant MAX_SUPPLY = type(uint208).max;
    /// @dev ERC20's `_totalSupply` and `_balances`: the vault's first storage slots (ERC20 comes first).
    uint256 private constant TOTAL_SUPPLY_SLOT = 2;
    uint256 private constant BALANCES_SLOT = 0;

    OptionLedger private ledger;
    OptionVault private vault;
    MockERC20 private weth;
    MockERC20 private usdc;
    MockAggregator private oracle;
    uint256 private near;
    uint256 private far;
    address[3] private lps = [address(0xA11CE), address(0xB0B), address(0xCA401)];
    address private constant TRADER = address(0x7EAD);

    function setUp() public {
        vm.warp(1_800_000_000);
        weth = new MockERC20("Wrapped Ether", "WETH", 18);
        usdc = new MockERC20("USD Coin", "USDC", 6);
        oracle = new MockAggregator(address(this), 8, "ETH / USD");
        oracle.pushAnswer(3000e8);
        ledger = new OptionLedger(address(this));
        uint32 pairId = ledger.registerPair(address(weth), address(usdc), address(oracle), 3600);
        IOptionVault.Params memory p = IOptionVault.Params({
            rate: 50_000,
            baseSpread: 10_000,
            utilSpread: 50_000,
            sizeSpread: 100_000,
            deltaSpread: 2_500,
            vegaSpread: 5_000,
            oracleMaxAge: 3600,
            volMaxAge: 86_400
        });
        IOptionVault.Limits memory lim = IOptionVault.Limits({
            maxTimeToExpiry: 180 days,
            minTimeToExpiry: 0,
            seriesCap: 1_000_000,
            minAbsDelta: 0,
            maxAbsDelta: 1_000_000,
            lpLockup: uint24(LOCKUP),
            minPremium: 1,
            minPosition: 0
        });
        vault = new OptionVault(IOptionLedger(address(ledger)), pairId, true, "c", "c", address(this), 6, p, lim);
        vault.setKeeper(address(this), true);
        uint40 nearExpiry = uint40(block.timestamp + 2 days);
        uint40 farExpiry = uint40(block.timestamp + 30 days);
        near = ledger.createSeries(address(weth), address(usdc), 3000e6, nearExpiry, true);
        far = ledger.createSeries(address(weth), address(usdc), 3500e6, farExpiry, true);
        vault.setVolSlice(nearExpiry, 0.8e18, -0.1e18, 0.2e18);
        vault.setVolSlice(farExpiry, 0.8e18, -0.1e18, 0.2e18);
        for (uint256 i; i < lps.length; ++i) _approve(lps[i]);
        _approve(TRADER);
        weth.faucet(TRADER, 1e30);
        vm.prank(TRADER);
        weth.approve(address(ledger), type(uint256).max);
        vm.prank(TRADER);
        ledger.setApprovalForAll(address(vault), true);
        _deposit(lps[0], lps[0], 100e18);
    }

    function testFuzz_maxLimitsAreExactlyWhatTheCallsAccept(
        uint256 seed,
        uint256 size,
        uint256 elapsed,
        uint256 move,
        uint256 huge
    ) public {
        // LPs: one deposits for itself, another for someone else.
        _deposit(lps[1], lps[1], bound(size, 1, 1e24));
        if (seed & 1 != 0) _deposit(lps[1], lps[2], bound(size >> 8, 1, 50e18));
        // The vault writes calls (locking collateral) and buys calls (holding longs marked at value).
        if (seed & 2 != 0) _buy(near, bound(size >> 16, 1e15, 20e18));
        if (seed & 4 != 0) _sell(far, bound(size >> 24, 1e15, 10e18));
        // Time passes (some locks run out, others not), the price moves, marks may go stale.
        vm.warp(block.timestamp + bound(elapsed, 0, 2 * LOCKUP));
        uint256 price = bound(move, 1500e8, 6000e8);
        if (seed & 8 == 0) oracle.pushAnswer(int256(price));
        if (seed & 16 == 0) vault.setVolSlice(uint40(block.timestamp + 1 days + 1), 0.8e18, 0, 0);
        if (seed & 32 != 0 && vault.maxDeposit(lps[0]) > 1e22) _deposit(lps[2], lps[0], bound(size >> 32, 1, 1e22));
        // Unlocked shares change hands.
        uint256 free2 = vault.balanceOf(lps[2]) - vault.lockedShares(lps[2]);
        if (free2 != 0) {
            vm.prank(lps[2]);
            vault.transfer(lps[1], free2 / 2);
        }
        if (seed & 64 != 0) weth.faucet(address(vault), bound(size >> 40, 1, 1e21));
        // An expired position waiting for collection, or a supply pushed close to its cap.
        if (seed & 128 != 0 && seed & 2 != 0) {
            vm.warp(block.timestamp + 3 days);
            oracle.pushAnswer(int256(price));
        }
        if (seed & 256 != 0) _inflateSupply(lps[seed % 3], bound(huge, 0, 1e40));
        // Free assets pushed close to their uint128 bound.
        uint256 room = vault.maxDeposit(lps[0]);
        if (seed & 512 != 0 && room > 1e20) _deposit(lps[0], lps[0], room - bound(huge, 0, 1e20));

        address caller = lps[(seed >> 10) % 3];
        address account = lps[(seed >> 12) % 3];
        _checkDeposit(caller, account);
        _checkMint(caller, account);
        _checkWithdraw(account);
        _checkRedeem(account);
        _checkSweepKeepsTheBooks();
    }

    /// @notice A dust deposit for someone else cannot push their unlock time out by more than a second.
    function testFuzz_aDepositForSomeoneElseBarelyMovesTheirLock(uint256 dust, uint256 elapsed) public {
        uint256 until = vault.lockedUntil(lps[0]);
        vm.warp(block.timestamp + bound(elapsed, 0, LOCKUP - 1));
        oracle.pushAnswer(3000e8);
        _deposit(lps[1], lps[0], bound(dust, 1, 1e6));
        assertLe(vault.lockedUntil(lps[0]), until + 1, "moved by at most one second");
        assertGe(vault.lockedUntil(lps[0]), until, "never earlier");
    }

    function _checkDeposit(address caller, address receiver) private {
        uint256 max = vault.maxDeposit(receiver);
        if (max != 0) {
            uint256 snap = vm.snapshotState();
            _fund(caller, max);
            vm.prank(caller);
            vault.deposit(max, receiver);
            vm.revertToState(snap);
        }
        uint256 snap2 = vm.snapshotState();
        _fund(caller, max + 1);
        vm.prank(caller);
        if (max != 0) {
            vm.expectRevert(abi.encodeWithSelector(ERC4626.ERC4626ExceededMaxDeposit.selector, receiver, max + 1, max));
        } else {
            vm.expectRevert();
        }
        vault.deposit(max + 1, receiver);
        vm.revertToState(snap2);
    }

    function _checkMint(address caller, address receiver) private {
        uint256 max = vault.maxMint(receiver);
        if (max != 0) {
            uint256 snap = vm.snapshotState();
            _fund(caller, vault.previewMint(max));
            vm.prank(caller);
            vault.mint(max, receiver);
            vm.revertToState(snap);
        }
        uint256 snap2 = vm.snapshotState();
        _fund(caller, type(uint128).max);
        vm.prank(caller);
        if (max != 0) {
            vm.expectRevert(abi.encodeWithSelector(ERC4626.ERC4626ExceededMaxMint.selector, receiver, max + 1, max));
        } else {
            vm.expectRevert();
        }
        vault.mint(max + 1, receiver);
        vm.revertToState(snap2);
    }

    function _checkWithdraw(address owner) private {
        uint256 max = vault.maxWithdraw(owner);
        if (max != 0) {
            uint256 snap = vm.snapshotState();
            vm.prank(owner);
            vault.withdraw(max, owner, owner);
            vm.revertToState(snap);
        }
        vm.prank(owner);
        if (max != 0) {
            vm.expectRevert(abi.encodeWithSelector(ERC4626.ERC4626ExceededMaxWithdraw.selector, owner, max + 1, max));
        } else {
            vm.expectRevert();
        }
        vault.withdraw(max + 1, owner, owner);
    }

    function _checkRedeem(address owner) private {
        uint256 max = vault.maxRedeem(owner);
        if (max != 0) {
            uint256 snap = vm.snapshotState();
            vm.prank(owner);
            vault.redeem(max, owner, owner);
            vm.revertToState(snap);
        }
        vm.prank(owner);
        if (max != 0) {
            vm.expectRevert(abi.encodeWithSelector(ERC4626.ERC4626ExceededMaxRedeem.selector, owner, max + 1, max));
        } else {
            vm.expectRevert();
        }
        vault.redeem(max + 1, owner, owner);
    }

    /// @dev Sweeping the asset (when allowed) takes exactly the balance above free assets.
    function _checkSweepKeepsTheBooks() private {
        uint256 free = vault.freeAssets();
        uint256 balance = weth.balanceOf(address(vault));
        assertGe(balance, free, "balance covers free assets");
        try vault.sweep(address(weth), address(this)) returns (uint256 swept) {
            assertEq(swept, balance - free, "swept only the excess");
            assertEq(weth.balanceOf(address(vault)), free, "books intact");
        } catch (bytes memory reason) {
            bytes4 selector = bytes4(reason);
            if (selector != IOptionVault.NothingToSweep.selector && selector != IOptionVault.PendingExpiry.selector) {
                revert AssertionFailed("sweep refused unexpectedly", uint32(selector), 0);
            }
        }
        assertEq(vault.freeAssets(), free, "free assets unchanged");
    }

    function _deposit(address caller, address receiver, uint256 assets) private {
        _fund(caller, assets);
        vm.prank(caller);
        vault.deposit(assets, receiver);
    }

    function _buy(uint256 id, uint256 amount) private {
        vm.prank(TRADER);
        vault.buy(id, amount, type(uint256).max, type(uint256).max, TRADER);
    }

    function _sell(uint256 id, uint256 amount) private {
        vm.prank(TRADER);
        ledger.mint(id, amount, TRADER, TRADER);
        vm.prank(TRADER);
        vault.sell(id, amount, 0, type(uint256).max, TRADER);
    }

    /// @dev Credits `to` with shares that take the total supply to within `gap` of the cap, keeping the
    /// balances summing to the supply.
    function _inflateSupply(address to, uint256 gap) private {
        uint256 supply = vault.totalSupply();
        assertEq(uint256(vm.load(address(vault), bytes32(TOTAL_SUPPLY_SLOT))), supply, "supply slot");
        uint256 added = MAX_SUPPLY - gap - supply;
        bytes32 balanceSlot = keccak256(abi.encode(to, BALANCES_SLOT));
        uint256 balance = uint256(vm.load(address(vault), balanceSlot));
        assertEq(balance, vault.balanceOf(to), "balance slot");
        vm.store(address(vault), bytes32(TOTAL_SUPPLY_SLOT), bytes32(supply + added));
        vm.store(address(vault), balanceSlot, bytes32(balance + added));
    }

    function _fund(address who, uint256 assets) private {
        weth.faucet(who, assets);
    }

    function _approve(address who) private {
        vm.prank(who);
        weth.approve(address(vault), type(uint256).max);
    }
}
