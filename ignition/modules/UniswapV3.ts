import { createRequire } from "node:module";
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { Artifact } from "@nomicfoundation/ignition-core";

/**
 * Uniswap v3 from the official npm build artifacts, unmodified (v3-core 1.0.1, v3-periphery 1.4.4): the
 * periphery's pool-address init code hash matches the npm core's pool bytecode, so nothing is recompiled.
 */
const require = createRequire(import.meta.url);
const artifact = (path: string) => require(`@uniswap/${path}`) as Artifact;
export const UNISWAP_ARTIFACTS = {
  factory: artifact("v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json"),
  pool: artifact("v3-core/artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json"),
  swapRouter: artifact("v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json"),
  quoterV2: artifact("v3-periphery/artifacts/contracts/lens/QuoterV2.sol/QuoterV2.json"),
  positionManager: artifact(
    "v3-periphery/artifacts/contracts/NonfungiblePositionManager.sol/NonfungiblePositionManager.json",
  ),
};

/**
 * The factory, SwapRouter, QuoterV2 and NonfungiblePositionManager (no token descriptor: positions have no
 * tokenURI), and the WETH/USDC pool at fee `fee`, initialized at `sqrtPriceX96`.
 *
 * The periphery's WETH9 is the mock WETH ERC-20: only its ETH-wrapping paths (unused here) need a real WETH9.
 * The pool is created through the factory, which sorts the two tokens itself, rather than through the
 * position manager's `createAndInitializePoolIfNecessary`, which requires them sorted: a module cannot
 * compare parameter addresses. `sqrtPriceX96` is therefore in the pool's own terms (token1 per token0,
 * Q64.96), which the caller computes knowing the order (see solver/venue/poolMath.ts).
 */
export default buildModule("UniswapV3", (m) => {
  const weth = m.getParameter<string>("weth");
  const usdc = m.getParameter<string>("usdc");
  const fee = m.getParameter("fee", 500);
  const sqrtPriceX96 = m.getParameter<bigint>("sqrtPriceX96");
  const zero = "0x0000000000000000000000000000000000000000";

  const factory = m.contract("UniswapV3Factory", UNISWAP_ARTIFACTS.factory, []);
  const swapRouter = m.contract("SwapRouter", UNISWAP_ARTIFACTS.swapRouter, [factory, weth]);
  const quoterV2 = m.contract("QuoterV2", UNISWAP_ARTIFACTS.quoterV2, [factory, weth]);
  const positionManager = m.contract("NonfungiblePositionManager", UNISWAP_ARTIFACTS.positionManager, [
    factory,
    weth,
    zero,
  ]);

  const created = m.call(factory, "createPool", [weth, usdc, fee], { id: "CreateWethUsdcPool" });
  const poolAddress = m.readEventArgument(created, "PoolCreated", "pool", { id: "WethUsdcPoolAddress" });
  const pool = m.contractAt("UniswapV3Pool", UNISWAP_ARTIFACTS.pool, poolAddress, { id: "WethUsdcPool" });
  m.call(pool, "initialize", [sqrtPriceX96], { id: "InitializeWethUsdcPool" });

  return { factory, swapRouter, quoterV2, positionManager, pool };
});
