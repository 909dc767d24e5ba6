/** Every implemented operation, by operationId. */
import { checkRoutes } from "../checks.js";
import { appRoutes } from "./apps.js";
import { hookDeliveryRoutes } from "./hook-deliveries.js";
import { gitRoutes } from "./git.js";
import { commentRoutes } from "./comments.js";
import { issueRoutes } from "./issues.js";
import { labelRoutes } from "./labels.js";
import { pullAndTimelineRoutes } from "./pulls-timeline.js";
import { repoRoutes } from "./repos.js";
import { searchRoutes } from "./search.js";
import type { RouteDefinition } from "./types.js";
import { userRoutes } from "./user.js";

/** The route table. */
export function buildRouteTable(): Map<string, RouteDefinition> {
  const all = [
    ...appRoutes,
    ...hookDeliveryRoutes,
    ...repoRoutes,
    ...issueRoutes,
    ...commentRoutes,
    ...labelRoutes,
    ...pullAndTimelineRoutes,
    ...searchRoutes,
    ...checkRoutes,
    ...gitRoutes,
    ...userRoutes,
  ];
  return new Map(all.map((route) => [route.operationId, route]));
}
