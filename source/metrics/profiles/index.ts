import type {NamingProfile} from '../types.js';
import {catchAllProfile} from './catch-all.js';
import {confluentProfile} from './confluent.js';
import {kctopProfile} from './default.js';
import {debeziumExamplesProfile} from './debezium-examples.js';
import {strimziProfile} from './strimzi.js';

/**
 * Every built-in naming profile, in the order detection breaks ties (`catch-all` before
 * `confluent`, whose Connect names are a superset of the default format's).
 */
export const profiles: readonly NamingProfile[] = [kctopProfile, catchAllProfile, strimziProfile, confluentProfile, debeziumExamplesProfile];

/** `--profile auto` (the default): detect the profile from the series names. */
export const autoProfileName = 'auto';

/** A profile by its name or an alias (`default` is `kctop`). */
export function findProfile(name: string, candidates: readonly NamingProfile[] = profiles): NamingProfile | undefined {
	return candidates.find((profile) => profile.name === name) ?? candidates.find((profile) => profile.aliases?.includes(name) === true);
}

/** What `--profile` accepts, for help and errors. */
export function profileNames(candidates: readonly NamingProfile[] = profiles): string[] {
	return [autoProfileName, ...candidates.flatMap((profile) => [profile.name, ...(profile.aliases ?? [])])];
}
