// The benchmark's baseline: a bare Fastify route answering what the webhook answers, with the same
// content type, no logging. Listens on 127.0.0.1:$PORT.
import Fastify from "fastify";

const BODY = "status=ACK&destination=%2B31612345678";
const app = Fastify({ logger: false });
const answer = async (_request, reply) => reply.type("text/plain; charset=utf-8").send(BODY);
app.get("/voys-webhook", answer);
app.post("/voys-webhook", answer);
app.get("/healthz", async () => "ok");

await app.listen({ host: "127.0.0.1", port: Number(process.env.PORT ?? 0) });
const stop = () => app.close().then(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
