/**
 * Processes by group, read from /proc (Linux): Kamailio and the test peers run detached, each the
 * leader of a group of its own, so a group is what to stop and what to look for afterwards.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Every live (non-zombie) process of a process group. */
export function processGroupMembers(pgid: number): number[] {
  const members: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp ...; comm may contain spaces, so split after the last ')'
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z' && Number(fields[2]) === pgid) members.push(Number(entry));
    } catch {
      // the process went away while we looked
    }
  }
  return members;
}

/** The environment a process started with, as NAME=value entries, or [] when it cannot be read. */
export function environmentOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * When a process started (clock ticks since boot, /proc/<pid>/stat field 22), or undefined when it
 * is gone. With the pid, it names one process: a pid freed by an exit is soon given to another.
 */
export function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
