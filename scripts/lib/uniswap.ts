import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { type Contract, MaxUint256 } from "ethers";
import type { Address } from "viem";
import UniswapV3 from "../../ignition/modules/UniswapV3.js";
import { isToken0, sortTokens, sqrtX96FromPrice } from "../../solver/venue/poolMath.js";
import type { UniswapDeployment } from "../../solver/venue/uniswap.js";
import { ETH, type System } from "./system.js";

/** The pool's fee tier: 0.05%, the WETH/USDC pool that carries most of the volume on mainnet. */
export const POOL_FEE = 500;
/**
 * WETH in the seeded position (with its value in USDC). In a range from half to twice the price the
 * position acts like full-range reserves 3.4 times as large (about 68,000 WETH and $205M at $3,000): a
 * 100-WETH swap moves the price by ~0.3%, and the arbitrage keeper's 1,000 WETH / 3M USDC pull it back
 * from a ~2.5% gap in one swap.
 */
export const DEFAULT_WETH_LIQUIDITY = 20_000n * ETH;
/**
 * The seeded range's half-width in ticks: ln 2 / ln 1.0001 ≈ 6,932, so the range runs from half the price
 * to twice it. A range symmetric in ticks holds equal value of both tokens, and it is wide enough that no
 * devnet scenario leaves it (`swapToPrice` is exact only inside it), yet three times deeper than full range.
 */
export const RANGE_HALF_WIDTH_TICKS = 6932;

/** The seeded liquidity position (an NFT owned by the admin). */
export interface SeedPosition {
  tokenId: bigint;
  liquidity: bigint;
  tickLower: number;
  tickUpper: number;
  weth: bigint;
  usdc: bigint;
  /** Gas of the position manager's `mint`. */
  mintGas: bigint;
}

/** Uniswap v3 on the devnet: the deployment record, the contracts (ethers, admin-signed) and the position. */
export interface UniswapSystem {
  addresses: UniswapDeployment;
  factory: Contract;
  pool: Contract;
  router: Contract;
  quoter: Contract;
  positionManager: Contract;
  position: SeedPosition;
  /** The price the pool was initialized and seeded at, USD per ETH. */
  price: number;
}

/** The oracle's latest answer, USD per ETH (8 decimals on chain). */
export async function oraclePrice(s: System): Promise<number> {
  const [, answer] = await s.oracle.latestRoundData();
  return Number(answer) / 1e8;
}

/**
 * Deploys Uniswap v3 (ignition/modules/UniswapV3.ts) on the system's chain with the WETH/USDC pool at
 * `price` (default: the oracle's), then seeds it from the admin account with `wethLiquidity` WETH and the
 * matching USDC in a range from half the price to twice it (see RANGE_HALF_WIDTH_TICKS).
 */
export async function deployUniswap(
  s: System,
  opts: { price?: number; wethLiquidity?: bigint; fee?: number; deploymentId?: string } = {},
): Promise<UniswapSystem> {
  const price = opts.price ?? (await oraclePrice(s));
  const weth = (await s.weth.getAddress()) as Address;
  const usdc = (await s.usdc.getAddress()) as Address;
  const fee = opts.fee ?? POOL_FEE;
  const sqrtPriceX96 = sqrtX96FromPrice(price, isToken0(weth, usdc));
  const deployed = await s.connection.ignition.deploy(UniswapV3, {
    parameters: { UniswapV3: { weth, usdc, fee, sqrtPriceX96 } },
    ...(opts.deploymentId ? { deploymentId: opts.deploymentId, displayUi: false } : {}),
  });
  const contracts = {
    factory: deployed.factory as unknown as Contract,
    pool: deployed.pool as unknown as Contract,
    router: deployed.swapRouter as unknown as Contract,
    quoter: deployed.quoterV2 as unknown as Contract,
    positionManager: deployed.positionManager as unknown as Contract,
  };
  const addresses: UniswapDeployment = {
    factory: (await contracts.factory.getAddress()) as Address,
    swapRouter: (await contracts.router.getAddress()) as Address,
    quoterV2: (await contracts.quoter.getAddress()) as Address,
    positionManager: (await contracts.positionManager.getAddress()) as Address,
    pool: (await contracts.pool.getAddress()) as Address,
    fee,
  };
  const position = await seedPosition(s, contracts, { price, fee, weth: opts.wethLiquidity ?? DEFAULT_WETH_LIQUIDITY });
  return { addresses, ...contracts, position, price };
}

