import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, Permission, RequirePermission, type Actor } from '@harbour/authz';
import { CreateOrganizationInput } from './dto/create-organization.input';
import { OrganizationsArgs } from './dto/organizations.args';
import { UpdateOrganizationInput } from './dto/update-organization.input';
import { OrganizationConnection, OrganizationModel, OrganizationPayload } from './models/organization.model';
import { OrganizationsService } from './organizations.service';

@Resolver(() => OrganizationModel)
export class OrganizationsResolver {
  constructor(private readonly service: OrganizationsService) {}

  @Query(() => OrganizationModel, { description: 'One organization of the network. An unknown id gives NOT_FOUND.' })
  @RequirePermission(Permission.DIRECTORY_READ)
  organization(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, description: 'Id of the organization.' }) id: string,
  ) {
    return this.service.get(actor, id);
  }

  @Query(() => OrganizationConnection, {
    description:
      'The organizations of the network, inactive ones included, ordered by name and then id. Filters combine with AND.',
  })
  @RequirePermission(Permission.DIRECTORY_READ)
  organizations(@CurrentActor() actor: Actor, @Args() args: OrganizationsArgs) {
    return this.service.list(actor, args);
  }

  @Mutation(() => OrganizationPayload, {
    description:
      'Admit an organization to the network (network operator only). It starts active, with no staff: invite its first ORG_ADMIN next. A name already taken gives CONFLICT.',
  })
  @RequirePermission(Permission.ORGANIZATION_CREATE)
  createOrganization(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The new organization.' }) input: CreateOrganizationInput,
  ) {
    return this.service.create(actor, input);
  }

  @Mutation(() => OrganizationPayload, {
    description:
      "Change an organization profile. The network operator may change any organization; an organization's own administrators (or API clients with `DIRECTORY_WRITE`) only their own — any other id gives NOT_FOUND. Only the network operator may change `active`.",
  })
  @RequirePermission(Permission.ORGANIZATION_UPDATE_ANY, Permission.ORGANIZATION_UPDATE_OWN)
  updateOrganization(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, description: 'Id of the organization to change.' }) id: string,
    @Args('input', { description: 'The fields to change.' }) input: UpdateOrganizationInput,
  ) {
    return this.service.update(actor, id, input);
  }
}
