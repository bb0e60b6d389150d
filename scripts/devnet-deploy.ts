/**
 * Deploys and seeds the system on the `localhost` network (a running Hardhat node; DEVNET_RPC_URL picks
 * another port) and writes the deployment record.
 *
 *   tsx scripts/devnet-deploy.ts [--out deployments/localhost.json]
 */
import { parseArgs } from "node:util";
import { network } from "hardhat";
import { deployDevnet, writeDeployment } from "./lib/devnet.js";

const { values } = parseArgs({ options: { out: { type: "string", default: "deployments/localhost.json" } } });
const connection = await network.create({ network: "localhost" });
const { deployment, series } = await deployDevnet(connection, {
  deploymentId: `devnet-${Date.now()}`,
  network: "localhost",
});
await writeDeployment(values.out!, deployment);
console.log(JSON.stringify({ deployment: values.out, contracts: deployment.contracts, series: series.map(String) }));