/** The `Deployment["uniswap"]` record of a deployed Uniswap system. */
export function uniswapDeployment(u: UniswapSystem): UniswapDeployment {
  return { ...u.addresses };
}

/** The tick range [price/2, price·2] around the pool's current tick, on the fee tier's tick spacing. */
export async function seedRange(pool: Contract, factory: Contract, fee: number): Promise<[number, number]> {
  const [, tick] = await pool.getFunction("slot0")();
  const spacing = Number(await factory.getFunction("feeAmountTickSpacing")(fee));
  const lower = Math.floor((Number(tick) - RANGE_HALF_WIDTH_TICKS) / spacing) * spacing;
  const upper = Math.ceil((Number(tick) + RANGE_HALF_WIDTH_TICKS) / spacing) * spacing;
  return [lower, upper];
}

/**
 * Mints `weth` WETH and up to 2% more than its value in USDC to the admin and adds them as one position;
 * the position manager takes the most liquidity both amounts allow (all the WETH, or all the USDC if the
 * rounded range needs more USDC than that), and the rest stays with the admin.
 */
async function seedPosition(
  s: System,
  c: Pick<UniswapSystem, "pool" | "factory" | "positionManager">,
  opts: { price: number; fee: number; weth: bigint },
): Promise<SeedPosition> {
  const usdcAmount = (opts.weth * BigInt(Math.round(opts.price * 1.02 * 1e6))) / ETH;
  const manager = await c.positionManager.getAddress();
  await s.weth.faucet(s.admin.address, opts.weth);
  await s.usdc.faucet(s.admin.address, usdcAmount);
  await s.weth.connect(s.admin).approve(manager, opts.weth);
  await s.usdc.connect(s.admin).approve(manager, usdcAmount);
  const weth = await s.weth.getAddress();
  const usdc = await s.usdc.getAddress();
  const [token0, token1] = sortTokens(weth as Address, usdc as Address);
  const [amount0Desired, amount1Desired] = token0 === weth ? [opts.weth, usdcAmount] : [usdcAmount, opts.weth];
  const [tickLower, tickUpper] = await seedRange(c.pool, c.factory, opts.fee);
  const deadline = (await s.connection.networkHelpers.time.latest()) + 3600;
  const params = { token0, token1, fee: opts.fee, tickLower, tickUpper, amount0Desired, amount1Desired };
  const mint = (c.positionManager.connect(s.admin) as Contract).getFunction("mint");
  const tx = await mint({ ...params, amount0Min: 0n, amount1Min: 0n, recipient: s.admin.address, deadline });
  const receipt = await tx.wait();
  // The mint's receipt also holds the tokens' ERC-20 Transfers, which the manager's ERC-721 ABI misreads.
  const event = receipt.logs
    .filter((log: { address: string }) => log.address === manager)
    .map((log: { topics: string[]; data: string }) => c.positionManager.interface.parseLog(log))
    .find((parsed: { name?: string } | null) => parsed?.name === "IncreaseLiquidity");
  const { tokenId, liquidity, amount0, amount1 } = event.args;
  const [wethUsed, usdcUsed] = token0 === weth ? [amount0, amount1] : [amount1, amount0];
  return { tokenId, liquidity, tickLower, tickUpper, weth: wethUsed, usdc: usdcUsed, mintGas: receipt.gasUsed };
}

/** Faucet-mints `weth` and `usdc` to `who` (e.g. the arbitrage keeper) and approves the SwapRouter for both. */
export async function fundSwapper(
  s: System,
  u: UniswapSystem,
  who: HardhatEthersSigner,
  weth: bigint,
  usdc: bigint,
): Promise<void> {
  if (weth > 0n) await s.weth.faucet(who.address, weth);
  if (usdc > 0n) await s.usdc.faucet(who.address, usdc);
  await approveRouter(s, u, who);
}

/** Approves the SwapRouter for all of `who`'s WETH and USDC. */
export async function approveRouter(s: System, u: UniswapSystem, who: HardhatEthersSigner): Promise<void> {
  await s.weth.connect(who).approve(u.addresses.swapRouter, MaxUint256);
  await s.usdc.connect(who).approve(u.addresses.swapRouter, MaxUint256);
}
