// Test strategy module: a pick that throws at once (not even a rejected promise).
export default () => ({
  name: "throws",
  pick() {
    throw new Error("bug in pick");
  },
});
