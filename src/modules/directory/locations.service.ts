import { AuditCategory, AuditTrail, auditContextOf, presentFields } from '@harbour/audit';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Actor } from '@harbour/authz';
import { ConnectionArgs, applyPresent, paginate, requireNoProblems, type Connection } from '@harbour/graphql-kit';
import { Organization } from '../organizations/organization.entity';
import { CreateLocationInput } from './dto/create-location.input';
import { UpdateLocationInput } from './dto/update-location.input';
import { Location } from './location.entity';
import { toLocationModel } from './location.mapper';
import { LocationModel, LocationPayload } from './models/location.model';
import { afterNameId, nameIdKey } from '../../common/keyset';
import { locationProblems } from './directory-rules';
import { AccessGate } from '../../access/access-gate';

/** Locations are written only by their own organization and read by everyone through toLocationModel. */
@Injectable()
export class LocationsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditTrail,
    private readonly access: AccessGate,
  ) {}

  /** `Organization.locations`: by name, then id; confidential ones redacted for other organizations. */
  listOfOrganization(actor: Actor, organizationId: string, args: ConnectionArgs): Promise<Connection<LocationModel>> {
    const where = { organization: organizationId };
    return paginate(args, 2, {
      rows: ({ limit, after }) =>
        this.em.find(
          Location,
          { ...where, ...afterNameId(after) },
          { orderBy: [{ name: 'asc' }, { id: 'asc' }], limit },
        ),
      count: () => this.em.count(Location, where),
      keyOf: (row) => nameIdKey(row),
      toNode: (location) => toLocationModel(actor, location),
    });
  }

  async create(actor: Actor, input: CreateLocationInput): Promise<LocationPayload> {
    const fields = {
      name: input.name,
      kind: input.kind,
      description: input.description ?? null,
      addressLine1: input.addressLine1 ?? null,
      addressLine2: input.addressLine2 ?? null,
      city: input.city ?? null,
      region: input.region ?? null,
      postalCode: input.postalCode ?? null,
      latitude: input.latitude ?? null,
      longitude: input.longitude ?? null,
      url: input.url ?? null,
      confidential: input.confidential ?? false,
    };
    requireNoProblems(locationProblems(fields));
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const location = em.create(Location, {
        ...fields,
        organization: em.getReference(Organization, actor.organizationId),
      });
      audit.record({
        action: 'location.create',
        category: AuditCategory.CREATE,
        entityType: 'Location',
        entityId: location.id,
      });
      await em.flush();
      return { location: toLocationModel(actor, location), warnings: [] };
    });
  }

  async update(actor: Actor, id: string, input: UpdateLocationInput): Promise<LocationPayload> {
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const location = await this.access.require(em, actor, 'Location', id);
      applyPresent(location, {
        name: input.name,
        kind: input.kind,
        description: input.description,
        addressLine1: input.addressLine1,
        addressLine2: input.addressLine2,
        city: input.city,
        region: input.region,
        postalCode: input.postalCode,
        latitude: input.latitude,
        longitude: input.longitude,
        url: input.url,
        confidential: input.confidential,
      });
      requireNoProblems(locationProblems(location));
      audit.record({
        action: 'location.update',
        category: AuditCategory.UPDATE,
        entityType: 'Location',
        entityId: location.id,
        details: { fields: presentFields(input) },
      });
      await em.flush();
      return { location: toLocationModel(actor, location), warnings: [] };
    });
  }
}
