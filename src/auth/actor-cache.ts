import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PgListener } from '../database/notifications/pg-listener';

/**
 * The channel on which PostgreSQL tells every server process that something an actor is built
 * from changed. Triggers on the tables send it (migration `…_actor_cache_notify`) at the change's
 * commit, whatever made it: this application, another process, a CLI or an operator's SQL.
 */
export const ACTORS_CHANGED_CHANNEL = 'harbour_actors_changed';

/** A bound on what is kept: past it the cache starts afresh (people and keys in use fit many times over). */
const MAX_ENTRIES = 10_000;

/**
 * What credentials resolved to, kept between requests so that an authenticated request does not
 * look its caller up again — and emptied whenever anything it was built from changes, so that a
 * deactivation, role change, revocation, password change, new training module or acknowledgement
 * still takes effect on the very next request, in every server process:
 *
 * - Each change notifies `harbour_actors_changed` at its commit (database triggers), and every
 *   process empties its cache when it hears it on its LISTEN connection.
 * - Before a kept credential is used, the process makes sure it has heard every notification
 *   committed before the request arrived (`PgListener.sync`: one round trip on the LISTEN
 *   connection, shared by the requests that arrive meanwhile). A change whose answer the caller
 *   has already seen was committed before their next request, wherever that request lands.
 * - While the LISTEN connection is down (before it first opens, after it drops) nothing is served
 *   from the cache and nothing kept; when it listens again, the cache starts empty.
 * - A lookup that began before the cache was emptied does not keep its answer (the generation
 *   check): it may have read the state from before the change.
 *
 * What this saves per request is the lookup statement through the request pool (a join of three
 * tables, its rows and the pool's bookkeeping), for a `select 1` on a connection of its own that
 * concurrent requests share.
 */
@Injectable()
export class ActorCache implements OnModuleInit {
  private readonly entries = new Map<string, unknown>();
  private generation = 0;

  constructor(private readonly listener: PgListener) {}

  onModuleInit(): void {
    this.listener.on(ACTORS_CHANGED_CHANNEL, {
      notified: () => this.forgetAll(),
      connectionChanged: () => this.forgetAll(),
    });
  }

  /**
   * The value kept for `key`, or what `load` finds: kept when it found something and nothing changed
   * meanwhile. A refusal (null) is not kept: unknown keys would only crowd out the ones in use.
   */
  async get<T extends object>(key: string, load: () => Promise<T | null>): Promise<T | null> {
    if (!this.listener.isListening) {
      this.listener.listenSoon();
      return load();
    }
    if (this.entries.has(key)) {
      const generation = this.generation;
      const heard = await this.listener.sync().then(
        () => true,
        () => false,
      );
      if (heard && generation === this.generation && this.entries.has(key)) return this.entries.get(key) as T;
    }
    const generation = this.generation;
    const value = await load();
    if (value !== null && generation === this.generation && this.listener.isListening) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, value);
    }
    return value;
  }

  /** Number of credentials kept (for tests and the benchmark). */
  get size(): number {
    return this.entries.size;
  }

  private forgetAll(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
