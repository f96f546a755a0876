import { AuditCategory, AuditTrail, systemContext } from '@harbour/audit';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Role } from '@harbour/authz';
import { ConflictError } from '@harbour/graphql-kit';
import { normalizeEmail } from '../../auth/auth.service';
import { PasswordHasher } from '../../auth/password-hasher';
import { OrganizationKind } from '../organizations';
import { Organization } from '../organizations/organization.entity';
import { Membership } from './membership.entity';
import { StaffAccount } from './staff-account.entity';

/** Bootstrap of a real network, for the `admin:create` command (not exposed through GraphQL). */
@Injectable()
export class NetworkBootstrap {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditTrail,
  ) {}

  async createNetworkAdmin(input: { email: string; displayName: string; password: string; operatorName: string }) {
    const email = normalizeEmail(input.email);
    const passwordHash = await this.hasher.hash(input.password);
    let operatorId: string | null = null;
    return this.audit.transaction(
      () => systemContext(operatorId),
      async (em, audit) => {
        let operator = await em.findOne(Organization, { isNetworkOperator: true });
        const operatorCreated = !operator;
        operator ??= em.create(Organization, {
          name: input.operatorName,
          description: 'The city office that runs the Harbour referral network.',
          kind: OrganizationKind.CITY_DEPARTMENT,
          isNetworkOperator: true,
        });
        if (await em.count(StaffAccount, { email }))
          throw new ConflictError(`An account with email ${email} already exists.`);
        const account = em.create(StaffAccount, {
          email,
          displayName: input.displayName,
          passwordHash,
          passwordChangedAt: new Date(),
        });
        em.create(Membership, {
          account,
          organization: operator,
          displayName: input.displayName,
          roles: [Role.NETWORK_ADMIN],
        });
        operatorId = operator.id;
        if (operatorCreated)
          audit.record({
            action: 'organization.create',
            category: AuditCategory.CREATE,
            entityType: 'Organization',
            entityId: operator.id,
          });
        audit.record({
          action: 'staff.create',
          category: AuditCategory.CREATE,
          entityType: 'StaffAccount',
          entityId: account.id,
          details: { roles: [Role.NETWORK_ADMIN] },
        });
        await em.flush();
        return { email, operatorName: operator.name, operatorCreated };
      },
    );
  }
}
