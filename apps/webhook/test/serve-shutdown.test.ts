import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { sampleScenario } from "@pagerduty-voys/pagerduty-source/testing";
import { afterEach, describe, expect, it } from "vitest";
import { useBlackBox } from "./helpers/black-box.js";
import { exitWithin, type ServerProcess, startServer } from "./helpers/cli-process.js";

const SECRET = "black-box-secret-0123";
const CALL = `GET /voys-webhook?secret_key=${SECRET} HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n`;

let server: ServerProcess | undefined;
let sockets: Socket[] = [];
const box = useBlackBox(sampleScenario, {
  WEBHOOK_SECRET_KEY: SECRET,
  PAGERDUTY_ESCALATION_POLICY_ID: "PDEMO01",
});
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets = [];
  await server?.kill();
  server = undefined;
});

type Answer = { status: number; close: boolean } | { ended: string };

/** A kept-alive connection: `send` writes one call and resolves with its answer or how the connection ended. */
async function keptAlive(port: number): Promise<{ send(): Promise<Answer> }> {
  const socket = connect({ port, host: "127.0.0.1" });
  sockets.push(socket);
  await once(socket, "connect");
  let buffer = "";
  let waiter: ((answer: Answer) => void) | undefined;
  socket.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("latin1");
    const head = buffer.indexOf("\r\n\r\n");
    const length = /content-length: (\d+)/i.exec(buffer)?.[1];
    if (head === -1 || length === undefined || buffer.length < head + 4 + Number(length)) return;
    const headers = buffer.slice(0, head);
    buffer = buffer.slice(head + 4 + Number(length));
    waiter?.({ status: Number(headers.slice(9, 12)), close: /\r\nconnection: close/i.test(headers) });
  });
  socket.on("error", (error: NodeJS.ErrnoException) => waiter?.({ ended: error.code ?? "error" }));
  socket.on("close", () => waiter?.({ ended: "closed without an answer" }));
  return {
    send: () =>
      new Promise((resolve) => {
        waiter = (answer) => {
          waiter = undefined;
          resolve(answer);
        };
        socket.write(CALL);
      }),
  };
}

/** Resolves once the server has logged a line with `event` (bounded). */
async function logged(s: ServerProcess, event: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!s.logs().some((line) => line.event === event)) {
    if (Date.now() > deadline) throw new Error(`no ${event} line within ${timeoutMs} ms`);
    await once(s.child.stdout as NodeJS.ReadableStream, "data");
  }
}

describe("serve: SIGTERM without resets (the built bin)", () => {
  it("answers calls on kept-alive connections after SIGTERM, with Connection: close, and exits 0 within 5 s", async () => {
    server = await startServer(box.env());
    const connections = await Promise.all(Array.from({ length: 6 }, () => keptAlive(server?.port ?? 0)));
    for (const connection of connections)
      expect(await connection.send()).toMatchObject({ status: 200, close: false });
    const started = Date.now();
    server.child.kill("SIGTERM");
    await logged(server, "shutdown");
    const answers = await Promise.all(connections.map((connection) => connection.send()));
    expect(answers).toEqual(connections.map(() => ({ status: 200, close: true })));
    expect(await exitWithin(server, 5_000)).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("keeps running on SIGHUP (it reloads instead of stopping)", async () => {
    server = await startServer(box.env());
    server.child.kill("SIGHUP");
    await logged(server, "config-reload");
    const connection = await keptAlive(server.port);
    expect(await connection.send()).toMatchObject({ status: 200 });
    expect(server.child.exitCode).toBeNull();
  });
});
