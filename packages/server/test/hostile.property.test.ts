import { testScenario } from "@pagerduty-voys/pagerduty-source/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECRET } from "../src/testing/helpers.js";
import { rawRequest } from "../src/testing/raw-http.js";
import type { Stack } from "../src/testing/stack.js";
import { startStack } from "../src/testing/stack.js";

let s: Stack;
beforeAll(async () => {
  s = await startStack({
    scenario: testScenario(),
    server: {
      routes: [
        { name: "default", policyId: "PDEMO01", strategy: "round-robin" },
        { name: "support", policyId: "PSUPP01", dids: ["+31208888888"], fallbackNumber: "+31201234567" },
      ],
    },
  });
});
afterAll(async () => {
  await s?.close();
});

// Pieces of hostile URLs: broken and overlong percent-encodings, NUL, RTL override, separators.
const PIECES = [
  "a",
  "Z",
  "0",
  "9",
  "-",
  ".",
  "_",
  "~",
  "+",
  "%",
  "%zz",
  "%00",
  "%ff",
  "%C3%28",
  "%E2%80%AE",
  "%2B",
  "%26",
  "%3D",
  "%2F",
  "..",
  "/",
  ";",
  ",",
  "!",
  "*",
  "'",
  "(",
  "@",
  "$",
  "secret_key",
  "%2B31612345678",
  "€",
  "𝄞",
  "\u202e",
];
const hostileText = fc.oneof(
  fc.string({ unit: fc.constantFrom(...PIECES), maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }).map(encodeURIComponent),
  fc.constantFrom("", "x".repeat(6_000), "%".repeat(300), "9".repeat(6_000)),
);
const key = fc.oneof(
  fc.constantFrom("callerid", "did", "code", "callername", "secret_key", "SECRET_KEY", "secret_key[]"),
  hostileText,
);
const secretMode = fc.constantFrom("none", "right", "wrong", "repeated", "prefix", "body", "query+body");
const path = fc.oneof(
  fc.constantFrom(
    "/voys-webhook",
    "/voys-webhook/default",
    "/voys-webhook/support",
    "/voys-webhook/nope",
    "/voys-webhook/",
    "//voys-webhook",
    "/VOYS-WEBHOOK",
    "/healthz",
    "/readyz",
    "/metrics",
    "/",
    "/voys-webhook/default/x",
  ),
  fc.array(hostileText, { maxLength: 4 }).map((segments) => `/${segments.join("/")}`),
  hostileText.map((segment) => `/voys-webhook/${segment}`),
);
const contentType = fc.constantFrom(
  undefined,
  "application/x-www-form-urlencoded",
  "application/x-www-form-urlencoded; charset=latin1",
  "application/json",
  "application/json; charset=utf-16",
  "text/plain",
  "application/xml",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
  "*/*",
);
const body = fc.oneof(
  fc.constant(undefined),
  hostileText,
  fc.json({ maxDepth: 3 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.constantFrom(
    '{"secret_key":{"$ne":null}}',
    '{"__proto__":{"a":1}}',
    '{"constructor":{"prototype":{}}}',
    "a=".repeat(5_000),
  ),
);
const method = fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD");

function secretParams(mode: string): { query: string[]; body: string[] } {
  const right = `secret_key=${encodeURIComponent(SECRET)}`;
  switch (mode) {
    case "right":
      return { query: [right], body: [] };
    case "wrong":
      return { query: ["secret_key=guess"], body: [] };
    case "repeated":
      return { query: [right, right], body: [] };
    case "prefix":
      return { query: [`secret_key=${encodeURIComponent(SECRET.slice(0, 10))}`], body: [] };
    case "body":
      return { query: [], body: [right] };
    case "query+body":
      return { query: [right], body: [right] };
    default:
      return { query: [], body: [] };
  }
}

// The oracle: every secret_key the server could have read, from the query string and a parsed body.
function secretsSent(query: string, type: string | undefined, bodyText: string): unknown[] {
  const found: unknown[] = new URLSearchParams(query).getAll("secret_key");
  if (type?.startsWith("application/x-www-form-urlencoded"))
    found.push(...new URLSearchParams(bodyText).getAll("secret_key"));
  if (type?.startsWith("application/json")) {
    try {
      const parsed = JSON.parse(bodyText) as unknown;
      if (parsed && typeof parsed === "object" && Object.hasOwn(parsed, "secret_key")) {
        const value = (parsed as Record<string, unknown>).secret_key;
        found.push(...(Array.isArray(value) ? value : [value]));
      }
    } catch {
      // not JSON: the server answers 400
    }
  }
  return found;
}

describe("hostile requests (property)", () => {
  it("never answer 5xx and never give a number without exactly one right secret", async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        method,
        path,
        fc.array(fc.tuple(key, hostileText), { maxLength: 5 }),
        secretMode,
        contentType,
        body,
        async (m, p, params, mode, type, payload) => {
          const secret = secretParams(mode);
          const query = [...params.map(([k, v]) => `${k}=${v}`), ...secret.query].join("&");
          const hasBody = m !== "GET" && m !== "HEAD" && m !== "OPTIONS";
          const bodyText = [payload ?? "", ...secret.body].filter((part) => part !== "").join("&");
          const res = await s.app.inject({
            method: m,
            url: `${p}${query ? `?${query}` : ""}`,
            headers: type && hasBody ? { "content-type": type } : {},
            ...(hasBody && bodyText !== "" ? { payload: bodyText } : {}),
          });
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          expect(res.statusCode).toBeLessThan(500);
          if (res.body.includes("destination=")) {
            // Only exactly one secret_key, and the right one, earns a number.
            const sent = secretsSent(query, hasBody ? type : undefined, bodyText);
            expect(sent).toEqual([SECRET]);
            expect(["right", "body", "query+body"]).toContain(mode);
          }
        },
      ),
      { numRuns: 1_500 },
    );
    // The generator must reach the interesting answers, or the property proves nothing.
    for (const status of [200, 400, 401, 404, 405]) expect(statuses.get(status) ?? 0).toBeGreaterThan(0);
    const after = await s.call();
    expect(after.status).toBe(200);
  });

  it("raw bytes on the socket never get a 5xx or a number, and the server keeps routing", async () => {
    const port = Number(new URL(s.base).port);
    const token = fc.oneof(method, fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 10 }));
    const target = fc.oneof(path, fc.string({ unit: "binary-ascii", maxLength: 60 }));
    const header = fc.tuple(
      fc.string({ unit: "binary-ascii", maxLength: 15 }),
      fc.string({ unit: "binary-ascii", maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(
        token,
        target,
        fc.array(header, { maxLength: 4 }),
        fc.string({ unit: "binary", maxLength: 100 }),
        async (m, t, headers, tail) => {
          const head = headers.map(([k, v]) => `${k}: ${v}\r\n`).join("");
          const payload = `${m} ${t} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${head}\r\n${tail}`;
          const res = await rawRequest(port, payload, 150);
          expect(res.status === null || res.status < 500).toBe(true);
          expect(res.text).not.toContain("destination=");
        },
      ),
      { numRuns: 250 },
    );
    expect((await s.call()).status).toBe(200);
  });
});
