import type { ChildProcess } from "node:child_process";
import {
  findFreePort,
  launch,
  type RedisServerHandle,
  type StartRedisServerOptions,
  terminate,
  waitForPing,
} from "./redis-server-process.js";

/**
 * Starts a throwaway `redis-server` (env `REDIS_SERVER_BIN` overrides the binary) on a free loopback
 * port with `--save "" --appendonly no`, and resolves once it answers PING. Throws
 * PDV_ERR_TESTING_REDIS_SERVER_MISSING, saying what to install, when there is no redis-server.
 */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<RedisServerHandle> {
  const bin = options.bin ?? process.env.REDIS_SERVER_BIN ?? "redis-server";
  const port = options.port ?? (await findFreePort());
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  const args = options.args ?? [];
  const start = async (): Promise<ChildProcess> => {
    const child = launch(bin, port, args);
    await waitForPing(child, bin, port, timeoutMs);
    return child;
  };
  let child: ChildProcess | undefined = await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await terminate(child, "SIGTERM");
      child = undefined;
    },
    async kill() {
      await terminate(child, "SIGKILL");
      child = undefined;
    },
    async restart() {
      await terminate(child, "SIGTERM");
      child = await start();
    },
    async pause() {
      child?.kill("SIGSTOP");
    },
    async resume() {
      child?.kill("SIGCONT");
    },
  };
}
