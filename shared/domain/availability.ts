import { z } from 'zod';

/** The states a person picks from; 'offline' is also "appear offline". */
export const Availability = z.enum(['online', 'away', 'busy', 'offline']);
export type Availability = z.infer<typeof Availability>;
