import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, Permission, RequirePermission, type Actor } from '@harbour/authz';
import { CreateServiceInput } from './dto/create-service.input';
import { ServicesArgs } from './dto/services.args';
import { UpdateServiceInput } from './dto/update-service.input';
import {
  ServiceOfferingConnection,
  ServiceOfferingModel,
  ServiceOfferingPayload,
} from './models/service-offering.model';
import { ServiceOfferingsService } from './service-offerings.service';

@Resolver(() => ServiceOfferingModel)
export class ServiceOfferingsResolver {
  constructor(private readonly offerings: ServiceOfferingsService) {}

  @Query(() => ServiceOfferingModel, { description: 'One service of the directory. An unknown id gives NOT_FOUND.' })
  @RequirePermission(Permission.DIRECTORY_READ)
  service(@CurrentActor() actor: Actor, @Args('id', { type: () => ID, description: 'Id of the service.' }) id: string) {
    return this.offerings.get(actor, id);
  }

  @Query(() => ServiceOfferingConnection, {
    description:
      'Search the services of the whole network, ordered by name and then id. Filters combine with AND; without a `status` filter every status is listed, INACTIVE included.',
  })
  @RequirePermission(Permission.DIRECTORY_READ)
  services(@CurrentActor() actor: Actor, @Args() args: ServicesArgs) {
    return this.offerings.list(actor, args);
  }

  @Mutation(() => ServiceOfferingPayload, {
    description: 'Publish a service of the acting organization, delivered at some of its own locations.',
  })
  @RequirePermission(Permission.DIRECTORY_MANAGE)
  createService(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The new service.' }) input: CreateServiceInput,
  ) {
    return this.offerings.create(actor, input);
  }

  @Mutation(() => ServiceOfferingPayload, {
    description:
      "Change one of the acting organization's services. Another organization's service gives NOT_FOUND, like an unknown id.",
  })
  @RequirePermission(Permission.DIRECTORY_MANAGE)
  updateService(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, description: 'Id of the service to change.' }) id: string,
    @Args('input', { description: 'The fields to change.' }) input: UpdateServiceInput,
  ) {
    return this.offerings.update(actor, id, input);
  }
}
