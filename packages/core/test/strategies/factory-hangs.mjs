// A test strategy module whose factory never resolves.
export default function hangs() {
  return new Promise(() => {});
}
