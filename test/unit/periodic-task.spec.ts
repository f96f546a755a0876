import { PeriodicTask } from '../../src/common/periodic-task';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PeriodicTask', () => {
  it('runs every interval, never overlapping its previous run, and stop() awaits the run under way', async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    let finished = 0;
    const task = new PeriodicTask(async () => {
      running += 1;
      runs += 1;
      most = Math.max(most, running);
      await sleep(35); // longer than the interval: ticks meanwhile are skipped
      running -= 1;
      finished += 1;
    });
    task.start(10);
    await sleep(120);
    await task.stop();
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(most).toBe(1);
    expect(finished).toBe(runs);
    const after = runs;
    await sleep(40);
    expect(runs).toBe(after);
  });

  it('runs at once when asked, and never with an interval of 0', async () => {
    let runs = 0;
    const work = () => {
      runs += 1;
      return Promise.resolve();
    };
    const off = new PeriodicTask(work);
    off.start(0, { immediately: true });
    await sleep(20);
    expect(runs).toBe(0);
    const eager = new PeriodicTask(work);
    eager.start(60_000, { immediately: true });
    await eager.stop();
    expect(runs).toBe(1);
  });
});
