// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IOptionLedger} from "../../contracts/interfaces/IOptionLedger.sol";
import {IOptionSettlement} from "../../contracts/interfaces/IOptionSettlement.sol";
import {IOptionVault} from "../../contracts/interfaces/IOptionVault.sol";
import {OptionMath} from "../../contracts/libraries/OptionMath.sol";
import {SeriesId} from "../../contracts/libraries/SeriesId.sol";
import {MockAggregator} from "../../contracts/mocks/MockAggregator.sol";
import {MockERC20} from "../../contracts/mocks/MockERC20.sol";
import {OptionLedger} from "../../contracts/OptionLedger.sol";
import {OptionSettlement} from "../../contracts/OptionSettlement.sol";
import {OptionVault} from "../../contracts/vaults/OptionVault.sol";
import {TestBase} from "../solidity/Vm.sol";

/// @notice The system an invariant run drives.
struct Deployment {
    OptionLedger ledger;
    OptionSettlement settlement;
    OptionVault callVault;
    OptionVault putVault;
    MockERC20 weth;
    MockERC20 usdc;
    MockAggregator oracle;
}

/// @notice The solver: signs nothing, but sends every fill with its own inventory, for three users who sign
/// random intents (random sides, sizes, splits, prices, limits and recycled nonces). It also ticks time and
/// the oracle, lets users cancel nonces and close positions, and runs expiry end to end. Ghost state records
/// what each successful fill did, for the invariants.
contract SettlementHandler is TestBase, IERC1155Receiver {
    Deployment internal d;
    uint256[] public seriesIds;
    uint256[3] internal keys = [uint256(0xA11CE), 0xB0B, 0xCA401];
    address[3] public users;
    uint40 public expiry;
    bool public expired;

    uint256 public fills;
    uint256 public limitViolations;
    uint256 public doubleFills;
    mapping(address user => mapping(uint256 nonce => uint256 count)) public fillsPerNonce;

    constructor(Deployment memory d_, uint256[] memory ids) {
        d = d_;
        seriesIds = ids;
        expiry = SeriesId.expiryOf(ids[0]);
        _approveAll(address(this));
        for (uint256 i; i < 3; ++i) {
            users[i] = vm.addr(keys[i]);
            vm.startPrank(users[i]);
            _approveAll(users[i]);
            vm.stopPrank();
            d.weth.faucet(users[i], 1_000e18);
            d.usdc.faucet(users[i], 3_000_000e6);
        }
        d.weth.faucet(address(this), 1_000e18);
        d.usdc.faucet(address(this), 3_000_000e6);
        for (uint256 i; i < ids.length; ++i) d.ledger.mint(ids[i], 50e18, address(this), address(this));
    }

    function seriesCount() external view returns (uint256) {
        return seriesIds.length;
    }

    function fillBuy(uint256 userSeed, uint256 seriesSeed, uint256 amount, uint256 split, uint256 priceSeed) external {
        _fillOrder(userSeed, seriesSeed, IOptionSettlement.Side.Buy, amount, split, priceSeed);
    }

    function fillSellToClose(
        uint256 userSeed,
        uint256 seriesSeed,
        uint256 amount,
        uint256 split,
        uint256 priceSeed
    ) external {
        _fillOrder(userSeed, seriesSeed, IOptionSettlement.Side.SellToClose, amount, split, priceSeed);
    }

    function fillSellToOpen(
        uint256 userSeed,
        uint256 seriesSeed,
        uint256 amount,
        uint256 split,
        uint256 priceSeed
    ) external {
        _fillOrder(userSeed, seriesSeed, IOptionSettlement.Side.SellToOpen, amount, split, priceSeed);
    }

    function _fillOrder(
        uint256 userSeed,
        uint256 seriesSeed,
        IOptionSettlement.Side side,
        uint256 amount,
        uint256 split,
        uint256 priceSeed
    ) private {
        if (expired) return;
        uint256 u = userSeed % 3;
        IOptionSettlement.Intent memory intent;
        intent.user = users[u];
        intent.seriesId = seriesIds[seriesSeed % seriesIds.length];
        intent.side = side;
        uint256 maxAmount = 5e18;
        if (side == IOptionSettlement.Side.SellToClose) {
            maxAmount = d.ledger.balanceOf(intent.user, intent.seriesId);
            if (maxAmount < 0.01e18) return;
        }
        intent.amount = bound(amount, 0.01e18, maxAmount);
        intent.deadline = block.timestamp + 60;
        // Few nonces per user, so that replays of used nonces happen often.
        intent.nonce = (userSeed >> 8) % 64;
        intent.recipient = users[u];
        intent.quoteId = bytes32(priceSeed);
        (IOptionSettlement.FillParams memory params, bool priced) = _price(intent, split, priceSeed);
        if (!priced) return;
        // The limit sits around the solver's total, on the wrong side of it about one time in five, so that
        // some fills must fail on it.
        bool isBuy = intent.side == IOptionSettlement.Side.Buy;
        uint256 total = params.internalPremium + params.ammPremium;
        uint256 slack = bound(priceSeed >> 128, 0, 20);
        intent.limitPremium = isBuy ? (total * (996 + slack)) / 1000 : (total * (1004 - slack)) / 1000;

        (uint8 v, bytes32 r, bytes32 s) = vm.sign(keys[u], d.settlement.hashIntent(intent));
        IERC20 asset = IERC20(_isCall(intent.seriesId) ? address(d.weth) : address(d.usdc));
        uint256 before = asset.balanceOf(intent.user);
        try d.settlement.fill(intent, abi.encodePacked(r, s, v), params) returns (uint256) {
            ++fills;
            if (++fillsPerNonce[intent.user][intent.nonce] > 1) ++doubleFills;
            uint256 afterBalance = asset.balanceOf(intent.user);
            if (isBuy) {
                if (before - afterBalance > intent.limitPremium) ++limitViolations;
            } else {
                uint256 collateral;
                if (intent.side == IOptionSettlement.Side.SellToOpen) {
                    (, uint128 strike, , bool isCall) = SeriesId.decode(intent.seriesId);
                    collateral = OptionMath.collateral(isCall, strike, intent.amount, 1e18);
                }
                if (afterBalance + collateral < before + intent.limitPremium) ++limitViolations;
            }
        } catch {}
    }

    function cancel(uint256 userSeed, uint256 nonce) external {
        vm.prank(users[userSeed % 3]);
        d.settlement.invalidateNonces(0, 1 << (nonce % 64));
    }

    function close(uint256 userSeed, uint256 seriesSeed, uint256 amount) external {
        address user = users[userSeed % 3];
        uint256 id = seriesIds[seriesSeed % seriesIds.length];
        if (d.ledger.series(id).state.settled) return;
        uint256 closable = _min(d.ledger.balanceOf(user, id), d.ledger.shortBalanceOf(user, id));
        if (closable == 0) return;
        vm.prank(user);
        d.ledger.close(id, bound(amount, 1, closable), user, user);
    }

    function tick(uint256 dt, uint256 price) external {
        if (expired) return;
        vm.warp(_min(block.timestamp + bound(dt, 1, 6 hours), expiry - 1));
        d.oracle.pushAnswer(int256(bound(price, 2500e8, 3500e8)));
        d.callVault.setVolSlice(expiry, 0.8e18, -0.1e18, 0.2e18);
        d.putVault.setVolSlice(expiry, 0.8e18, -0.1e18, 0.2e18);
    }

    /// @notice Runs expiry: a round just before expiry, settlement, everyone's exercise and redemption, and the
    /// vaults' collection.
    function expire(uint256 price) external {
        if (expired) return;
        expired = true;
        vm.warp(expiry - 10);
        uint80 round = d.oracle.pushAnswer(int256(bound(price, 2000e8, 4000e8)));
        vm.warp(expiry + 1);
        address[6] memory holders = [
            users[0],
            users[1],
            users[2],
            address(this),
            address(d.callVault),
            address(d.putVault)
        ];
        for (uint256 i; i < seriesIds.length; ++i) {
            uint256 id = seriesIds[i];
            d.ledger.settle(id, round);
            for (uint256 j; j < holders.length; ++j) {
                if (holders[j] == address(d.callVault) || holders[j] == address(d.putVault)) continue;
                uint256 longs = d.ledger.balanceOf(holders[j], id);
                if (longs != 0) d.ledger.exercise(id, holders[j], longs);
                uint256 shorts = d.ledger.shortBalanceOf(holders[j], id);
                if (shorts != 0) d.ledger.redeem(id, holders[j], shorts);
            }
            OptionVault vault = _isCall(id) ? d.callVault : d.putVault;
            if (vault.position(id).amount != 0) vault.collect(id);
        }
    }

    /// @notice The most the ledger could be asked to pay on a series: before settlement every long/short pair
    /// at released(amount); after it, each account's exact payout.
    function maxObligation(uint256 id) external view returns (uint256 owed) {
        IOptionLedger.SeriesInfo memory info = d.ledger.series(id);
        address[7] memory accounts = [
            users[0],
            users[1],
            users[2],
            address(this),
            address(d.callVault),
            address(d.putVault),
            address(d.settlement)
        ];
        uint256 longs;
        uint256 shorts;
        for (uint256 i; i < accounts.length; ++i) {
            uint256 long_ = d.ledger.balanceOf(accounts[i], id);
            uint256 short_ = d.ledger.shortBalanceOf(accounts[i], id);
            longs += long_;
            shorts += short_;
            if (info.state.settled) {
                uint256 price = info.state.settlementPrice;
                (uint256 lp, ) = OptionMath.payoffs(info.isCall, info.strike, price, long_, 1e18);
                (, uint256 sp) = OptionMath.payoffs(info.isCall, info.strike, price, short_, 1e18);
                owed += lp + sp;
            }
        }
        if (!info.state.settled) owed = OptionMath.released(info.isCall, info.strike, _max(longs, shorts), 1e18);
    }

    function onERC1155Received(address, address, uint256, uint256, bytes calldata) external pure returns (bytes4) {
        return this.onERC1155Received.selector;
    }

    function onERC1155BatchReceived(
        address,
        address,
        uint256[] calldata,
        uint256[] calldata,
        bytes calldata
    ) external pure returns (bytes4) {
        return this.onERC1155BatchReceived.selector;
    }

    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    /// @dev A solver quote: a random internal share priced at or slightly beyond the vault's reference (so
    /// best execution sometimes fails), and an AMM leg bounded at the vault's own price.
    function _price(
        IOptionSettlement.Intent memory intent,
        uint256 split,
        uint256 priceSeed
    ) private view returns (IOptionSettlement.FillParams memory params, bool priced) {
        bool isBuy = intent.side == IOptionSettlement.Side.Buy;
        OptionVault vault = _isCall(intent.seriesId) ? d.callVault : d.putVault;
        params.internalAmount = (intent.amount * bound(split, 0, 4)) / 4;
        uint256 ammAmount = intent.amount - params.internalAmount;
        if (params.internalAmount != 0) {
            try vault.referencePremium(intent.seriesId, params.internalAmount, isBuy) returns (uint256 ref) {
                uint256 skew = bound(priceSeed, 0, 1020);
                params.internalPremium =
                    (ref * (isBuy ? 1000 - (skew % 100) + (skew > 1000 ? 1 : 0) : 1000 + (skew % 100))) / 1000;
            } catch {
                return (params, false);
            }
            if (isBuy) params.mintAmount = priceSeed % 2 == 0 ? params.internalAmount / 2 : 0;
        }
        if (ammAmount != 0) {
            try vault.referencePremium(intent.seriesId, ammAmount, isBuy) returns (uint256 amm) {
                params.ammPremium = amm;
            } catch {
                return (params, false);
            }
        }
        priced = true;
    }

    function _approveAll(address who) private {
        d.weth.approve(address(d.settlement), type(uint256).max);
        d.usdc.approve(address(d.settlement), type(uint256).max);
        d.weth.approve(address(d.ledger), type(uint256).max);
        d.usdc.approve(address(d.ledger), type(uint256).max);
        d.ledger.setApprovalForAll(address(d.settlement), true);
        d.ledger.setWriteApproval(address(d.settlement), true);
        who;
    }

    function _isCall(uint256 id) private pure returns (bool isCall) {
        (, , , isCall) = SeriesId.decode(id);
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }

    function _max(uint256 a, uint256 b) private pure returns (uint256) {
        return a > b ? a : b;
    }
}

