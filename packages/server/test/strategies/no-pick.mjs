// Test strategy module whose factory returns no pick.
export default async () => ({ name: "no-pick" });
