// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

/// @title SignatureVerifier
/// @notice Checks a signer's signature over a digest: 65-byte and EIP-2098 64-byte ECDSA for EOAs, EIP-1271 for
/// contract wallets. High-s (malleable) ECDSA signatures are refused.
/// @dev OpenZeppelin 5's `SignatureChecker` accepts only 65-byte ECDSA signatures; EIP-2098 goes through
/// `ECDSA.tryRecover(hash, r, vs)`, which applies the same low-s rule.
library SignatureVerifier {
    /// @notice True when `signature` is `signer`'s over `digest`.
    function isValid(address signer, bytes32 digest, bytes calldata signature) internal view returns (bool) {
        if (signer.code.length != 0) return SignatureChecker.isValidERC1271SignatureNow(signer, digest, signature);
        address recovered;
        ECDSA.RecoverError err;
        if (signature.length == 64) {
            (recovered, err, ) = ECDSA.tryRecover(digest, bytes32(signature[0:32]), bytes32(signature[32:64]));
        } else {
            (recovered, err, ) = ECDSA.tryRecoverCalldata(digest, signature);
        }
        return err == ECDSA.RecoverError.NoError && recovered == signer;
    }
}
