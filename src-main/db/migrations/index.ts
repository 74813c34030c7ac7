import { InitialSchema1764100000000 } from './1764100000000-initial-schema';

/** Every migration this build knows, oldest first. A database that ran one not listed here is newer than us. */
export const MIGRATIONS = [InitialSchema1764100000000];
