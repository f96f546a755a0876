import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { Organization } from '../organizations/organization.entity';
import { Location } from './location.entity';
import { LocationsResolver } from './locations.resolver';
import { LocationsService } from './locations.service';
import { OrganizationDirectoryResolver } from './organization-directory.resolver';
import { ServiceOffering } from './service-offering.entity';
import { ServiceOfferingsResolver } from './service-offerings.resolver';
import { ServiceOfferingsService } from './service-offerings.service';

@Module({
  imports: [MikroOrmModule.forFeature([ServiceOffering, Location, Organization])],
  providers: [
    ServiceOfferingsService,
    ServiceOfferingsResolver,
    LocationsService,
    LocationsResolver,
    OrganizationDirectoryResolver,
  ],
})
export class DirectoryModule {}
