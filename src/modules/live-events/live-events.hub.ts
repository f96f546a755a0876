import { Injectable } from '@nestjs/common';
import type { LiveEvent } from './live-event';

/** One subscriber's view of the hub: which events it takes, and what happens when it falls behind. */
export interface LiveSubscriberOptions {
  accepts(event: LiveEvent): boolean;
  /** Events waiting at most; one more and `overflow` is called and the subscription ends. */
  readonly bufferEvents: number;
  overflow(): void;
}

/** A bounded queue of events as an async iterator: what a GraphQL subscription reads. */
class LiveSubscriber implements AsyncIterableIterator<LiveEvent> {
  private readonly queue: LiveEvent[] = [];
  private waiting: ((result: IteratorResult<LiveEvent>) => void) | undefined;
  private ended = false;

  constructor(
    private readonly options: LiveSubscriberOptions,
    private readonly onEnd: (subscriber: LiveSubscriber) => void,
  ) {}

  push(event: LiveEvent): void {
    if (this.ended || !this.options.accepts(event)) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: event, done: false });
      return;
    }
    if (this.queue.length >= this.options.bufferEvents) {
      this.end();
      this.options.overflow();
      return;
    }
    this.queue.push(event);
  }

  next(): Promise<IteratorResult<LiveEvent>> {
    const event = this.queue.shift();
    if (event) return Promise.resolve({ value: event, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<LiveEvent>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<LiveEvent> {
    return this;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue.length = 0;
    this.onEnd(this);
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve?.({ value: undefined, done: true });
  }
}

/**
 * The in-process pub/sub of live events: the listener publishes each notification's events, every
 * subscriber takes those it accepts into its own bounded queue. Memory is bounded by subscribers ×
 * `bufferEvents`: a subscriber that does not keep up is ended (and its connection closed) instead.
 */
@Injectable()
export class LiveEventsHub {
  private readonly subscribers = new Set<LiveSubscriber>();

  /** Subscribers in this process (for tests and health). */
  get size(): number {
    return this.subscribers.size;
  }

  subscribe(options: LiveSubscriberOptions): AsyncIterableIterator<LiveEvent> {
    const subscriber = new LiveSubscriber(options, (ended) => this.subscribers.delete(ended));
    this.subscribers.add(subscriber);
    return subscriber;
  }

  publish(events: readonly LiveEvent[]): void {
    for (const subscriber of [...this.subscribers]) for (const event of events) subscriber.push(event);
  }
}
