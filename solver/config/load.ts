import { readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigError, ErrorCode } from "../errors.js";
import { type Config, type ConfigInput, ConfigSchema, type Deployment, DeploymentSchema } from "./schema.js";

/** A partial configuration, as a file, the environment or a caller supplies it. */
type PartialConfig = Record<string, unknown>;

/** Environment variables that override the config file, and the field each sets. */
const ENV: Record<string, (value: string) => PartialConfig> = {
  RPC_URL: (v) => ({ rpcUrl: v }),
  SOLVER_PRIVATE_KEY: (v) => ({ solverKey: v }),
  DEPLOYMENT_FILE: (v) => ({ deploymentFile: v }),
  DB_PATH: (v) => ({ dbPath: v }),
  LOG_LEVEL: (v) => ({ logLevel: v }),
  API_HOST: (v) => ({ api: { host: v } }),
  API_PORT: (v) => ({ api: { port: Number(v) } }),
  ADMIN_TOKEN: (v) => ({ api: { adminToken: v } }),
};

/**
 * Loads the configuration: the JSON file at `path` (or $INTERNALIZER_CONFIG, if any), then environment
 * overrides, then `overrides`. Throws a ConfigError listing every invalid field; never starts half-configured.
 */
export function loadConfig(
  path: string | undefined = process.env.INTERNALIZER_CONFIG,
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<ConfigInput> = {},
): Config {
  let fromFile: unknown = {};
  if (path) {
    try {
      fromFile = JSON.parse(readFileSync(path, "utf8"));
    } catch (cause) {
      throw new ConfigError(ErrorCode.ConfigInvalid, `cannot read config file ${path}`, { cause });
    }
  }
  let merged = isObject(fromFile) ? fromFile : {};
  for (const [name, set] of Object.entries(ENV)) {
    const value = env[name];
    if (value !== undefined && value !== "") merged = deepMerge(merged, set(value));
  }
  merged = deepMerge(merged, overrides);
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(ErrorCode.ConfigInvalid, `invalid configuration:\n${z.prettifyError(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** Reads and validates a deployment file. */
export function loadDeployment(path: string): Deployment {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (cause) {
    throw new ConfigError(ErrorCode.DeploymentInvalid, `cannot read deployment file ${path}`, { cause });
  }
  const parsed = DeploymentSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      ErrorCode.DeploymentInvalid,
      `invalid deployment file ${path}:\n${z.prettifyError(parsed.error)}`,
      {
        cause: parsed.error,
      },
    );
  }
  return parsed.data;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isObject(prev) && isObject(v) ? deepMerge(prev, v) : v;
  }
  return out;
}
