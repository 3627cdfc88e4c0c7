// Test strategy module: the responder named by `strategy_options.prefer`, else the first by id.
export default function preferStrategy({ options, route }) {
  return {
    name: `prefer-${options.prefer ?? "first"}`,
    pick(candidates) {
      const wanted =
        candidates.find((c) => c.id === options.prefer) ??
        [...candidates].sort((a, b) => (a.id < b.id ? -1 : 1))[0];
      if (wanted === undefined) throw new Error(`no candidates on ${route}`);
      return { responder: wanted, phone: wanted.phones[0] };
    },
  };
}
