// Test strategy module: a rotation kept in the shared store (Redis when configured).
export default ({ store }) => ({
  name: "counting",
  async pick(candidates) {
    const ordered = [...candidates].sort((a, b) => (a.id < b.id ? -1 : 1));
    const n = await store.incr("turn");
    const responder = ordered[(n - 1) % ordered.length];
    return { responder, phone: responder.phones[0] };
  },
});
