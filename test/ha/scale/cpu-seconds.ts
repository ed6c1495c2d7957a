import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far, from /proc; 0 once it is gone. */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    // Fields after the command name (which may hold spaces): state is the 3rd field, utime the 14th, stime the 15th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds per named group of processes, as a difference between two readings. */
export class CpuSplit {
  private readonly start: Map<string, number>;

  constructor(private readonly groups: Record<string, () => (number | undefined)[]>) {
    this.start = this.read();
  }

  private read(): Map<string, number> {
    return new Map(
      Object.entries(this.groups).map(([name, pids]) => [
        name,
        pids().reduce<number>((sum, pid) => sum + cpuSeconds(pid), 0),
      ]),
    );
  }

  /** `name X s, …` since the constructor. */
  since(): string {
    const now = this.read();
    return [...now].map(([name, seconds]) => `${name} ${(seconds - this.start.get(name)!).toFixed(1)} s`).join(', ');
  }
}
