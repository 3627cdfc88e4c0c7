import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { renderNak, VOYS_CONTENT_TYPE } from "@pagerduty-voys/voys-adapter";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ClientAddressOf } from "./client-address.js";
import type { RefusalLog, RefusalReason } from "./refusal-log.js";

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

/** Where the handlers below count refusals (logged in summary), with the client address they resolve. */
export interface RefusalSink {
  /** Counts a refusal of `request` (its client address resolved behind trusted proxies). */
  refuse(reason: RefusalReason, request: FastifyRequest | undefined, socketAddress?: string): void;
}

/** A {@link RefusalSink} over a refusal log and a client address resolver. */
export function createRefusalSink(
  refusals: () => RefusalLog | undefined,
  clientAddressOf: ClientAddressOf,
): RefusalSink {
  return {
    refuse(reason, request, socketAddress) {
      const address =
        request === undefined
          ? socketAddress
          : clientAddressOf(request.socket?.remoteAddress, request.headers["x-forwarded-for"]);
      refusals()?.record(reason, address);
    },
  };
}

/**
 * The error handler: 4xx for bad input (the status Fastify chose: 400, 413, 415, ...), counted as a
 * refusal and logged only in summary; an internal error is logged and answered 500, except on the
 * webhook, where it is `503 status=NAK` (a call never gets a 500). The body never carries details.
 */
export function createErrorHandler(
  sink: RefusalSink | undefined,
): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  return (error, request, reply) => {
    let status = statusOf(error);
    const webhook = isWebhookRoute(request);
    if (status >= 500 && error.code !== "FST_ERR_HANDLER_TIMEOUT") {
      request.log.error({ reqId: request.id, err: error }, "internal error");
    } else if (sink === undefined) {
      request.log.info({ reqId: request.id, status, code: error.code }, "request refused");
    } else {
      sink.refuse("bad_request", request);
    }
    if (webhook && status >= 500) status = 503;
    const body = webhook ? renderNak() : (STATUS_CODES[status] ?? "Error");
    return sendPlain(reply, status, body);
  };
}

/** The 404 handler: a plain `Not Found`, with no detail about what exists; counted as a refusal. */
export function createNotFoundHandler(
  sink: RefusalSink | undefined,
): (request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  return (request, reply) => {
    sink?.refuse("not_found", request);
    return sendPlain(reply, 404, "Not Found");
  };
}

/** Fastify `frameworkErrors`: a bad URL encoding or an oversized path parameter gets a plain 400. */
export function createFrameworkErrorHandler(
  sink: RefusalSink | undefined,
): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  return (error, request, reply) => {
    if (sink === undefined) request.log.info({ reqId: request.id, code: error.code }, "malformed request");
    else sink.refuse("bad_request", request);
    return sendPlain(reply, 400, "Bad Request");
  };
}

/** Fastify `clientErrorHandler`: answers garbage on the socket with a short plain-text status line. */
export function createClientErrorHandler(
  sink: RefusalSink | undefined,
): (this: FastifyInstance, error: Error & { code?: string }, socket: Socket) => void {
  return function handleClientError(this: FastifyInstance, error, socket) {
    if (error.code === "ECONNRESET" || socket.destroyed) return;
    let status = 400;
    if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") status = 408;
    else if (error.code === "HPE_HEADER_OVERFLOW") status = 431;
    const text = STATUS_CODES[status] ?? "Bad Request";
    sink?.refuse("client_error", undefined, socket.remoteAddress);
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
      );
    }
    socket.destroy();
  };
}
