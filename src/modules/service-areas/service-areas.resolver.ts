import { Query, Resolver } from '@nestjs/graphql';
import { Permission, RequirePermission } from '@harbour/authz';
import { ServiceAreaOverview } from './models/service-area-overview.model';
import { ServiceAreasService } from './service-areas.service';

@Resolver(() => ServiceAreaOverview)
export class ServiceAreasResolver {
  constructor(private readonly areas: ServiceAreasService) {}

  @Query(() => [ServiceAreaOverview], {
    description:
      'Every area of the fixed service-area list, in its order: its lead (at most one, named by the NETWORK_ADMIN with `setStaffRoles`), how many organizations and active services work in it, and whether it needs a lead. A short, fixed list, so not paginated. For every signed-in caller, like the directory; no client data.',
  })
  @RequirePermission(Permission.DIRECTORY_READ)
  serviceAreas() {
    return this.areas.overview();
  }
}
