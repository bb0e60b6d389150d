import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { delimiter, join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "node_modules", ".bin");
const ENV = {
  ...process.env,
  PATH: `${BIN}${delimiter}${process.env.PATH ?? ""}`,
  NODE_OPTIONS: "--disable-warning=ExperimentalWarning",
};

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Spawns a project tool (from node_modules/.bin) with the project's Node 22 on PATH. */
export function spawnTool(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): ChildProcess & { output: string[] } {
  return spawnProcess(join(BIN, command), args, env);
}

function spawnProcess(file: string, args: string[], env: Record<string, string>): ChildProcess & { output: string[] } {
  const child = spawn(file, args, {
    cwd: ROOT,
    env: { ...ENV, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  }) as ChildProcess & {
    output: string[];
  };
  child.output = [];
  child.stdout?.on("data", (d: Buffer) => child.output.push(d.toString()));
  child.stderr?.on("data", (d: Buffer) => child.output.push(d.toString()));
  return child;
}

/**
 * Spawns a TypeScript entry point as one Node process (tsx as an import hook, not tsx's wrapper, whose
 * child would survive a SIGKILL of the wrapper and keep serving).
 */
export function spawnTs(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): ChildProcess & { output: string[] } {
  return spawnProcess(process.execPath, ["--import", "tsx", script, ...args], env);
}

/** Runs a project tool to completion; rejects with its output on a non-zero exit. */
export async function runTool(command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const child = spawnTool(command, args, env);
  const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
  const out = child.output.join("");
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited ${code}:\n${out}`);
  return out;
}

/** Polls `check` until it returns a value (not undefined) or the timeout passes. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000, pollMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch {
      // not ready yet
    }
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Sends a JSON-RPC request. */
export async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

/** Starts a Hardhat node on loopback and waits until it answers. */
export async function startNode(port: number): Promise<ChildProcess & { output: string[]; url: string }> {
  const node = spawnTool("hardhat", ["node", "--hostname", "127.0.0.1", "--port", String(port)]) as ChildProcess & {
    output: string[];
    url: string;
  };
  node.url = `http://127.0.0.1:${port}`;
  await waitFor(() => rpc(node.url, "eth_chainId"), 60_000);
  return node;
}

/** Kills a child process and waits for it to exit; SIGKILL if it is still running after `graceMs`. */
export async function kill(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL", graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  const timer = signal === "SIGKILL" ? undefined : setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}
