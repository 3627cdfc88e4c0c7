import { LEVEL1_NUMBERS, testScenario } from "@pagerduty-voys/pagerduty-source/testing";
import { describe, expect, it, onTestFinished } from "vitest";
import type { BuildServerOptions } from "../src/index.js";
import { destinationOf, SECRET } from "../src/testing/helpers.js";
import { rawRequest } from "../src/testing/raw-http.js";
import { type Stack, startStack } from "../src/testing/stack.js";

async function stack(server: Partial<BuildServerOptions>, host?: string): Promise<Stack> {
  const s = await startStack({ scenario: testScenario(), server, ...(host ? { host } : {}) });
  onTestFinished(() => s.close());
  return s;
}

async function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: await res.text() };
}

function portOf(s: Stack): number {
  return Number(new URL(s.base).port);
}

describe("ALLOWED_IPS", () => {
  it("10.0.0.0/8 refuses a loopback caller with 403 status=NAK, before looking at the secret", async () => {
    const s = await stack({ allowedIps: ["10.0.0.0/8"] }, "::");
    const port = portOf(s);
    for (const host of ["127.0.0.1", "[::1]"]) {
      expect(await get(`http://${host}:${port}/voys-webhook?secret_key=${SECRET}`)).toEqual({
        status: 403,
        body: "status=NAK",
      });
      expect((await get(`http://${host}:${port}/voys-webhook?secret_key=guess`)).status).toBe(403);
    }
    // Health and metrics stay reachable for the load balancer and Prometheus.
    expect((await get(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const metrics = await get(`http://127.0.0.1:${port}/metrics`);
    expect(metrics.body).toContain('pagerduty_voys_refused_requests_total{reason="forbidden"} 4');
    // Refusals are logged in summary, not one line each.
    await s.app.close();
    expect(s.logs.audits()).toEqual([]);
    const summaries = s.logs.records().filter((r) => r.event === "requests-refused");
    expect(summaries).toHaveLength(1);
    expect(summaries[0]?.refusals).toMatchObject({
      total: 4,
      reasons: { forbidden: 4 },
      networks: [
        { network: "0:0:0::/48", count: 2 },
        { network: "127.0.0.0/24", count: 2 },
      ],
    });
  });

  it("127.0.0.1/32 and ::1 admit loopback callers over IPv4 (seen as ::ffff:127.0.0.1) and IPv6", async () => {
    const s = await stack({ allowedIps: ["10.0.0.0/8", "127.0.0.1/32", "::1"] }, "::");
    const port = portOf(s);
    for (const host of ["127.0.0.1", "[::1]"]) {
      const res = await get(`http://${host}:${port}/voys-webhook?secret_key=${SECRET}`);
      expect(res.status).toBe(200);
      expect(LEVEL1_NUMBERS).toContain(destinationOf(res.body));
    }
  });
});

describe("TRUST_PROXY", () => {
  const allowed = { allowedIps: ["203.0.113.0/24"] };
  const xff = (value: string): Record<string, string> => ({ "x-forwarded-for": value });

  it("unset: X-Forwarded-For is ignored", async () => {
    const s = await stack(allowed);
    expect((await get(`${s.base}/voys-webhook?secret_key=${SECRET}`, xff("203.0.113.7"))).status).toBe(403);
  });

  it("a trusted proxy CIDR: the client address comes from X-Forwarded-For", async () => {
    const s = await stack({ ...allowed, trustProxy: ["127.0.0.0/8"] });
    expect((await get(`${s.base}/voys-webhook?secret_key=${SECRET}`, xff("203.0.113.7"))).status).toBe(200);
    expect((await get(`${s.base}/voys-webhook?secret_key=${SECRET}`, xff("198.51.100.1"))).status).toBe(403);
    expect((await get(`${s.base}/voys-webhook?secret_key=${SECRET}`)).status).toBe(403);
  });

  it("an untrusted peer's X-Forwarded-For is ignored", async () => {
    const s = await stack({ ...allowed, trustProxy: ["10.0.0.1"] });
    expect((await get(`${s.base}/voys-webhook?secret_key=${SECRET}`, xff("203.0.113.7"))).status).toBe(403);
  });

  it("a hop count is refused: it would let anyone who reaches the port forge X-Forwarded-For", async () => {
    await expect(
      startStack({ scenario: testScenario(), server: { ...allowed, trustProxy: 1 as never } }),
    ).rejects.toMatchObject({
      code: "PDV_ERR_SERVER_OPTIONS_INVALID",
      problems: [expect.stringMatching(/^trustProxy: .*hop count/)],
    });
  });

  it("an entry that is not an IP address is never the client address: the last trusted hop is", async () => {
    const s = await stack({ ...allowed, trustProxy: ["loopback"] });
    const forged = [
      "+31612345678",
      "203.0.113.7:5060",
      "[203.0.113.7]",
      "203.0.113.7, not-an-ip",
      "203.0.113.7,,",
      `203.0.113.7, ${"a".repeat(12_000)}`,
      "203.0.113.7 198.51.100.1",
      "unknown",
    ];
    for (const value of forged) {
      const res = await get(`${s.base}/voys-webhook?secret_key=${SECRET}`, xff(value));
      expect(res.status, value.slice(0, 40)).toBe(403);
    }
    // Garbage further left than the first untrusted hop does not matter.
    expect((await get(`${s.base}/voys-webhook?secret_key=${SECRET}`, xff("junk, 203.0.113.7"))).status).toBe(
      200,
    );
    await s.app.close();
    const text = s.logs.text();
    expect(text).not.toContain("612345678");
    expect(text).not.toContain("aaaaaaaaaa");
    expect(text).not.toContain("not-an-ip");
    expect(Math.max(...text.split("\n").map((line) => line.length))).toBeLessThan(1_000);
    const audits = s.logs.audits();
    expect(audits.map((a) => a.remoteAddress)).toEqual(["203.0.113.7"]);
  });

  it("a loopback caller whose X-Forwarded-For is garbage is served as itself, and logged so", async () => {
    const s = await stack({ allowedIps: ["127.0.0.1"], trustProxy: ["127.0.0.1"] });
    const res = await get(`${s.base}/voys-webhook?secret_key=${SECRET}`, xff("+31612345678"));
    expect(res.status).toBe(200);
    expect(s.logs.audits().at(-1)).toMatchObject({ outcome: "ack", remoteAddress: "127.0.0.1" });
    expect(s.logs.text()).not.toContain("612345678");
  });
});

describe("hostile HTTP", () => {
  it("answers raw garbage, oversized headers and odd requests without 5xx, and keeps routing", async () => {
    const s = await stack({});
    const port = portOf(s);
    const payloads = [
      "GARBAGE\r\n\r\n",
      "\x00\x01\x02\x03\r\n\r\n",
      "GET / HTTP/9.9\r\n\r\n",
      "GET /voys-webhook HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
      "POST /voys-webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      `GET /voys-webhook HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
      `GET /voys-webhook/${"r".repeat(500)}?secret_key=${SECRET} HTTP/1.1\r\nHost: x\r\n\r\n`,
      `GET /voys-webhook?secret_key=${SECRET}&callerid=${"9".repeat(6_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      "GET /voys-webhook?%zz=%E0%A4%A&secret_key=%ff HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n",
      "BREW /voys-webhook HTTP/1.1\r\nHost: x\r\n\r\n",
      "TRACE /voys-webhook HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /voys-webhook HTTP/1.1\r\n\r\n",
    ];
    for (const payload of payloads) {
      const res = await rawRequest(port, payload);
      expect(res.status === null || res.status < 500, `${payload.slice(0, 40)} → ${res.status}`).toBe(true);
      if (!payload.includes(SECRET)) expect(res.text).not.toMatch(/destination=/);
      expect(res.text).not.toMatch(/FST_|stack|at [A-Za-z]+ \(/);
    }
    const header = await rawRequest(
      port,
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
    );
    expect(header.status).toBe(431);
    const ok = await get(`${s.base}/voys-webhook?secret_key=${SECRET}`);
    expect(ok.status).toBe(200);
  });
});
