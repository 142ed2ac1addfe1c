import type {NamingProfile} from '../types.js';
import {defaultProfile} from './default.js';

/** Every naming profile kctop knows, in detection order (most specific first). */
export const profiles: readonly NamingProfile[] = [defaultProfile];

export function findProfile(name: string, candidates: readonly NamingProfile[] = profiles): NamingProfile | undefined {
	return candidates.find((profile) => profile.name === name);
}
