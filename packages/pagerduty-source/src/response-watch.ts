import { AsyncLocalStorage } from "node:async_hooks";
import http, { type ClientRequest, type IncomingMessage } from "node:http";
import https from "node:https";

/** Called with the raw response of every HTTP request started inside {@link watchResponses}. */
export type ResponseWatcher = (response: IncomingMessage) => void;

type AddRequest = (request: ClientRequest, options: unknown) => void;

const watchers = new AsyncLocalStorage<ResponseWatcher>();

/**
 * Runs `fn` so that every HTTP request it starts through {@link createWatchedAgents}' agents reports
 * its response head to `watcher` before the HTTP client (node-fetch inside pdjs) sees it.
 */
export function watchResponses<T>(watcher: ResponseWatcher, fn: () => T): T {
  return watchers.run(watcher, fn);
}

/** The agents that make {@link watchResponses} work; one pair per transport. */
export interface WatchedAgents {
  /** Picks the agent for a URL (node-fetch calls this for each request). */
  readonly forUrl: (url: { protocol: string }) => http.Agent;
}

/**
 * Creates an http and an https agent whose requests report to the current watcher.
 *
 * node-fetch gives no hook between "response head arrived" and "pdjs decides to wait and retry on
 * 429", and the ClientRequest is only visible to the agent. `addRequest` is the method every
 * ClientRequest calls on its agent while it is constructed (the same hook agent-base and the proxy
 * agents use); the listener added there runs before node-fetch's own `response` listener.
 */
export function createWatchedAgents(): WatchedAgents {
  const httpAgent = observe(new http.Agent({ keepAlive: false }));
  const httpsAgent = observe(new https.Agent({ keepAlive: false }));
  return { forUrl: (url) => (url.protocol === "https:" ? httpsAgent : httpAgent) };
}

function observe<A extends http.Agent>(agent: A): A {
  const target = agent as unknown as { addRequest: AddRequest };
  const original = target.addRequest.bind(agent);
  target.addRequest = (request, options) => {
    const watcher = watchers.getStore();
    if (watcher) request.once("response", watcher);
    original(request, options);
  };
  return agent;
}
