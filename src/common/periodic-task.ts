/**
 * A piece of work a server process does on a schedule (the expiry sweep, the retention sweep, the
 * idempotency purge): every `intervalMs`, never overlapping its previous run in this process (other
 * processes keep apart with row locks of their own), stopped and awaited at shutdown. The work
 * catches and logs its own failures, so that the next tick simply runs it again.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly work: () => Promise<void>) {}

  /** Runs the work every `intervalMs` (0: never), and at once when `immediately`. */
  start(intervalMs: number, { immediately = false } = {}): void {
    if (intervalMs === 0) return;
    if (immediately) this.tick();
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  /** No further runs; resolves when the one under way, if any, has ended. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    this.running ??= this.work().finally(() => (this.running = undefined));
  }
}
