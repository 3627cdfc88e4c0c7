import type { Server } from "node:http";
import { Server as NetServer, type Socket } from "node:net";

/**
 * Tracks the server's open connections and returns the drain to run when closing begins (a
 * `preClose` hook). Node's `server.close()` destroys idle kept-alive connections at once, so a
 * request a proxy sends on one at that moment meets a reset. The drain instead stops accepting new
 * connections (a refused connection is safely retried elsewhere by a proxy) and keeps the open ones
 * served for up to `drainMs`: Fastify, once closing, answers each request normally with
 * `Connection: close`, so each connection ends after its next answer. It ends as soon as no
 * connection is left; only then are the remaining idle ones closed. Real timers: a shutdown must
 * not wait on a test's manual clock.
 */
export function trackConnections(server: Server, drainMs: number): () => Promise<void> {
  const open = new Set<Socket>();
  let drained: (() => void) | undefined;
  server.on("connection", (socket: Socket) => {
    open.add(socket);
    socket.once("close", () => {
      open.delete(socket);
      if (open.size === 0) drained?.();
    });
  });
  return async () => {
    if (!server.listening || drainMs <= 0) return;
    // net's close, not http's: http's would destroy the idle kept-alive connections right away.
    // (Fastify's own server.close() afterwards finds the server closed, and goes on.)
    NetServer.prototype.close.call(server);
    if (open.size === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, drainMs);
      timer.unref();
      drained = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  };
}
