// CPU time spent by each process of a running `npm start` (gateway, subgraphs, PostgreSQL), read from /proc, so a
// benchmark can report milliseconds of CPU per request where they are spent instead of guessing from latency.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime: 100 on every Linux this runs on (USER_HZ). */
const TICKS_PER_SECOND = 100;

interface ProcessInfo {
  pid: number;
  ppid: number;
  cmdline: string;
  /** utime + stime, in ticks. */
  ticks: number;
  /** cutime + cstime: what its children that exited used, in ticks. */
  childTicks: number;
}

function readProcess(pid: number): ProcessInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: the fields after it start at the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    return { pid, ppid: Number(fields[1]), cmdline, ticks: Number(fields[11]) + Number(fields[12]), childTicks: Number(fields[13]) + Number(fields[14]) };
  } catch {
    return null; // gone, or not ours to read
  }
}

function allProcesses(): ProcessInfo[] {
  if (process.platform !== 'linux') return [];
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((info): info is ProcessInfo => info !== null);
}

/**
 * The processes of each service: `gateway`, a subgraph's name, or `postgres`. A group with `withChildren` counts its
 * children too, those alive at each reading and those that exited (their time is added to the parent's cutime and
 * cstime): PostgreSQL forks a backend per connection, and pools open and close connections during a run.
 */
export type ProcessGroups = Record<string, { pids: number[]; withChildren: boolean }>;

/**
 * The processes of the `npm start` whose launcher is `rootPid`, found among its descendants so another graph running
 * on the machine is never counted: node services by their entry file, and the PostgreSQL server (the topmost
 * `postgres` process, whose backends are its children). Empty off Linux.
 */
export function findStackProcesses(rootPid: number): ProcessGroups {
  const processes = allProcesses();
  const descendants = new Set([rootPid]);
  // Parents come before children in /proc's order only usually: repeat until nothing is added.
  for (let added = true; added; ) {
    added = false;
    for (const info of processes) {
      if (descendants.has(info.ppid) && !descendants.has(info.pid)) {
        descendants.add(info.pid);
        added = true;
      }
    }
  }
  const groups: ProcessGroups = {};
  for (const info of processes.filter((p) => descendants.has(p.pid))) {
    const service = /(gateway|subgraphs\/(identity|organizations|billing))\/dist\/index\.js/.exec(info.cmdline);
    if (service) (groups[service[2] ?? 'gateway'] ??= { pids: [], withChildren: false }).pids.push(info.pid);
    const parent = processes.find((p) => p.pid === info.ppid);
    if (/\bpostgres\b/.test(info.cmdline) && info.cmdline.includes(' -D ') && !parent?.cmdline.includes(' -D ')) groups.postgres = { pids: [info.pid], withChildren: true };
  }
  return groups;
}

/** CPU milliseconds each group has used so far. */
export function cpuMilliseconds(groups: ProcessGroups): Record<string, number> {
  const processes = Object.values(groups).some((group) => group.withChildren) ? allProcesses() : [];
  return Object.fromEntries(
    Object.entries(groups).map(([name, group]) => {
      let ticks = 0;
      for (const pid of group.pids) {
        const info = readProcess(pid);
        if (!info) continue;
        ticks += info.ticks;
        if (group.withChildren) ticks += info.childTicks + processes.filter((child) => child.ppid === pid).reduce((sum, child) => sum + child.ticks, 0);
      }
      return [name, ticks * (1000 / TICKS_PER_SECOND)];
    }),
  );
}

/** CPU milliseconds per request of each group between two readings. */
export function perRequest(before: Record<string, number>, after: Record<string, number>, requests: number): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((name) => [name, requests > 0 ? (after[name] - (before[name] ?? 0)) / requests : 0]));
}