contract OptionSettlementInvariantTest is TestBase {
    Deployment private d;
    SettlementHandler private handler;

    function setUp() public {
        vm.warp(1_800_000_000);
        d.weth = new MockERC20("Wrapped Ether", "WETH", 18);
        d.usdc = new MockERC20("USD Coin", "USDC", 6);
        d.oracle = new MockAggregator(address(this), 8, "ETH / USD");
        d.oracle.pushAnswer(3000e8);
        d.ledger = new OptionLedger(address(this));
        uint32 pairId = d.ledger.registerPair(address(d.weth), address(d.usdc), address(d.oracle), 7200);
        IOptionVault.Params memory p = IOptionVault.Params({
            rate: 50_000,
            baseSpread: 10_000,
            utilSpread: 50_000,
            sizeSpread: 100_000,
            deltaSpread: 2_500,
            vegaSpread: 5_000,
            oracleMaxAge: 1 days,
            volMaxAge: 1 days
        });
        IOptionVault.Limits memory lim = IOptionVault.Limits({
            maxTimeToExpiry: 180 days,
            minTimeToExpiry: 0,
            seriesCap: 1_000_000,
            minAbsDelta: 0,
            maxAbsDelta: 1_000_000,
            lpLockup: 0,
            minPremium: 1,
            minPosition: 0
        });
        IOptionLedger ledger = IOptionLedger(address(d.ledger));
        d.callVault = new OptionVault(ledger, pairId, true, "c", "c", address(this), 6, p, lim);
        d.putVault = new OptionVault(ledger, pairId, false, "p", "p", address(this), 6, p, lim);
        d.settlement = new OptionSettlement(ledger, address(this));
        d.settlement.setVault(pairId, true, address(d.callVault));
        d.settlement.setVault(pairId, false, address(d.putVault));

        uint40 expiry = uint40(block.timestamp + 20 days);
        uint256[] memory ids = new uint256[](4);
        ids[0] = d.ledger.createSeries(address(d.weth), address(d.usdc), 2800e6, expiry, true);
        ids[1] = d.ledger.createSeries(address(d.weth), address(d.usdc), 3200e6, expiry, true);
        ids[2] = d.ledger.createSeries(address(d.weth), address(d.usdc), 2800e6, expiry, false);
        ids[3] = d.ledger.createSeries(address(d.weth), address(d.usdc), 3200e6, expiry, false);

        d.weth.faucet(address(this), 500e18);
        d.usdc.faucet(address(this), 1_500_000e6);
        d.weth.approve(address(d.callVault), type(uint256).max);
        d.usdc.approve(address(d.putVault), type(uint256).max);
        d.callVault.deposit(500e18, address(this));
        d.putVault.deposit(1_500_000e6, address(this));

        handler = new SettlementHandler(d, ids);
        d.oracle.transferOwnership(address(handler));
        d.callVault.setKeeper(address(handler), true);
        d.putVault.setKeeper(address(handler), true);
        d.settlement.setSolver(address(handler), true);
        vm.prank(address(handler));
        d.callVault.setVolSlice(expiry, 0.8e18, -0.1e18, 0.2e18);
        vm.prank(address(handler));
        d.putVault.setVolSlice(expiry, 0.8e18, -0.1e18, 0.2e18);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @notice No successful fill ever cost a buyer more than its limit or paid a seller less.
    function invariant_noFillBeyondTheLimit() public view {
        assertEq(handler.limitViolations(), 0, "limit violations");
    }

    /// @notice No (user, nonce) ever filled twice, though the handler recycles nonces constantly.
    function invariant_eachNonceIsUsedAtMostOnce() public view {
        assertEq(handler.doubleFills(), 0, "double fills");
    }

    /// @notice The settlement never holds a token or an option between transactions.
    function invariant_settlementHoldsNothing() public view {
        address s = address(d.settlement);
        assertEq(IERC20(address(d.weth)).balanceOf(s), 0, "settlement WETH");
        assertEq(IERC20(address(d.usdc)).balanceOf(s), 0, "settlement USDC");
        for (uint256 i; i < handler.seriesCount(); ++i) {
            assertEq(d.ledger.balanceOf(s, handler.seriesIds(i)), 0, "settlement longs");
        }
    }

    /// @notice Across fills, closes and expiry, the ledger holds at least what it owes on every series, and
    /// exactly what it has accounted for.
    function invariant_ledgerStaysSolvent() public view {
        uint256 wethHeld;
        uint256 usdcHeld;
        for (uint256 i; i < handler.seriesCount(); ++i) {
            uint256 id = handler.seriesIds(i);
            IOptionLedger.SeriesInfo memory info = d.ledger.series(id);
            assertGe(info.state.collateral, handler.maxObligation(id), "series collateral >= obligations");
            if (info.isCall) wethHeld += info.state.collateral;
            else usdcHeld += info.state.collateral;
        }
        assertEq(IERC20(address(d.weth)).balanceOf(address(d.ledger)), wethHeld, "ledger WETH == accounted");
        assertEq(IERC20(address(d.usdc)).balanceOf(address(d.ledger)), usdcHeld, "ledger USDC == accounted");
    }
}
