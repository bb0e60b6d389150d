// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IOptionLedger} from "../../contracts/interfaces/IOptionLedger.sol";
import {OptionMath} from "../../contracts/libraries/OptionMath.sol";
import {SeriesId} from "../../contracts/libraries/SeriesId.sol";
import {MockAggregator} from "../../contracts/mocks/MockAggregator.sol";
import {MockERC20} from "../../contracts/mocks/MockERC20.sol";
import {OptionLedger} from "../../contracts/OptionLedger.sol";
import {TestBase} from "../solidity/Vm.sol";

/// @notice Drives the ledger through random writes, closes, transfers, oracle rounds, settlements,
/// exercises and redemptions by three actors over four series, and keeps ghost totals of what went in
/// and out.
contract LedgerHandler is TestBase {
    OptionLedger public immutable ledger;
    MockERC20 public immutable weth;
    MockERC20 public immutable usdc;
    MockAggregator public immutable oracle;
    uint40 public immutable expiry;

    address[3] public actors = [address(0xA11CE), address(0xB0B), address(0xCA401)];
    uint256[] public seriesIds;
    mapping(uint256 seriesId => uint256) public deposited;
    mapping(uint256 seriesId => uint256) public paidOut;
    uint80[] private _rounds;
    mapping(uint80 roundId => uint256) private _roundTime;

    constructor(OptionLedger ledger_, MockERC20 weth_, MockERC20 usdc_, MockAggregator oracle_, uint256[] memory ids) {
        ledger = ledger_;
        weth = weth_;
        usdc = usdc_;
        oracle = oracle_;
        seriesIds = ids;
        expiry = SeriesId.expiryOf(ids[0]);
        for (uint256 i; i < actors.length; ++i) {
            vm.startPrank(actors[i]);
            weth.approve(address(ledger), type(uint256).max);
            usdc.approve(address(ledger), type(uint256).max);
            vm.stopPrank();
        }
    }

    function seriesCount() external view returns (uint256) {
        return seriesIds.length;
    }

    function mint(uint256 actorSeed, uint256 recipientSeed, uint256 seriesSeed, uint256 amount) external {
        if (block.timestamp >= expiry) return;
        uint256 id = seriesIds[seriesSeed % seriesIds.length];
        address writer = actors[actorSeed % 3];
        amount = bound(amount, 1, 50e18);
        (, uint128 strike, , bool isCall) = SeriesId.decode(id);
        uint256 collateral = OptionMath.collateral(isCall, strike, amount, 1e18);
        (isCall ? weth : usdc).faucet(writer, collateral);
        vm.prank(writer);
        ledger.mint(id, amount, writer, actors[recipientSeed % 3]);
        deposited[id] += collateral;
    }

    function close(uint256 actorSeed, uint256 seriesSeed, uint256 amount) external {
        uint256 id = seriesIds[seriesSeed % seriesIds.length];
        if (ledger.series(id).state.settled) return;
        address account = actors[actorSeed % 3];
        uint256 closable = _min(ledger.balanceOf(account, id), ledger.shortBalanceOf(account, id));
        if (closable == 0) return;
        amount = bound(amount, 1, closable);
        vm.prank(account);
        paidOut[id] += ledger.close(id, amount, account, account);
    }

    function transfer(uint256 fromSeed, uint256 toSeed, uint256 seriesSeed, uint256 amount) external {
        uint256 id = seriesIds[seriesSeed % seriesIds.length];
        address from = actors[fromSeed % 3];
        uint256 balance = ledger.balanceOf(from, id);
        if (balance == 0) return;
        amount = bound(amount, 1, balance);
        vm.prank(from);
        ledger.safeTransferFrom(from, actors[toSeed % 3], id, amount, "");
    }

    /// @notice Moves time forward and publishes a price, sometimes landing just before expiry.
    function tick(uint256 dt, uint256 price, bool nearExpiry) external {
        uint256 target =
            nearExpiry && block.timestamp < expiry - 60 ? expiry - 60 : block.timestamp + bound(dt, 1, 3 days);
        vm.warp(target);
        uint80 roundId = oracle.pushAnswer(int256(bound(price, 500e8, 8000e8)));
        _rounds.push(roundId);
        _roundTime[roundId] = target;
    }

    function settle(uint256 seriesSeed) external {
        uint256 id = seriesIds[seriesSeed % seriesIds.length];
        if (block.timestamp <= expiry || ledger.series(id).state.settled) return;
        (bool found, uint80 roundId) = _lastRoundBeforeExpiry();
        if (!found || expiry - _roundTime[roundId] > 3600) return;
        ledger.settle(id, roundId);
    }

    function exercise(uint256 actorSeed, uint256 seriesSeed, uint256 amount) external {
        uint256 id = seriesIds[seriesSeed % seriesIds.length];
        if (!ledger.series(id).state.settled) return;
        address holder = actors[actorSeed % 3];
        uint256 balance = ledger.balanceOf(holder, id);
        if (balance == 0) return;
        // Odd seeds: a keeper settles the whole position; even: the holder settles part of it.
        if (amount % 2 == 1) {
            paidOut[id] += ledger.exercise(id, holder, balance);
        } else {
            vm.prank(holder);
            paidOut[id] += ledger.exercise(id, holder, bound(amount, 1, balance));
        }
    }

    function redeem(uint256 actorSeed, uint256 seriesSeed, uint256 amount) external {
        uint256 id = seriesIds[seriesSeed % seriesIds.length];
        if (!ledger.series(id).state.settled) return;
        address writer = actors[actorSeed % 3];
        uint256 short = ledger.shortBalanceOf(writer, id);
        if (short == 0) return;
        if (amount % 2 == 1) {
            paidOut[id] += ledger.redeem(id, writer, short);
        } else {
            vm.prank(writer);
            paidOut[id] += ledger.redeem(id, writer, bound(amount, 1, short));
        }
    }

    /// @notice What the ledger owes on a series right now, at most: before settlement every pair of long
    /// and short can be closed for released(amount); after it, each holder's and writer's exact payout.
    function maxObligation(uint256 id) external view returns (uint256 owed) {
        IOptionLedger.SeriesInfo memory info = ledger.series(id);
        uint256 longs;
        uint256 shorts;
        for (uint256 i; i < 3; ++i) {
            uint256 long_ = ledger.balanceOf(actors[i], id);
            uint256 short_ = ledger.shortBalanceOf(actors[i], id);
            longs += long_;
            shorts += short_;
            if (info.state.settled) {
                (uint256 lp, ) = OptionMath.payoffs(info.isCall, info.strike, info.state.settlementPrice, long_, 1e18);
                (, uint256 sp) = OptionMath.payoffs(info.isCall, info.strike, info.state.settlementPrice, short_, 1e18);
                owed += lp + sp;
            }
        }
        if (!info.state.settled) owed = OptionMath.released(info.isCall, info.strike, _max(longs, shorts), 1e18);
    }

    function _lastRoundBeforeExpiry() private view returns (bool, uint80) {
        for (uint256 i = _rounds.length; i > 0; --i) {
            if (_roundTime[_rounds[i - 1]] <= expiry) return (true, _rounds[i - 1]);
        }
        return (false, 0);
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }

    function _max(uint256 a, uint256 b) private pure returns (uint256) {
        return a > b ? a : b;
    }
}

