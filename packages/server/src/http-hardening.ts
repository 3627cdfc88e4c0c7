import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { renderNak, VOYS_CONTENT_TYPE } from "@pagerduty-voys/voys-adapter";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** Route config flag marking the webhook routes, whose errors answer `status=NAK`. */
export interface VoysRouteConfig {
  /** True on the webhook routes. */
  readonly voysWebhook?: boolean;
}

/** Sends a plain-text answer that no cache keeps. */
export function sendPlain(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply
    .code(status)
    .header("content-type", VOYS_CONTENT_TYPE)
    .header("cache-control", "no-store")
    .header("x-content-type-options", "nosniff")
    .send(body);
}

function isWebhookRoute(request: FastifyRequest): boolean {
  return (request.routeOptions.config as VoysRouteConfig | undefined)?.voysWebhook === true;
}

function statusOf(error: FastifyError): number {
  const status = error.statusCode;
  return typeof status === "number" && status >= 400 && status <= 599 ? status : 500;
}

/**
 * The error handler: 4xx for bad input (the status Fastify chose: 400, 413, 415, ...), 500 for a
 * genuine internal error, which is logged. The body never carries error details: `status=NAK` on
 * the webhook, the status text elsewhere.
 */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status = statusOf(error);
  if (status >= 500 && error.code !== "FST_ERR_HANDLER_TIMEOUT") {
    request.log.error({ reqId: request.id, err: error }, "internal error");
  } else {
    request.log.info({ reqId: request.id, status, code: error.code }, "request refused");
  }
  const body = isWebhookRoute(request) ? renderNak() : (STATUS_CODES[status] ?? "Error");
  return sendPlain(reply, status, body);
}

/** The 404 handler: a plain `Not Found`, with no detail about what exists. */
export function handleNotFound(_request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendPlain(reply, 404, "Not Found");
}

/** Fastify `frameworkErrors`: a bad URL encoding or an oversized path parameter gets a plain 400. */
export function handleFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  request.log.info({ reqId: request.id, code: error.code }, "malformed request");
  return sendPlain(reply, 400, "Bad Request");
}

/** Fastify `clientErrorHandler`: answers garbage on the socket with a short plain-text status line. */
export function handleClientError(
  this: FastifyInstance,
  error: Error & { code?: string },
  socket: Socket,
): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  let status = 400;
  if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") status = 408;
  else if (error.code === "HPE_HEADER_OVERFLOW") status = 431;
  const text = STATUS_CODES[status] ?? "Bad Request";
  this.log.debug({ code: error.code, status }, "client error");
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy();
}
