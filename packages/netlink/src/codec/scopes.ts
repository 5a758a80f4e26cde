// Names ↔ numbers of rtm_scope, rtm_type and ndm_state.
import type { NeighbourState, RouteScope, RouteType } from '../types.js';
import * as R from './constants-route.js';

/** `RT_SCOPE_*` by name. */
export const SCOPE_NUMBERS: Readonly<Record<RouteScope, number>> = {
  universe: R.RT_SCOPE_UNIVERSE,
  site: R.RT_SCOPE_SITE,
  link: R.RT_SCOPE_LINK,
  host: R.RT_SCOPE_HOST,
  nowhere: R.RT_SCOPE_NOWHERE,
};

/** The name of an `RT_SCOPE_*` number (`universe` for unnamed ones). */
export function scopeName(scope: number): RouteScope {
  return (Object.keys(SCOPE_NUMBERS) as RouteScope[]).find((name) => SCOPE_NUMBERS[name] === scope) ?? 'universe';
}

/** `RTN_*` by name. */
export const ROUTE_TYPE_NUMBERS: Readonly<Record<RouteType, number>> = {
  unicast: R.RTN_UNICAST,
  local: R.RTN_LOCAL,
  broadcast: R.RTN_BROADCAST,
  blackhole: R.RTN_BLACKHOLE,
  unreachable: R.RTN_UNREACHABLE,
  prohibit: R.RTN_PROHIBIT,
};

/** The name of an `RTN_*` number, or `undefined` for types flannel-ts does not name (multicast, throw, …). */
export function routeTypeName(type: number): RouteType | undefined {
  return (Object.keys(ROUTE_TYPE_NUMBERS) as RouteType[]).find((name) => ROUTE_TYPE_NUMBERS[name] === type);
}

/** `NUD_*` by name. */
export const STATE_NUMBERS: Readonly<Record<NeighbourState, number>> = {
  none: R.NUD_NONE,
  incomplete: R.NUD_INCOMPLETE,
  reachable: R.NUD_REACHABLE,
  stale: R.NUD_STALE,
  delay: R.NUD_DELAY,
  probe: R.NUD_PROBE,
  failed: R.NUD_FAILED,
  noarp: R.NUD_NOARP,
  permanent: R.NUD_PERMANENT,
};

/** The name of the most significant `NUD_*` bit set in `state` (`none` for 0). */
export function stateName(state: number): NeighbourState {
  let best: NeighbourState = 'none';
  for (const name of Object.keys(STATE_NUMBERS) as NeighbourState[]) {
    if ((state & STATE_NUMBERS[name]) !== 0 && STATE_NUMBERS[name] > STATE_NUMBERS[best]) best = name;
  }
  return best;
}
