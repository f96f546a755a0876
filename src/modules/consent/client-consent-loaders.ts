import type { Actor } from '@harbour/authz';
import { PerRequest, type Connection } from '@harbour/graphql-kit';
import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { ConsentStatus } from './consent.enums';
import { ConsentsService } from './consents.service';
import { ClientConsentsArgs } from './dto/client-consents.args';
import { ConsentModel } from './models/consent.model';

interface PageKey {
  clientId: string;
  args: ClientConsentsArgs;
}

interface CountKey {
  clientId: string;
  status: ConsentStatus | null;
}

const argsKeyOf = (args: ClientConsentsArgs) => JSON.stringify([args.first, args.after ?? null, args.status ?? null]);
const pageKeyOf = (key: PageKey) => `${key.clientId}:${argsKeyOf(key.args)}`;
const countKeyOf = (key: CountKey) => `${key.clientId}:${key.status ?? ''}`;

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/**
 * The `Client.consents` connections asked for in one request, loaded together: the pages of every
 * client asked with the same arguments in one statement, the organizations they name in one more,
 * and their counts in one, only when `totalCount` is selected.
 */
export class RequestClientConsents {
  private readonly pages: DataLoader<PageKey, Connection<ConsentModel>, string>;
  private readonly counts: DataLoader<CountKey, number, string>;

  constructor(consents: ConsentsService, actor: Actor) {
    this.counts = new DataLoader(
      async (keys) => {
        const counted = new Map<string, number>();
        await Promise.all(
          [...groupBy(keys, (key) => key.status ?? '').values()].map(async (group) => {
            const { status } = group[0];
            const counts = await consents.countsOfClients(
              actor,
              group.map((key) => key.clientId),
              status,
            );
            for (const [clientId, n] of counts) counted.set(countKeyOf({ clientId, status }), n);
          }),
        );
        return keys.map((key) => counted.get(countKeyOf(key)) ?? 0);
      },
      { cacheKeyFn: countKeyOf },
    );
    this.pages = new DataLoader(
      async (keys) => {
        // One group per set of arguments: within a request, usually one (the same field on every client of a page).
        const loaded = new Map<string, Connection<ConsentModel> | Error>();
        await Promise.all(
          [...groupBy(keys, (key) => argsKeyOf(key.args)).values()].map(async (group) => {
            const { args } = group[0];
            const status = args.status ?? null;
            try {
              const connections = await consents.pagesOfClients(
                actor,
                args,
                group.map((key) => key.clientId),
                (clientId) => this.counts.load({ clientId, status }),
              );
              for (const [clientId, connection] of connections) loaded.set(pageKeyOf({ clientId, args }), connection);
            } catch (error) {
              // A bad cursor fails the connections asked with it, not the other clients' (DataLoader takes an Error per key).
              for (const key of group)
                loaded.set(pageKeyOf(key), error instanceof Error ? error : new Error(String(error)));
            }
          }),
        );
        return keys.map(
          (key) => loaded.get(pageKeyOf(key)) ?? new Error(`no consents loaded for client ${key.clientId}`),
        );
      },
      { cacheKeyFn: pageKeyOf },
    );
  }

  /** `Client.consents` of one client, newest first (see ConsentsService.pagesOfClients). */
  page(clientId: string, args: ClientConsentsArgs): Promise<Connection<ConsentModel>> {
    return this.pages.load({ clientId, args });
  }
}

/** One set of `Client.consents` loaders per GraphQL request, so that nothing is cached across requests. */
@Injectable()
export class ClientConsentLoaders {
  private readonly perRequest = new PerRequest<RequestClientConsents>();

  constructor(private readonly consents: ConsentsService) {}

  of(context: object, actor: Actor): RequestClientConsents {
    return this.perRequest.of(context, () => new RequestClientConsents(this.consents, actor));
  }
}
