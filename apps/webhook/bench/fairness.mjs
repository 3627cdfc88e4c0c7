// Fairness figures: 3000 calls through the real server among three on-call responders with each
// strategy, reporting each responder's share and the chi-square goodness-of-fit p-value against
// equal shares; then 3000 calls while the on-call set changes (a newcomer joins, someone leaves),
// reporting how far each strategy strays from a fair share, how long the newcomer waits and how
// often someone gets two calls in a row. Run with `pnpm fairness` at the root.

import { createSeededRandom, createStaticSource } from "@pagerduty-voys/core/testing";
import { createFakePagerDuty, fakeUser } from "@pagerduty-voys/pagerduty-source/testing";
import { buildServer } from "@pagerduty-voys/server";

const CALLS = Number(process.env.FAIRNESS_CALLS ?? 3000);
const SECRET = "fairness-secret";
const people = [
  { id: "PUSER1", name: "Ada", phone: "612345001" },
  { id: "PUSER2", name: "Bob", phone: "612345002" },
  { id: "PUSER3", name: "Cas", phone: "612345003" },
];
const scenario = {
  users: people.map((p) => fakeUser(p.id, [p.phone], { name: p.name })),
  oncalls: people.map((p) => ({ policyId: "PFAIR01", level: 1, userId: p.id })),
};

/** Makes CALLS webhook calls with one strategy and counts who got each. */
async function run(strategy, fake) {
  const app = await buildServer({
    secretKey: SECRET,
    pagerduty: { apiKey: fake.token, apiUrl: fake.url },
    routes: [{ name: "default", policyId: "PFAIR01", strategy }],
    logLevel: "silent",
  });
  const counts = new Map(people.map((p) => [`+31${p.phone}`, 0]));
  try {
    for (let i = 0; i < CALLS; i++) {
      const res = await app.inject({ method: "GET", url: `/voys-webhook?secret_key=${SECRET}` });
      const destination = new URLSearchParams(res.body).get("destination");
      if (res.statusCode !== 200 || !counts.has(destination))
        throw new Error(`unexpected answer ${res.statusCode} ${res.body}`);
      counts.set(destination, counts.get(destination) + 1);
    }
  } finally {
    await app.close();
  }
  return [...counts.values()];
}

/** Chi-square statistic against equal expected counts; with 3 categories (2 degrees of freedom) p = e^(-x/2). */
function chiSquare(observed) {
  const expected = observed.reduce((a, b) => a + b, 0) / observed.length;
  const x = observed.reduce((sum, o) => sum + (o - expected) ** 2 / expected, 0);
  return { x, p: Math.exp(-x / 2) };
}

const fake = await createFakePagerDuty({ scenario });
try {
  console.log(`${CALLS} calls among ${people.length} on-call responders\n`);
  console.log("strategy     | Ada           | Bob           | Cas           | chi-square (p)");
  console.log("-------------|---------------|---------------|---------------|---------------");
  for (const strategy of ["least-recent", "round-robin", "random"]) {
    const counts = await run(strategy, fake);
    const shares = counts.map((c) =>
      `${String(c).padStart(4)} (${((100 * c) / CALLS).toFixed(1)}%)`.padEnd(13),
    );
    const { x, p } = chiSquare(counts);
    console.log(`${strategy.padEnd(12)} | ${shares.join(" | ")} | ${x.toFixed(2)} (p = ${p.toFixed(3)})`);
  }
} finally {
  await fake.close();
}

// --- The on-call set changes during the run --------------------------------------------------------
// One call every 10 s of an injected clock. Ada, Bob and Cas are on call from the start; Dan's shift
// starts before call 1000 and Bob's ends before call 2000 (the roster honours shift times itself).
const STEP_MS = 10_000;
const T0 = Date.parse("2026-01-05T08:00:00Z");
const JOIN = Math.round(CALLS / 3);
const LEAVE = Math.round((2 * CALLS) / 3);
const at = (call) => new Date(T0 + call * STEP_MS - STEP_MS / 2);
const crew = [
  { id: "PUSER1", name: "Ada", phones: ["+31612345001"], start: null, end: null },
  { id: "PUSER2", name: "Bob", phones: ["+31612345002"], start: null, end: at(LEAVE) },
  { id: "PUSER3", name: "Cas", phones: ["+31612345003"], start: null, end: null },
  { id: "PUSER4", name: "Dan", phones: ["+31612345004"], start: at(JOIN), end: null },
];
const onCallAt = (call) =>
  crew.filter(
    (p) =>
      (p.start === null || p.start <= new Date(T0 + call * STEP_MS)) &&
      (p.end === null || p.end > new Date(T0 + call * STEP_MS)),
  );

async function runChanging(strategy) {
  let now = T0;
  const shifts = crew.map(({ start, end, ...responder }) => ({
    responder,
    policyId: "PFAIR02",
    level: 1,
    start,
    end,
  }));
  const app = await buildServer({
    secretKey: SECRET,
    pagerduty: { apiKey: "unused" },
    source: createStaticSource(shifts),
    routes: [{ name: "default", policyId: "PFAIR02", strategy }],
    logLevel: "silent",
    now: () => new Date(now),
    random: createSeededRandom(42),
  });
  const byPhone = new Map(crew.map((p) => [p.phones[0], p.name]));
  const got = new Map(crew.map((p) => [p.name, 0]));
  const fair = new Map(crew.map((p) => [p.name, 0]));
  let repeats = 0;
  let previous;
  let newcomerWait;
  try {
    for (let i = 0; i < CALLS; i++) {
      now = T0 + i * STEP_MS;
      const res = await app.inject({ method: "GET", url: `/voys-webhook?secret_key=${SECRET}` });
      const who = byPhone.get(new URLSearchParams(res.body).get("destination"));
      if (res.statusCode !== 200 || who === undefined)
        throw new Error(`unexpected answer ${res.statusCode} ${res.body}`);
      const present = onCallAt(i);
      for (const p of present) fair.set(p.name, fair.get(p.name) + 1 / present.length);
      got.set(who, got.get(who) + 1);
      if (who === previous) repeats += 1;
      if (i >= JOIN && newcomerWait === undefined && who === "Dan") newcomerWait = i - JOIN + 1;
      previous = who;
    }
  } finally {
    await app.close();
  }
  const worst = Math.max(...crew.map((p) => Math.abs(got.get(p.name) - fair.get(p.name))));
  return { got, fair, worst, repeats, newcomerWait };
}

console.log(
  `\n${CALLS} calls while the on-call set changes: Ada, Bob, Cas on call; Dan joins at call ${JOIN}; Bob leaves at call ${LEAVE}\n`,
);
console.log(
  "strategy     | Ada   | Bob   | Cas   | Dan   | worst |calls - fair share| | Dan's first call after joining | same person twice in a row",
);
console.log(
  "-------------|-------|-------|-------|-------|---------------------------|--------------------------------|---------------------------",
);
let fairLine;
for (const strategy of ["least-recent", "round-robin", "random"]) {
  const { got, fair, worst, repeats, newcomerWait } = await runChanging(strategy);
  fairLine ??= crew.map((p) => fair.get(p.name).toFixed(0).padStart(5)).join(" | ");
  const cells = crew.map((p) => String(got.get(p.name)).padStart(5)).join(" | ");
  console.log(
    `${strategy.padEnd(12)} | ${cells} | ${worst.toFixed(1).padStart(25)} | ${`call ${newcomerWait ?? "never"}`.padStart(30)} | ${String(repeats).padStart(26)}`,
  );
}
console.log(`${"fair share".padEnd(12)} | ${fairLine} |`);
