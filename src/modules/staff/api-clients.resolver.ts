import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, Permission, RequirePermission, type Actor } from '@harbour/authz';
import { ConnectionArgs, ConnectionType } from '@harbour/graphql-kit';
import { ApiClientsService } from './api-clients.service';
import { CreateApiClientInput } from './dto/create-api-client.input';
import { ApiClientModel, ApiClientPayload, CreateApiClientPayload } from './models/api-client.model';

const ApiClientConnection = ConnectionType(ApiClientModel, 'API client', 'ApiClient');

@Resolver(() => ApiClientModel)
export class ApiClientsResolver {
  constructor(private readonly service: ApiClientsService) {}

  @Query(() => ApiClientConnection, {
    description: "The acting organization's API clients, revoked ones included, oldest first.",
  })
  @RequirePermission(Permission.API_CLIENT_MANAGE)
  apiClients(@CurrentActor() actor: Actor, @Args() args: ConnectionArgs) {
    return this.service.list(actor, args);
  }

  @Mutation(() => CreateApiClientPayload, {
    description: 'Register a partner system. Its API key is returned once and never again.',
  })
  @RequirePermission(Permission.API_CLIENT_MANAGE)
  createApiClient(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'Name and scopes.' }) input: CreateApiClientInput,
  ) {
    return this.service.create(actor, input);
  }

  @Mutation(() => ApiClientPayload, {
    description: 'Revoke an API client: its key stops working on the next request. Revoking again changes nothing.',
  })
  @RequirePermission(Permission.API_CLIENT_MANAGE)
  revokeApiClient(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, description: 'The API client.' }) id: string,
  ) {
    return this.service.revoke(actor, id);
  }
}
