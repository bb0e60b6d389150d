// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {IOptionLedger} from "../interfaces/IOptionLedger.sol";
import {IOptionVault} from "../interfaces/IOptionVault.sol";

/// @title VaultState
/// @notice The AMM vault's storage layout and the types its libraries share.
library VaultState {
    /// @notice Free and locked assets in one word: the quote path reads both with one SLOAD.
    struct Book {
        uint128 free;
        uint128 locked;
    }

    /// @notice Shares minted to an owner that stay locked until `until`, in one word. Total supply is capped at
    /// uint208 (see VaultNav.maxOf), so any owner's shares fit.
    struct Lock {
        uint208 shares;
        uint48 until;
    }

    /// @notice The vault's storage, passed by reference to its external libraries.
    struct Layout {
        Book book;
        IOptionVault.Params params;
        IOptionVault.Limits limits;
        mapping(uint40 expiry => IOptionVault.VolSlice) volSlices;
        mapping(uint256 seriesId => IOptionVault.Position) positions;
        mapping(address owner => Lock) locks;
        EnumerableSet.UintSet open;
    }

    /// @notice The vault's immutable market description.
    struct Market {
        IOptionLedger ledger;
        AggregatorV3Interface oracle;
        bool isCall;
        uint256 oracleToWad;
        uint256 quoteToWad;
        uint256 underlyingUnit;
        uint256 premiumDivisor;
    }

    /// @notice What one priced trade would do to the book.
    struct Trade {
        uint256 amount;
        uint256 valuePerOption;
        uint256 fromInventory;
        uint256 toWrite;
        uint256 collateralIn;
        uint256 toClose;
        uint256 collateralOut;
        uint256 exposureAfter;
        IOptionVault.Position position;
        Book book;
    }
}
