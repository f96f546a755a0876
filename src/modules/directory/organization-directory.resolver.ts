import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentActor, type Actor } from '@harbour/authz';
import { ConnectionArgs } from '@harbour/graphql-kit';
import { OrganizationModel } from '../organizations';
import { LocationsService } from './locations.service';
import { LocationConnection } from './models/location.model';
import { ServiceOfferingConnection } from './models/service-offering.model';
import { ServiceOfferingsService } from './service-offerings.service';

/**
 * The directory's fields on Organization, kept here so that the organizations module does not
 * depend on the directory. Field resolvers need no permission of their own: the operation that
 * returned the organization was checked, and the directory is readable by every caller.
 */
@Resolver(() => OrganizationModel)
export class OrganizationDirectoryResolver {
  constructor(
    private readonly offerings: ServiceOfferingsService,
    private readonly locationsService: LocationsService,
  ) {}

  @ResolveField('services', () => ServiceOfferingConnection, {
    description: "The organization's services, every status, ordered by name and then id.",
  })
  services(@CurrentActor() actor: Actor, @Parent() organization: OrganizationModel, @Args() args: ConnectionArgs) {
    return this.offerings.listOfOrganization(actor, organization.id, args);
  }

  @ResolveField('locations', () => LocationConnection, {
    description:
      "The organization's locations, ordered by name and then id. Confidential ones show their whereabouts only to the organization itself.",
  })
  locations(@CurrentActor() actor: Actor, @Parent() organization: OrganizationModel, @Args() args: ConnectionArgs) {
    return this.locationsService.listOfOrganization(actor, organization.id, args);
  }
}
