import { connect } from "node:net";

/** What came back on a raw socket: the status code (null when the server just closed) and the text. */
export interface RawResponse {
  readonly status: number | null;
  readonly text: string;
}

/**
 * Writes `payload` as is to a new TCP connection and reads until the server closes it or
 * `idleMs` pass without data (keep-alive). Never rejects on socket errors.
 */
export function rawRequest(
  port: number,
  payload: string | Buffer,
  idleMs = 300,
  host = "127.0.0.1",
): Promise<RawResponse> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect({ port, host });
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      socket.destroy();
      const text = Buffer.concat(chunks).toString("latin1");
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: match ? Number(match[1]) : null, text });
    };
    socket.setTimeout(idleMs, finish);
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("end", finish);
    socket.on("close", finish);
    socket.on("error", finish);
    socket.write(payload);
  });
}
