/**
 * The presence part of the contract (issue: presence): roster, groups, status, profiles, schedules,
 * watchers. Filled in as the presence services land.
 */
export const presenceCommands = {} as const;

export const presenceEvents = [] as const;
