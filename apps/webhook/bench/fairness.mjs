// Fairness figures: 3000 calls through the real server among three on-call responders, once with
// `random` and once with `round-robin`, reporting each responder's share and, for random, the
// chi-square goodness-of-fit p-value against equal shares. Run with `pnpm fairness` at the root.

import { createFakePagerDuty } from "@pagerduty-voys/pagerduty-source/testing";
import { buildServer } from "@pagerduty-voys/server";

const CALLS = Number(process.env.FAIRNESS_CALLS ?? 3000);
const SECRET = "fairness-secret";
const people = [
  { id: "PUSER1", name: "Ada", phone: "612345001" },
  { id: "PUSER2", name: "Bob", phone: "612345002" },
  { id: "PUSER3", name: "Cas", phone: "612345003" },
];
const scenario = {
  users: people.map((p) => ({
    id: p.id,
    name: p.name,
    contactMethods: [{ id: `${p.id}-M`, type: "phone_contact_method", countryCode: 31, address: p.phone }],
  })),
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
  for (const strategy of ["round-robin", "random"]) {
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
