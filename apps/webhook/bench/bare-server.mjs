// The benchmark's baseline: a bare Fastify route answering what the webhook answers, byte for byte
// (the same body and the same three headers the webhook sets), no logging. The two hardening
// headers alone cost about 6 % of a bare answer in Node's header checks: without them here, the
// ratio would charge the webhook for its answer rather than for its work. Listens on 127.0.0.1:$PORT.
import Fastify from "fastify";

const BODY = "status=ACK&destination=%2B31612345678";
const app = Fastify({ logger: false });
const answer = async (_request, reply) =>
  reply
    .code(200)
    .header("content-type", "text/plain; charset=utf-8")
    .header("cache-control", "no-store")
    .header("x-content-type-options", "nosniff")
    .send(BODY);
app.get("/voys-webhook", answer);
app.post("/voys-webhook", answer);
app.get("/healthz", async () => "ok");

await app.listen({ host: "127.0.0.1", port: Number(process.env.PORT ?? 0) });
const stop = () => app.close().then(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
