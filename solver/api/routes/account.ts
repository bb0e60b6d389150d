import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { accountReport } from "../account.js";
import type { ApiContext } from "../context.js";
import { parse } from "../http.js";
import { address, HistoryQuery } from "../schemas.js";
import { vaultHistory, vaultsReport } from "../vaults.js";

const AccountParam = z.strictObject({ address });
const VaultsQuery = z.strictObject({ owner: address.optional() });

/** Public reads of on-chain state for a wallet and for LPs: positions and fills, the vaults and their history. */
export function registerAccount(app: FastifyInstance, ctx: ApiContext): void {
  const { engine, reader } = ctx;
  app.get("/v1/accounts/:address", async (req) => {
    const { address: account } = parse(AccountParam, req.params);
    return accountReport(engine, reader, account);
  });
  app.get("/v1/vaults", async (req) => {
    const { owner } = parse(VaultsQuery, req.query);
    return vaultsReport(engine, reader, owner);
  });
  app.get("/v1/vaults/history", async (req) => {
    const { points } = parse(HistoryQuery, req.query);
    return vaultHistory(engine, reader, points);
  });
}
