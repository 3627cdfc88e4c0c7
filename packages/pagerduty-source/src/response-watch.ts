import http, { type ClientRequest, type IncomingMessage } from "node:http";
import https from "node:https";

/** Called with the raw response head of a request before the HTTP client (node-fetch in pdjs) sees it. */
export type ResponseWatcher = (response: IncomingMessage) => void;

/** node-fetch's `agent` option: called once per request with the parsed URL. */
export type AgentChooser = (url: { protocol: string }) => http.Agent;

type AddRequest = (request: ClientRequest, options: unknown) => void;

/**
 * An `agent` option for one request whose response head reaches `watcher` first.
 *
 * node-fetch gives no hook between "response head arrived" and "pdjs decides to wait and retry on
 * 429", and the ClientRequest is only visible to the agent. `addRequest` is the method every
 * ClientRequest calls on its agent while it is constructed (the same hook agent-base and the proxy
 * agents use); the listener added there runs before node-fetch's own `response` listener.
 * The agent is made per request (PagerDuty connections are not kept alive anyway), so that no
 * AsyncLocalStorage is needed: on Node 20 that would turn on promise hooks for the whole process and
 * slow every webhook call down.
 */
export function watchedAgent(watcher: ResponseWatcher): AgentChooser {
  return (url) => {
    const agent = url.protocol === "https:" ? new https.Agent() : new http.Agent();
    const target = agent as unknown as { addRequest: AddRequest };
    const original = target.addRequest.bind(agent);
    target.addRequest = (request, options) => {
      request.once("response", watcher);
      original(request, options);
    };
    return agent;
  };
}
