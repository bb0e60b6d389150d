import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import hardhatViem from "@nomicfoundation/hardhat-viem";
import { defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

// The compiler comes from the `solc` npm package (WebAssembly), so builds never download.
// Keep `version` equal to the pinned `solc` devDependency. One setting for every compilation unit, so that
// Solidity tests (each test file is its own unit) run exactly the bytecode that deploys. 200 runs keeps the
// vault under 24 KiB; 10,000 runs would save ~0.3% gas on a fill (measured) but not fit the vault.
const solc = {
  version: "0.8.30",
  path: require.resolve("solc/soljson.js"),
  settings: { evmVersion: "prague", optimizer: { enabled: true, runs: 200 }, viaIR: true },
};

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers, hardhatViem],
  solidity: {
    profiles: {
      default: solc,
      production: solc,
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
    // The devnet node; DEVNET_RPC_URL points tools and tests at another port.
    localhost: { type: "http", chainType: "l1", url: process.env.DEVNET_RPC_URL ?? "http://127.0.0.1:8545" },
  },
});
