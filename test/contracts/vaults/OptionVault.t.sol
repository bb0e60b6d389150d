// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IOptionLedger} from "../../../contracts/interfaces/IOptionLedger.sol";
import {IOptionVault} from "../../../contracts/interfaces/IOptionVault.sol";
import {MockAggregator} from "../../../contracts/mocks/MockAggregator.sol";
import {MockERC20} from "../../../contracts/mocks/MockERC20.sol";
import {OptionLedger} from "../../../contracts/OptionLedger.sol";
import {OptionVault} from "../../../contracts/vaults/OptionVault.sol";
import {TestBase} from "../../solidity/Vm.sol";

contract OptionVaultPricingTest is TestBase {
    OptionLedger private ledger;
    OptionVault private callVault;
    OptionVault private putVault;
    uint256[] private calls;
    uint256[] private puts;

    function setUp() public {
        vm.warp(1_800_000_000);
        MockERC20 weth = new MockERC20("Wrapped Ether", "WETH", 18);
        MockERC20 usdc = new MockERC20("USD Coin", "USDC", 6);
        MockAggregator oracle = new MockAggregator(address(this), 8, "ETH / USD");
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
        IOptionVault.Limits memory b = IOptionVault.Limits({
            maxTimeToExpiry: 180 days,
            minTimeToExpiry: 0,
            seriesCap: 250_000,
            minAbsDelta: 0,
            maxAbsDelta: 1_000_000,
            lpLockup: 0,
            minPremium: 1,
            minPosition: 0
        });
        callVault = new OptionVault(IOptionLedger(address(ledger)), pairId, true, "c", "c", address(this), 6, p, b);
        putVault = new OptionVault(IOptionLedger(address(ledger)), pairId, false, "p", "p", address(this), 6, p, b);
        callVault.setKeeper(address(this), true);
        putVault.setKeeper(address(this), true);
        weth.faucet(address(this), 100e18);
        usdc.faucet(address(this), 300_000e6);
        weth.approve(address(callVault), type(uint256).max);
        usdc.approve(address(putVault), type(uint256).max);
        callVault.deposit(100e18, address(this));
        putVault.deposit(300_000e6, address(this));
        uint40[3] memory expiries = [
            uint40(block.timestamp + 1 days),
            uint40(block.timestamp + 30 days),
            uint40(block.timestamp + 120 days)
        ];
        for (uint256 e; e < expiries.length; ++e) {
            callVault.setVolSlice(expiries[e], 0.8e18, -0.1e18, 0.2e18);
            putVault.setVolSlice(expiries[e], 0.8e18, -0.1e18, 0.2e18);
            for (uint128 k = 2000e6; k <= 4000e6; k += 500e6) {
                calls.push(ledger.createSeries(address(weth), address(usdc), k, expiries[e], true));
                puts.push(ledger.createSeries(address(weth), address(usdc), k, expiries[e], false));
            }
        }
    }

    /// @notice Per option, a larger trade never pays less (buy) or receives more (sell), up to one base unit
    /// of rounding on the smaller trade's total.
    function testFuzz_largerTradeIsNeverCheaperPerOption(uint256 seed, uint256 a1, uint256 a2, bool isBuy) public view {
        bool useCall = seed % 2 == 0;
        OptionVault vault = useCall ? callVault : putVault;
        uint256 id = (useCall ? calls : puts)[(seed / 2) % calls.length];
        a1 = bound(a1, 1, 1_000e18);
        a2 = bound(a2, a1, 1_000e18);
        uint256 p1 = vault.quote(id, a1, isBuy).premium;
        uint256 p2 = vault.quote(id, a2, isBuy).premium;
        if (isBuy) {
            assertGe(p2, p1, "ask total is monotone");
            // p2/a2 > (p1 - 1)/a1, i.e. p2 a1 + a2 > p1 a2.
            assertLt(p1 * a2, p2 * a1 + a2 + 1, "ask per option is monotone");
        } else {
            // p2/a2 < (p1 + 1)/a1: bids round down once per total.
            assertLt(p2 * a1, p1 * a2 + a2, "bid per option is monotone");
        }
    }

    /// @notice The bid is strictly below the ask for every series and size.
    function testFuzz_bidIsBelowAsk(uint256 seed, uint256 amount) public view {
        bool useCall = seed % 2 == 0;
        OptionVault vault = useCall ? callVault : putVault;
        uint256 id = (useCall ? calls : puts)[(seed / 2) % calls.length];
        amount = bound(amount, 1, 1_000e18);
        assertLt(vault.quote(id, amount, false).premium, vault.quote(id, amount, true).premium, "bid < ask");
    }
}
