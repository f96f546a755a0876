import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentActor, Permission, RequirePermission, type Actor } from '@harbour/authz';
import { CreateLocationInput } from './dto/create-location.input';
import { UpdateLocationInput } from './dto/update-location.input';
import { LocationsService } from './locations.service';
import { LocationModel, LocationPayload } from './models/location.model';

@Resolver(() => LocationModel)
export class LocationsResolver {
  constructor(private readonly locations: LocationsService) {}

  @Mutation(() => LocationPayload, {
    description:
      'Add a location of the acting organization. Attach it to services with `createService` or `updateService` (`locationIds`).',
  })
  @RequirePermission(Permission.DIRECTORY_MANAGE)
  createLocation(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The new location.' }) input: CreateLocationInput,
  ) {
    return this.locations.create(actor, input);
  }

  @Mutation(() => LocationPayload, {
    description:
      "Change one of the acting organization's locations. Another organization's location gives NOT_FOUND, like an unknown id.",
  })
  @RequirePermission(Permission.DIRECTORY_MANAGE)
  updateLocation(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, description: 'Id of the location to change.' }) id: string,
    @Args('input', { description: 'The fields to change.' }) input: UpdateLocationInput,
  ) {
    return this.locations.update(actor, id, input);
  }
}
