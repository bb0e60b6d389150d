import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The devnet system: mock WETH/USDC with permit and a faucet, a settable ETH/USD feed, the option
 * ledger with the WETH/USDC pair, the call (WETH) and put (USDC) AMM vaults, and the settlement contract
 * with both vaults registered and one solver allowed.
 *
 * Vault parameters are in ppm (1e-6) and seconds; see `IOptionVault.Params`.
 */
export default buildModule("Internalizer", (m) => {
  const admin = m.getAccount(0);
  // Keeper and solver default to different accounts: a solver that also sets the vault's vols could move
  // the reference its own fills are checked against.
  const keeper = m.getParameter("keeper", m.getAccount(1));
  const solver = m.getParameter("solver", m.getAccount(2));
  const initialPrice = m.getParameter("initialPrice", 3000n * 10n ** 8n);
  // Settlement staleness bound at expiry: twice the ETH/USD heartbeat, so an ordinary heartbeat gap
  // cannot leave an expiry without a settling round.
  const oracleMaxAge = m.getParameter("oracleMaxAge", 7200);
  const decimalsOffset = m.getParameter("decimalsOffset", 6);
  const params = m.getParameter("vaultParams", {
    rate: 50_000,
    baseSpread: 10_000,
    utilSpread: 50_000,
    sizeSpread: 100_000,
    deltaSpread: 2_500,
    vegaSpread: 5_000,
    oracleMaxAge: 3600,
    volMaxAge: 86_400,
  });
  const limits = {
    maxTimeToExpiry: 180 * 86_400,
    minTimeToExpiry: 3600,
    seriesCap: 250_000,
    minAbsDelta: 5_000,
    maxAbsDelta: 995_000,
    lpLockup: 3600,
    // Smallest position the vault keeps in a series, in millionths of an option: 0.1 option (~$300 of
    // notional). With the minimum premium it prices an open-series slot (see ARCHITECTURE.md).
    minPosition: 100_000,
  };
  // Minimum premiums: 0.001 WETH and 3 USDC, about the same in dollars.
  const callLimits = m.getParameter("callVaultLimits", { ...limits, minPremium: 10n ** 15n });
  const putLimits = m.getParameter("putVaultLimits", { ...limits, minPremium: 3_000_000n });

  const weth = m.contract("MockERC20", ["Wrapped Ether", "WETH", 18], { id: "WETH" });
  const usdc = m.contract("MockERC20", ["USD Coin", "USDC", 6], { id: "USDC" });
  const oracle = m.contract("MockAggregator", [admin, 8, "ETH / USD"], { id: "EthUsdFeed" });
  const firstRound = m.call(oracle, "pushAnswer", [initialPrice], { id: "FirstRound" });

  const ledger = m.contract("OptionLedger", [admin]);
  const registration = m.call(ledger, "registerPair", [weth, usdc, oracle, oracleMaxAge], {
    id: "RegisterWethUsdc",
    after: [firstRound],
  });
  const pairId = m.readEventArgument(registration, "PairRegistered", "pairId");

  const vaultArgs = (isCall: boolean, name: string, symbol: string) => [
    ledger,
    pairId,
    isCall,
    name,
    symbol,
    admin,
    decimalsOffset,
    params,
    isCall ? callLimits : putLimits,
  ];
  // The vault's cold paths (capacity checks, NAV marking, collection) live in two linked libraries.
  const libraries = { VaultNav: m.library("VaultNav"), VaultRisk: m.library("VaultRisk") };
  const callVault = m.contract("OptionVault", vaultArgs(true, "Internalizer WETH Call Vault", "icvWETH"), {
    id: "CallVault",
    libraries,
  });
  const putVault = m.contract("OptionVault", vaultArgs(false, "Internalizer USDC Put Vault", "ipvUSDC"), {
    id: "PutVault",
    libraries,
  });
  m.call(callVault, "setKeeper", [keeper, true], { id: "CallVaultKeeper" });
  m.call(putVault, "setKeeper", [keeper, true], { id: "PutVaultKeeper" });

  const settlement = m.contract("OptionSettlement", [ledger, admin]);
  m.call(settlement, "setVault", [pairId, true, callVault], { id: "RegisterCallVault" });
  m.call(settlement, "setVault", [pairId, false, putVault], { id: "RegisterPutVault" });
  m.call(settlement, "setSolver", [solver, true], { id: "AllowSolver" });

  return { weth, usdc, oracle, ledger, callVault, putVault, settlement, ...libraries };
});
