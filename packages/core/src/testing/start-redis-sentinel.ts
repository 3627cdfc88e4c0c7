import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { PdvError } from "../errors.js";
import { loadIoredis } from "../redis-client.js";
import { TESTING_ERROR_CODES } from "./errors.js";
import { findFreePort, type RedisServerHandle, terminate, waitForPing } from "./redis-server-process.js";
import { startRedisServer } from "./start-redis-server.js";

/** A master, a replica and one sentinel watching them, for failover tests. */
export interface RedisSentinelSet {
  /** The name the sentinel monitors the master under. */
  readonly name: string;
  /** Where the sentinel listens (`sentinels: [sentinel]`). */
  readonly sentinel: { readonly host: string; readonly port: number };
  /** The first master. */
  readonly master: RedisServerHandle;
  /** The first replica. */
  readonly replica: RedisServerHandle;
  /** The port of the current master, as the sentinel says. */
  masterPort(): Promise<number>;
  /** `SENTINEL FAILOVER`, then waits (up to `timeoutMs`) until the sentinel names the other server master. */
  failover(timeoutMs?: number): Promise<number>;
  /** Stops the sentinel, the replica and the master, and removes the sentinel's directory. */
  stop(): Promise<void>;
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await sleep(50);
  }
  throw new PdvError(
    TESTING_ERROR_CODES.REDIS_SENTINEL_TIMEOUT,
    `${what} did not happen within ${timeoutMs} ms`,
  );
}

/**
 * Starts a master, a replica (`--replicaof`) and `redis-server --sentinel` with a generated config,
 * all on free loopback ports, and resolves once the sentinel knows the replica (so that a failover
 * can promote it). Everything is stopped by `stop()`, also when starting fails half-way.
 */
export async function startRedisSentinelSet(
  options: { name?: string; timeoutMs?: number } = {},
): Promise<RedisSentinelSet> {
  const name = options.name ?? "pdvmaster";
  const timeoutMs = options.timeoutMs ?? 15_000;
  const bin = process.env.REDIS_SERVER_BIN ?? "redis-server";
  const started: { stop(): Promise<void> }[] = [];
  const dir = await mkdtemp(join(tmpdir(), "pdv-sentinel-"));
  let sentinelProcess: ChildProcess | undefined;
  let client: Redis | undefined;
  const stop = async (): Promise<void> => {
    client?.disconnect();
    await terminate(sentinelProcess, "SIGKILL");
    for (const server of started.reverse()) await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const master = await startRedisServer();
    started.push(master);
    const replica = await startRedisServer({ args: ["--replicaof", "127.0.0.1", String(master.port)] });
    started.push(replica);
    const RedisClass = await loadIoredis();
    const replicaClient = new RedisClass(replica.port, "127.0.0.1", { lazyConnect: true });
    try {
      await replicaClient.connect();
      await until("replication", timeoutMs, async () =>
        (await replicaClient.info("replication")).includes("master_link_status:up") ? true : undefined,
      );
    } finally {
      replicaClient.disconnect();
    }
    const port = await findFreePort();
    const config = join(dir, "sentinel.conf");
    await writeFile(
      config,
      [
        `port ${port}`,
        "bind 127.0.0.1",
        `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${master.port} 1`,
        `sentinel down-after-milliseconds ${name} 2000`,
        `sentinel failover-timeout ${name} 4000`,
        "",
      ].join("\n"),
    );
    sentinelProcess = spawn(bin, [config, "--sentinel"], { stdio: ["ignore", "pipe", "pipe"] });
    await waitForPing(sentinelProcess, bin, port, timeoutMs);
    client = new RedisClass(port, "127.0.0.1");
    const sentinelClient = client;
    await until("the sentinel seeing the replica", timeoutMs, async () => {
      const replicas = (await sentinelClient.call("SENTINEL", "REPLICAS", name)) as string[][];
      const known = replicas.some((fields) => {
        const info = Object.fromEntries(fields.flatMap((v, i) => (i % 2 === 0 ? [[v, fields[i + 1]]] : [])));
        return info.port === String(replica.port) && !String(info.flags).includes("down");
      });
      return known ? true : undefined;
    });
    const masterPort = async (): Promise<number> => {
      const addr = (await sentinelClient.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", name)) as string[];
      return Number(addr[1]);
    };
    return {
      name,
      sentinel: { host: "127.0.0.1", port },
      master,
      replica,
      masterPort,
      async failover(failoverTimeoutMs = timeoutMs) {
        const before = await masterPort();
        // Right after start the sentinel may not have judged the replica promotable yet: it answers
        // NOGOODSLAVE until its next INFO round, so ask again until it accepts (within the bound).
        await until("the sentinel accepting the failover", failoverTimeoutMs, async () =>
          (await sentinelClient.call("SENTINEL", "FAILOVER", name)) === "OK" ? true : undefined,
        );
        return until("the failover", failoverTimeoutMs, async () => {
          const now = await masterPort();
          return now !== before ? now : undefined;
        });
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
