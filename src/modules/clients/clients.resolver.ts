import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, Permission, RequirePermission, ReturnsClientData, type Actor } from '@harbour/authz';
import { ClientsService } from './clients.service';
import { ClientsArgs } from './dto/clients.args';
import { UpdateClientInput } from './dto/update-client.input';
import { ClientConnection, ClientModel, ClientPayload } from './models/client.model';
import { RegisterClientInput } from './dto/register-client.input';

@Resolver(() => ClientModel)
export class ClientsResolver {
  constructor(private readonly service: ClientsService) {}

  @Query(() => ClientModel, {
    description:
      "One of your organization's clients. Another organization's client gives NOT_FOUND, like an unknown id. The read is recorded in the audit log (`client.read`, purpose CASE_MANAGEMENT) before the data is returned; if it cannot be recorded, no data is returned.",
  })
  @RequirePermission(Permission.CLIENT_READ)
  @ReturnsClientData()
  client(@CurrentActor() actor: Actor, @Args('id', { type: () => ID, description: 'Id of the client.' }) id: string) {
    return this.service.get(actor, id);
  }

  @Query(() => ClientConnection, {
    description:
      "Your organization's clients — never another organization's, whatever the arguments — ordered by preferred name and then id. Every client on the page is recorded in the audit log (`client.read`, one event each, in one statement) before the page is returned.",
  })
  @RequirePermission(Permission.CLIENT_READ)
  @ReturnsClientData()
  clients(@CurrentActor() actor: Actor, @Args() args: ClientsArgs) {
    return this.service.list(actor, args);
  }

  @Mutation(() => ClientPayload, {
    description:
      'Register a client of the acting organization, with as little as a preferred name. The payload warns (and still registers) when free text seems to mention status information.',
  })
  @RequirePermission(Permission.CLIENT_WRITE)
  @ReturnsClientData()
  registerClient(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The new client.' }) input: RegisterClientInput,
  ) {
    return this.service.register(actor, input);
  }

  @Mutation(() => ClientPayload, {
    description:
      "Change one of your organization's clients. Another organization's client gives NOT_FOUND, like an unknown id. The payload warns (and still saves) when free text seems to mention status information.",
  })
  @RequirePermission(Permission.CLIENT_WRITE)
  @ReturnsClientData()
  updateClient(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, description: 'Id of the client to change.' }) id: string,
    @Args('input', { description: 'The fields to change.' }) input: UpdateClientInput,
  ) {
    return this.service.update(actor, id, input);
  }
}
