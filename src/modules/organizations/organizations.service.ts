import { AuditCategory, AuditTrail, auditContextOf, presentFields } from '@harbour/audit';
import { UniqueConstraintViolationException, type FilterQuery } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Permission, hasPermission, type Actor } from '@harbour/authz';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  applyPresent,
  paginate,
  type Connection,
} from '@harbour/graphql-kit';
import { CreateOrganizationInput } from './dto/create-organization.input';
import { OrganizationsArgs, OrganizationsFilterInput } from './dto/organizations.args';
import { UpdateOrganizationInput } from './dto/update-organization.input';
import { OrganizationModel, OrganizationPayload } from './models/organization.model';
import { Organization } from './organization.entity';
import { toOrganizationModel } from './organization.mapper';
import { afterNameId, nameIdKey } from '../../common/keyset';
import { containsPattern } from '../../common/text';
import { isId } from '../../common/ids';
import { AccessGate } from '../../access/access-gate';

const NAME_UNIQUE_CONSTRAINT = 'organization_name_unique';

/**
 * Organization profiles. The directory is readable by every caller; who may change a profile comes
 * from the permission held: ORGANIZATION_UPDATE_ANY reaches every organization,
 * ORGANIZATION_UPDATE_OWN only the acting one (any other is NOT_FOUND, like an unknown id).
 */
@Injectable()
export class OrganizationsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditTrail,
    private readonly access: AccessGate,
  ) {}

  async get(actor: Actor, id: string): Promise<OrganizationModel> {
    const organization = isId(id) ? await this.em.findOne(Organization, id) : null;
    if (!organization) throw new NotFoundError('Organization', id);
    return toOrganizationModel(organization);
  }

  /** Inactive organizations are listed too (their `active` says so), ordered by name, then id. */
  list(actor: Actor, args: OrganizationsArgs): Promise<Connection<OrganizationModel>> {
    const where = filterOf(args.filter);
    return paginate(args, 2, {
      rows: ({ limit, after }) =>
        this.em.find(
          Organization,
          { $and: [where, afterNameId(after)] },
          { orderBy: [{ name: 'asc' }, { id: 'asc' }], limit },
        ),
      count: () => this.em.count(Organization, where),
      keyOf: (row) => nameIdKey(row),
      toNode: toOrganizationModel,
    });
  }

  /** Admits an organization. The network operator exists from bootstrap on: this never makes another. */
  async create(actor: Actor, input: CreateOrganizationInput): Promise<OrganizationPayload> {
    return withUniqueName(() =>
      this.audit.transaction(auditContextOf(actor), async (em, audit) => {
        const organization = em.create(Organization, {
          name: input.name,
          alternateName: input.alternateName ?? null,
          description: input.description,
          kind: input.kind,
          email: input.email ?? null,
          website: input.website ?? null,
          phone: input.phone ?? null,
          serviceAreas: input.serviceAreas ?? [],
          isNetworkOperator: false,
        });
        audit.record({
          action: 'organization.create',
          category: AuditCategory.CREATE,
          entityType: 'Organization',
          entityId: organization.id,
        });
        await em.flush();
        return { organization: toOrganizationModel(organization), warnings: [] };
      }),
    );
  }

  async update(actor: Actor, id: string, input: UpdateOrganizationInput): Promise<OrganizationPayload> {
    return withUniqueName(() =>
      this.audit.transaction(auditContextOf(actor), async (em, audit) => {
        const organization = await this.access.require(em, actor, 'Organization', id);
        if (input.active !== undefined) requireMayChangeActive(actor, organization, input.active);
        applyPresent(organization, {
          name: input.name,
          alternateName: input.alternateName,
          description: input.description,
          kind: input.kind,
          email: input.email,
          website: input.website,
          phone: input.phone,
          serviceAreas: input.serviceAreas,
          active: input.active,
        });
        audit.record({
          action: 'organization.update',
          category: AuditCategory.UPDATE,
          entityType: 'Organization',
          entityId: organization.id,
          details: { fields: presentFields(input) },
        });
        // Flush before mapping so that `updatedAt` is the stored one.
        await em.flush();
        return { organization: toOrganizationModel(organization), warnings: [] };
      }),
    );
  }
}

function filterOf(filter: OrganizationsFilterInput | null | undefined): FilterQuery<Organization> {
  const where: FilterQuery<Organization> & object = {};
  if (filter?.kind) where.kind = filter.kind;
  if (filter?.serviceArea) where.serviceAreas = { $contains: [filter.serviceArea] };
  if (filter?.text) {
    const pattern = containsPattern(filter.text);
    where.$or = [
      { name: { $ilike: pattern } },
      { alternateName: { $ilike: pattern } },
      { description: { $ilike: pattern } },
    ];
  }
  return where;
}

/**
 * Deactivation shuts an organization's staff and API clients out of the network, so only the network
 * operator decides it — and never for itself, which would shut everybody out.
 */
function requireMayChangeActive(actor: Actor, organization: Organization, active: boolean): void {
  if (!hasPermission(actor, Permission.ORGANIZATION_UPDATE_ANY)) {
    throw new ForbiddenError('Only the network operator can deactivate or reactivate an organization.');
  }
  if (organization.isNetworkOperator && !active) {
    throw new BadUserInputError('The network operator cannot be deactivated.', [
      { field: 'input.active', message: 'the network operator cannot be deactivated' },
    ]);
  }
}

async function withUniqueName<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (
      error instanceof UniqueConstraintViolationException &&
      (error as { constraint?: string }).constraint === NAME_UNIQUE_CONSTRAINT
    ) {
      throw new ConflictError('An organization with this name already exists.');
    }
    throw error;
  }
}
