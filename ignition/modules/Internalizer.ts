import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The devnet system: mock WETH/USDC with permit and a faucet, a settable ETH/USD feed, the option
 * ledger with the WETH/USDC pair, and the call (WETH) and put (USDC) AMM vaults.
 *
 * Vault parameters are in ppm (1e-6) and seconds; see `IOptionVault.Params`.
 */
export default buildModule("Internalizer", (m) => {
  const admin = m.getAccount(0);
  const keeper = m.getParameter("keeper", admin);
  const initialPrice = m.getParameter("initialPrice", 3000n * 10n ** 8n);
  const oracleMaxAge = m.getParameter("oracleMaxAge", 3600);
  const decimalsOffset = m.getParameter("decimalsOffset", 6);
  const params = m.getParameter("vaultParams", {
    rate: 50_000,
    baseSpread: 10_000,
    utilSpread: 50_000,
    sizeSpread: 100_000,
    oracleMaxAge: 3600,
    volMaxAge: 86_400,
    maxTimeToExpiry: 180 * 86_400,
    seriesCap: 250_000,
  });
  const deltaBounds = m.getParameter("deltaBounds", { minAbsDelta: 5_000, maxAbsDelta: 995_000 });

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
    deltaBounds,
  ];
  const callVault = m.contract("OptionVault", vaultArgs(true, "Internalizer WETH Call Vault", "icvWETH"), {
    id: "CallVault",
  });
  const putVault = m.contract("OptionVault", vaultArgs(false, "Internalizer USDC Put Vault", "ipvUSDC"), {
    id: "PutVault",
  });
  const keeperRole = m.staticCall(callVault, "KEEPER_ROLE", [], 0, { id: "KeeperRole" });
  m.call(callVault, "grantRole", [keeperRole, keeper], { id: "CallVaultKeeper" });
  m.call(putVault, "grantRole", [keeperRole, keeper], { id: "PutVaultKeeper" });

  return { weth, usdc, oracle, ledger, callVault, putVault };
});
