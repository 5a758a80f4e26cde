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
  return SCOPE_NAMES.get(scope) ?? 'universe';
}

/** `SCOPE_NUMBERS` reversed, once (the first name of a number wins). */
const SCOPE_NAMES = reverse(SCOPE_NUMBERS);

function reverse<Name extends string>(numbers: Readonly<Record<Name, number>>): ReadonlyMap<number, Name> {
  const names = new Map<number, Name>();
  for (const name of Object.keys(numbers) as Name[]) if (!names.has(numbers[name])) names.set(numbers[name], name);
  return names;
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
  return ROUTE_TYPE_NAMES.get(type);
}

/** `ROUTE_TYPE_NUMBERS` reversed, once. */
const ROUTE_TYPE_NAMES = reverse(ROUTE_TYPE_NUMBERS);

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
  for (const name of STATE_NAMES) {
    if ((state & STATE_NUMBERS[name]) !== 0 && STATE_NUMBERS[name] > STATE_NUMBERS[best]) best = name;
  }
  return best;
}

/** The keys of `STATE_NUMBERS`, listed once (not per decoded entry). */
const STATE_NAMES = Object.keys(STATE_NUMBERS) as NeighbourState[];
