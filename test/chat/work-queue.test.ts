import { describe, expect, it } from 'vitest';
import { createWorkQueue } from '../../src/chat/work-queue.js';

/** A piece of work that finishes when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('the work queue', () => {
  it('GIVEN more work than its concurrency THEN at most that many run at once, and the rest start in arrival order', async () => {
    const queue = createWorkQueue(2);
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    let busy = 0;
    let most = 0;
    const done = gates.map((g, i) => queue.run(async () => {
      started.push(i);
      busy += 1;
      most = Math.max(most, busy);
      await g.opened;
      busy -= 1;
      return i * 10;
    }));
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect([queue.running, queue.waiting]).toEqual([2, 3]);
    for (const i of [1, 0, 2, 3, 4]) {
      gates[i]!.open();
      await done[i];
    }
    expect(await Promise.all(done)).toEqual([0, 10, 20, 30, 40]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
    expect([queue.running, queue.waiting]).toEqual([0, 0]);
  });

  it('GIVEN work that fails THEN its caller gets the error and the next piece still runs', async () => {
    const queue = createWorkQueue(1);
    const failing = queue.run(() => Promise.reject(new Error('database gone')));
    const next = queue.run(() => Promise.resolve('answered'));
    await expect(failing).rejects.toThrow('database gone');
    await expect(next).resolves.toBe('answered');
    expect(queue.running).toBe(0);
  });

  it('GIVEN urgent work (a modal submission) THEN it starts at once, work already running goes on, and queued work gets the places it does not hold (one of two) until it is done', async () => {
    const queue = createWorkQueue(2);
    const gates = Array.from({ length: 4 }, gate);
    const started: string[] = [];
    const lookups = [0, 1, 2].map((i) => queue.run(async () => {
      started.push(`lookup ${i}`);
      await gates[i]!.opened;
    }));
    await Promise.resolve();
    expect(started).toEqual(['lookup 0', 'lookup 1']);
    const report = queue.urgent(async () => {
      started.push('report');
      await gates[3]!.opened;
      return 'stored';
    });
    expect(started).toEqual(['lookup 0', 'lookup 1', 'report']);
    gates[0]!.open();
    await lookups[0];
    // A place is free, but while the report runs lookups get one of the two: lookup 2 waits.
    expect(started).toEqual(['lookup 0', 'lookup 1', 'report']);
    expect([queue.running, queue.waiting]).toEqual([1, 1]);
    gates[3]!.open();
    expect(await report).toBe('stored');
    await Promise.resolve();
    expect(started).toEqual(['lookup 0', 'lookup 1', 'report', 'lookup 2']);
    gates[1]!.open();
    gates[2]!.open();
    await Promise.all(lookups);
    expect([queue.running, queue.waiting]).toEqual([0, 0]);
  });

  it('GIVEN more urgent work than a quarter of the places (five people submitting at once) THEN a quarter run, the rest wait in arrival order, and lookups keep the other three quarters', async () => {
    const queue = createWorkQueue(8);
    const gates = Array.from({ length: 12 }, gate);
    const started: string[] = [];
    const reports = [0, 1, 2, 3, 4].map((i) => queue.urgent(async () => {
      started.push(`report ${i}`);
      await gates[i]!.opened;
    }));
    const lookups = [5, 6, 7, 8, 9, 10, 11].map((i) => queue.run(async () => {
      started.push(`lookup ${i}`);
      await gates[i]!.opened;
    }));
    await Promise.resolve();
    // Two of eight places for reports, six for lookups: the seventh lookup waits.
    expect(started).toEqual(['report 0', 'report 1', 'lookup 5', 'lookup 6', 'lookup 7', 'lookup 8', 'lookup 9', 'lookup 10']);
    expect([queue.running, queue.waiting]).toEqual([6, 1]);
    gates[1]!.open();
    await reports[1];
    await Promise.resolve();
    // The next report in line takes the place a report gave back, not the waiting lookup.
    expect(started.slice(8)).toEqual(['report 2']);
    gates[0]!.open();
    gates[2]!.open();
    await Promise.all([reports[0], reports[2]]);
    await Promise.resolve();
    expect(started.slice(8)).toEqual(['report 2', 'report 3', 'report 4']);
    for (const g of gates) g.open();
    await Promise.all([...reports, ...lookups]);
    expect(started.slice(11)).toEqual(['lookup 11']);
    expect([queue.running, queue.waiting]).toEqual([0, 0]);
    // Places are all given back: eight lookups start at once again.
    const free = gate();
    const again = Array.from({ length: 8 }, () => queue.run(() => free.opened));
    expect(queue.running).toBe(8);
    free.open();
    await Promise.all(again);
  });

  it('GIVEN one place THEN urgent work still starts at once and a lookup keeps its one place beside it', async () => {
    const queue = createWorkQueue(1);
    const gates = Array.from({ length: 3 }, gate);
    const started: string[] = [];
    const lookups = [0, 1].map((i) => queue.run(async () => {
      started.push(`lookup ${i}`);
      await gates[i]!.opened;
    }));
    const report = queue.urgent(async () => {
      started.push('report');
      await gates[2]!.opened;
    });
    await Promise.resolve();
    expect(started).toEqual(['lookup 0', 'report']);
    gates[0]!.open();
    await lookups[0];
    await Promise.resolve();
    expect(started).toEqual(['lookup 0', 'report', 'lookup 1']);
    for (const g of gates) g.open();
    await Promise.all([...lookups, report]);
    expect([queue.running, queue.waiting]).toEqual([0, 0]);
  });

  it('GIVEN urgent work that fails THEN its caller gets the error and queued work is not held', async () => {
    const queue = createWorkQueue(1);
    const hold = gate();
    const first = queue.run(() => hold.opened);
    const waiting = queue.run(() => Promise.resolve('answered'));
    await expect(queue.urgent(() => Promise.reject(new Error('database gone')))).rejects.toThrow('database gone');
    hold.open();
    await first;
    await expect(waiting).resolves.toBe('answered');
  });

  it('GIVEN a concurrency below one THEN it refuses', () => {
    expect(() => createWorkQueue(0)).toThrow(RangeError);
  });
});
