// A test strategy module: rotates with a counter in the shared store; `options.start` offsets it.
export default function countingStrategy({ options, store }) {
  const start = Number(options.start ?? 0);
  return {
    name: "counting",
    async pick(candidates, { route }) {
      const reachable = candidates.filter((c) => c.phones.length > 0);
      if (reachable.length === 0) throw new Error("no candidates");
      const ordered = [...reachable].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const n = (await store.incr(`n:${route}`)) - 1 + start;
      const responder = ordered[n % ordered.length];
      return { responder, phone: responder.phones[Math.floor(n / ordered.length) % responder.phones.length] };
    },
  };
}
