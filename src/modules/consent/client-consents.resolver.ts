import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentActor, type Actor } from '@harbour/authz';
import type { GraphQLContext } from '../../auth/request-context';
import { ClientModel } from '../clients';
import { ClientConsentLoaders } from './client-consent-loaders';
import { ClientConsentsArgs } from './dto/client-consents.args';
import { ConsentConnection } from './models/consent.model';

/**
 * `Client.consents`, kept here so that the clients module does not depend on consent. A Client is
 * only ever returned to its own organization, whose permission the operation already checked. The
 * request's loaders batch the consents of every client on a page (see ClientConsentLoaders).
 */
@Resolver(() => ClientModel)
export class ClientConsentsResolver {
  constructor(private readonly loaders: ClientConsentLoaders) {}

  @ResolveField('consents', () => ConsentConnection, {
    description:
      "The client's consents and refusals, newest first (by `givenAt`, then id), with their status right now.",
  })
  consentsOf(
    @CurrentActor() actor: Actor,
    @Parent() client: ClientModel,
    @Args() args: ClientConsentsArgs,
    @Context() context: GraphQLContext,
  ) {
    return this.loaders.of(context, actor).page(client.id, args);
  }
}