contract OptionLedgerInvariantTest is TestBase {
    OptionLedger private ledger;
    MockERC20 private weth;
    MockERC20 private usdc;
    LedgerHandler private handler;

    function setUp() public {
        vm.warp(1_800_000_000);
        weth = new MockERC20("Wrapped Ether", "WETH", 18);
        usdc = new MockERC20("USD Coin", "USDC", 6);
        MockAggregator oracle = new MockAggregator(address(this), 8, "ETH / USD");
        oracle.pushAnswer(3000e8);
        ledger = new OptionLedger(address(this));
        ledger.registerPair(address(weth), address(usdc), address(oracle), 3600);
        uint40 expiry = uint40(block.timestamp + 10 days);
        uint256[] memory ids = new uint256[](4);
        ids[0] = ledger.createSeries(address(weth), address(usdc), 2500e6, expiry, true);
        ids[1] = ledger.createSeries(address(weth), address(usdc), 3333e6 + 1, expiry, true);
        ids[2] = ledger.createSeries(address(weth), address(usdc), 3000e6, expiry, false);
        ids[3] = ledger.createSeries(address(weth), address(usdc), 2777e6 + 3, expiry, false);
        handler = new LedgerHandler(ledger, weth, usdc, oracle, ids);
        oracle.transferOwnership(address(handler));
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @notice The ledger's tokens cover the most it could be asked to pay, series by series.
    function invariant_collateralCoversMaximumObligations() public view {
        uint256 wethOwed;
        uint256 usdcOwed;
        uint256 wethHeld;
        uint256 usdcHeld;
        for (uint256 i; i < handler.seriesCount(); ++i) {
            uint256 id = handler.seriesIds(i);
            IOptionLedger.SeriesInfo memory info = ledger.series(id);
            uint256 owed = handler.maxObligation(id);
            assertGe(info.state.collateral, owed, "series collateral >= obligations");
            if (info.isCall) (wethOwed, wethHeld) = (wethOwed + owed, wethHeld + info.state.collateral);
            else (usdcOwed, usdcHeld) = (usdcOwed + owed, usdcHeld + info.state.collateral);
        }
        assertEq(IERC20(address(weth)).balanceOf(address(ledger)), wethHeld, "weth accounted exactly");
        assertEq(IERC20(address(usdc)).balanceOf(address(ledger)), usdcHeld, "usdc accounted exactly");
        assertGe(wethHeld, wethOwed, "weth solvent");
        assertGe(usdcHeld, usdcOwed, "usdc solvent");
    }

    /// @notice Across closes, exercises and redemptions, no series ever paid out more than it took in.
    function invariant_totalPaidOutNeverExceedsCollateral() public view {
        for (uint256 i; i < handler.seriesCount(); ++i) {
            uint256 id = handler.seriesIds(i);
            assertLe(handler.paidOut(id), handler.deposited(id), "paid out <= deposited");
            assertEq(handler.deposited(id) - handler.paidOut(id), ledger.series(id).state.collateral, "ghost == state");
        }
    }
}
