// Test strategy module: answers a number that belongs to none of the candidates.
export default () => ({
  name: "stranger",
  async pick(candidates) {
    return { responder: candidates[0], phone: "+31699999999" };
  },
});
