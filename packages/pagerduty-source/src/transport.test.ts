import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createPagerDutySource } from "./index.js";
import { never, rejectionOf, windowFrom } from "./testing/fixtures.js";
import { buildUrl, createTransport } from "./transport.js";

// These tests need answers the fake PagerDuty never gives, so they run a bare loopback server.
type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
let server: http.Server | undefined;

async function serve(handler: Handler): Promise<string> {
  server = http.createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterEach(async () => {
  const current = server;
  server = undefined;
  if (!current) return;
  current.closeAllConnections();
  await new Promise((resolve) => current.close(resolve));
});

const reply =
  (
    status: number,
    body: string,
    headers: Record<string, string> = { "content-type": "application/json" },
  ): Handler =>
  (_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };
const T0 = new Date("2026-03-02T08:00:00Z");

describe("buildUrl", () => {
  it("joins base, path and query, repeating array keys with their brackets", () => {
    expect(
      buildUrl("https://api.pagerduty.com", "/oncalls", {
        "escalation_policy_ids[]": ["A", "B"],
        limit: "100",
      }),
    ).toBe(
      "https://api.pagerduty.com/oncalls?escalation_policy_ids%5B%5D=A&escalation_policy_ids%5B%5D=B&limit=100",
    );
    expect(buildUrl("http://127.0.0.1:9/pd/", "/users/P%201", {})).toBe("http://127.0.0.1:9/pd/users/P%201");
  });
});

describe("transport", () => {
  it("sends `Authorization: Token token=…` and the v2 Accept header to the full URL", async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const url = await serve((req, res) => {
      seen.push(req.headers);
      reply(200, '{"user":{"id":"P1"}}')(req, res);
    });
    const transport = createTransport({ apiKey: "k-123", apiUrl: url, requestTimeoutMs: 1_000 });
    expect(await transport.get("users", "/users/P1", { "include[]": ["contact_methods"] }, never())).toEqual({
      user: { id: "P1" },
    });
    expect(seen[0]?.authorization).toBe("Token token=k-123");
    expect(seen[0]?.accept).toBe("application/vnd.pagerduty+json;version=2");
  });

  it.each([
    [
      "a 2xx that is not JSON",
      "BAD_RESPONSE",
      200,
      reply(200, "<html>ok</html>", { "content-type": "text/html" }),
    ],
    ["a 204 without a body", "BAD_RESPONSE", 204, reply(204, "")],
    ["a JSON array", "BAD_RESPONSE", 200, reply(200, "[]")],
    ["a 400", "BAD_REQUEST", 400, reply(400, '{"error":{"message":"Invalid Input Provided","code":2001}}')],
    ["a 408", "TIMEOUT", 408, reply(408, '{"error":{"message":"Request Timeout","code":2013}}')],
    ["a 503 HTML page", "UNAVAILABLE", 503, reply(503, "<h1>down</h1>", { "content-type": "text/html" })],
    ["a redirect", "BAD_RESPONSE", 301, reply(301, "", { location: "https://elsewhere.example" })],
  ] as const)("%s → PDV_ERR_PAGERDUTY_%s", async (_label, code, status, handler) => {
    const url = await serve(handler);
    const transport = createTransport({ apiKey: "k", apiUrl: url, requestTimeoutMs: 1_000 });
    const error = await rejectionOf(() => transport.get("oncalls", "/oncalls", {}, never()));
    expect(error).toMatchObject({ code: `PDV_ERR_PAGERDUTY_${code}`, status });
  });

  it("a server that closes the connection → UNAVAILABLE", async () => {
    const url = await serve((req) => req.socket.destroy());
    const transport = createTransport({ apiKey: "k", apiUrl: url, requestTimeoutMs: 1_000 });
    const error = await rejectionOf(() => transport.get("oncalls", "/oncalls", {}, never()));
    expect(error.code).toBe("PDV_ERR_PAGERDUTY_UNAVAILABLE");
  });

  it("a body that stalls after the headers → TIMEOUT", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"oncalls":[');
    });
    const transport = createTransport({ apiKey: "k", apiUrl: url, requestTimeoutMs: 150 });
    const error = await rejectionOf(() => transport.get("oncalls", "/oncalls", {}, never()));
    expect(error.code).toBe("PDV_ERR_PAGERDUTY_TIMEOUT");
  });

  it("uses Retry-After when ratelimit-reset is absent", async () => {
    const url = await serve(reply(429, "", { "retry-after": "3" }));
    const transport = createTransport({ apiKey: "k", apiUrl: url, requestTimeoutMs: 1_000 });
    expect(await rejectionOf(() => transport.get("oncalls", "/oncalls", {}, never()))).toMatchObject({
      code: "PDV_ERR_PAGERDUTY_RATE_LIMITED",
      retryAfterMs: 3_000,
    });
  });
});

describe("/oncalls answers the source cannot use", () => {
  const shiftsFrom = async (handler: Handler) => {
    const url = await serve(handler);
    const src = createPagerDutySource({ apiKey: "k", apiUrl: url });
    return rejectionOf(() => src.shifts(["PA"], windowFrom(T0), never()));
  };

  it("no `oncalls` array → BAD_RESPONSE", async () => {
    expect((await shiftsFrom(reply(200, '{"users":[]}'))).code).toBe("PDV_ERR_PAGERDUTY_BAD_RESPONSE");
  });

  it("`more` with an empty page → BAD_RESPONSE instead of paging forever", async () => {
    const error = await shiftsFrom(reply(200, '{"oncalls":[],"limit":100,"offset":0,"more":true}'));
    expect(error.code).toBe("PDV_ERR_PAGERDUTY_BAD_RESPONSE");
  });

  it("stops at PagerDuty's offset + limit ≤ 10000 instead of asking beyond it", async () => {
    const offsets: string[] = [];
    const entry = {
      escalation_policy: { id: "PA" },
      escalation_level: 1,
      user: { id: "U" },
      start: null,
      end: null,
    };
    const error = await shiftsFrom((req, res) => {
      const offset = new URL(req.url ?? "/", "http://x").searchParams.get("offset") ?? "";
      offsets.push(offset);
      reply(200, JSON.stringify({ oncalls: [entry], limit: 100, offset: Number(offset), more: true }))(
        req,
        res,
      );
    });
    expect(error.code).toBe("PDV_ERR_PAGERDUTY_BAD_RESPONSE");
    expect(error.message).toMatch(/more than 10000/);
    expect(offsets).toHaveLength(100);
    expect(offsets.at(-1)).toBe("9900");
  });
});
