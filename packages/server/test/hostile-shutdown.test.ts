import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { createStaticSource } from "@pagerduty-voys/core/testing";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { build, responder, SECRET, shift } from "../src/testing/helpers.js";

const bob = responder("PBOB001", ["+31622222222"], "Bob");
const CALL = `GET /voys-webhook?secret_key=${SECRET} HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n`;

/** A kept-alive raw connection that sends requests one at a time and reads whole answers. */
interface KeptAlive {
  /** Sends a request; resolves with the answer, or with what ended the connection instead. */
  send(payload?: string): Promise<{ status: number; close: boolean; body: string } | { ended: string }>;
  readonly socket: Socket;
}

async function keptAlive(port: number): Promise<KeptAlive> {
  const socket = connect({ port, host: "127.0.0.1" });
  await once(socket, "connect");
  let buffer = "";
  let waiter: ((text: string | null, why?: string) => void) | undefined;
  socket.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("latin1");
    const head = buffer.indexOf("\r\n\r\n");
    const length = /content-length: (\d+)/i.exec(buffer)?.[1];
    if (head !== -1 && length !== undefined && buffer.length >= head + 4 + Number(length)) {
      const text = buffer.slice(0, head + 4 + Number(length));
      buffer = buffer.slice(text.length);
      waiter?.(text);
    }
  });
  socket.on("error", (error: NodeJS.ErrnoException) => waiter?.(null, error.code ?? "error"));
  socket.on("close", () => waiter?.(null, "closed without an answer"));
  return {
    socket,
    send(payload = CALL) {
      return new Promise((resolve) => {
        waiter = (text, why) => {
          waiter = undefined;
          if (text === null) {
            resolve({ ended: why ?? "closed" });
            return;
          }
          const head = text.slice(0, text.indexOf("\r\n\r\n"));
          resolve({
            status: Number(text.slice(9, 12)),
            close: /\r\nconnection: close/i.test(head),
            body: text.slice(head.length + 4),
          });
        };
        if (socket.destroyed) waiter(null, "already closed");
        else socket.write(payload);
      });
    },
  };
}

let apps: FastifyInstance[] = [];
let sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(apps.map((app) => app.close()));
  apps = [];
  sockets = [];
});

async function listening(shutdownDrainMs?: number): Promise<{ app: FastifyInstance; port: number }> {
  const app = await build({
    source: createStaticSource([shift(bob)]),
    routes: [{ name: "default", policyId: "PDEMO01" }],
    ...(shutdownDrainMs === undefined ? {} : { shutdownDrainMs }),
  });
  apps.push(app);
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  return { app, port: typeof address === "object" && address !== null ? address.port : 0 };
}

describe("shutdown without resets", () => {
  it("answers calls on kept-alive connections after close() began, with Connection: close", async () => {
    const { app, port } = await listening(3_000);
    const connections = await Promise.all(Array.from({ length: 8 }, () => keptAlive(port)));
    sockets.push(...connections.map((c) => c.socket));
    for (const connection of connections) {
      // The warm-up call: answered, and the connection stays open.
      expect(await connection.send()).toMatchObject({ status: 200, close: false });
    }
    const started = Date.now();
    const closing = app.close();
    // The first call after close() began proves it began (its answer says Connection: close);
    // Node's own close would have destroyed these idle connections at this point.
    const [first, ...rest] = connections;
    expect(await first?.send()).toEqual({
      status: 200,
      close: true,
      body: "status=ACK&destination=%2B31622222222",
    });
    const answers = await Promise.all(rest.map((connection) => connection.send()));
    for (const answer of answers) expect(answer).toMatchObject({ status: 200, close: true });
    // Every connection got its answer and closed: the drain ends then, well before its bound.
    await closing;
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it("says it is shutting down on /readyz, and refuses new connections, while draining", async () => {
    const { app, port } = await listening(3_000);
    const connection = await keptAlive(port);
    sockets.push(connection.socket);
    expect(await connection.send("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")).toMatchObject({ status: 200 });
    const closing = app.close();
    expect(await connection.send("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")).toMatchObject({
      status: 503,
      close: true,
      body: "shutting down",
    });
    await expect(keptAlive(port)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    await closing;
  });

  it("closes connections that stay idle once the drain is over, so close() ends in bounded time", async () => {
    const { app, port } = await listening(300);
    const idle = await keptAlive(port);
    sockets.push(idle.socket);
    expect(await idle.send()).toMatchObject({ status: 200, close: false });
    const ended = once(idle.socket, "close");
    const started = Date.now();
    await app.close();
    await ended;
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(2_000);
  });
});
