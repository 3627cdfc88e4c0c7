// A test strategy module exporting its factory as `createStrategy`: always the first candidate by id.
export function createStrategy() {
  return {
    name: "first",
    async pick(candidates) {
      const reachable = candidates.filter((c) => c.phones.length > 0).sort((a, b) => (a.id < b.id ? -1 : 1));
      if (reachable.length === 0) throw new Error("no candidates");
      return { responder: reachable[0], phone: reachable[0].phones[0] };
    },
  };
}
