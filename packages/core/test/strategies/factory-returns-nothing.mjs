// A test strategy module whose factory returns no pick.
export default async function empty() {
  return { name: "empty" };
}
