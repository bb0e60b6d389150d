import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import hardhatViem from "@nomicfoundation/hardhat-viem";
import { defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

// The compiler comes from the `solc` npm package (WebAssembly), so builds never download.
// Keep `version` equal to the pinned `solc` devDependency.
function solc(runs: number) {
  return {
    version: "0.8.30",
    path: require.resolve("solc/soljson.js"),
    settings: { evmVersion: "prague", optimizer: { enabled: true, runs }, viaIR: true },
  };
}

// Hot paths (settlement, ledger transfers, pricing) are optimised for execution; the vault, whose
// bytecode would otherwise pass the 24 KiB limit, for size.
const compilers = {
  compilers: [solc(10_000)],
  overrides: { "contracts/vaults/OptionVault.sol": solc(200) },
};

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers, hardhatViem],
  solidity: {
    profiles: {
      default: compilers,
      production: compilers,
    },
  },
  paths: {
    tests: { mocha: "test", solidity: "test" },
  },
  test: {
    mocha: { timeout: 120_000 },
    solidity: {
      fuzz: { runs: 256, seed: "0x1" },
      invariant: { runs: 64, depth: 32, failOnRevert: true },
    },
  },
  networks: {
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
  },
});
