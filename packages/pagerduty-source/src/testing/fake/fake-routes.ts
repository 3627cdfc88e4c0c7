import { type Answer, json, notFound, pdError, type RouteContext } from "./fake-answer.js";
import { listOnCalls } from "./fake-oncalls.js";
import { renderContactMethod, renderNotificationRule, renderUser } from "./fake-render.js";
import type { FakeUser } from "./fake-types.js";

const USER_PATH = /^\/users\/([^/]+)(?:\/(contact_methods|notification_rules))?\/?$/;

/** Answers an authenticated request: `/oncalls`, `/users/{id}` and its contact methods and rules. */
export function route(method: string, path: string, query: URLSearchParams, ctx: RouteContext): Answer {
  if (method !== "GET") return pdError(405, "Method Not Allowed", 2100);
  if (path === "/oncalls" || path === "/oncalls/") return listOnCalls(query, ctx);
  const match = USER_PATH.exec(path);
  if (!match) return notFound();
  const user = ctx.scenario.users.get(decodeURIComponent(match[1] as string));
  if (!user) return notFound();
  const include = new Set(query.getAll("include[]"));
  switch (match[2]) {
    case "contact_methods":
      return json(200, {
        contact_methods: user.contactMethods.map((m) => renderContactMethod(ctx.base, user.id, m)),
      });
    case "notification_rules":
      return json(200, { notification_rules: notificationRules(user, query, ctx.base) });
    default:
      return json(200, { user: renderUser(ctx.base, user, include) });
  }
}

// `urgency` defaults to high; `all` lists both. `include[]=contact_methods` expands the methods.
function notificationRules(user: FakeUser, query: URLSearchParams, base: string): object[] {
  const urgency = query.get("urgency") ?? "high";
  const expand = query.getAll("include[]").includes("contact_methods");
  return (user.notificationRules ?? [])
    .filter((rule) => urgency === "all" || rule.urgency === urgency)
    .map((rule) => renderNotificationRule(base, user, rule, expand));
}
