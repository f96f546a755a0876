import { AuditCategory, AuditTrail, auditContextOf } from '@harbour/audit';
import { Permission, hasPermission, type Actor } from '@harbour/authz';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  paginate,
  type Connection,
} from '@harbour/graphql-kit';
import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { trainingStatusOf } from '../../auth/models/training-status.model';
import { afterKey, asDate } from '../../common/keyset';
import { TrainingAudience, areaOf, audienceOf } from '../../common/training-audience';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { Membership } from '../staff/membership.entity';
import { StaffAccount } from '../staff/staff-account.entity';
import { AcknowledgeTrainingArgs } from './dto/acknowledge-training.args';
import { PublishTrainingModuleInput } from './dto/publish-training-module.input';
import { TrainingModulesArgs } from './dto/training-modules.args';
import { AcknowledgeTrainingPayload, TrainingModuleModel, TrainingModulePayload } from './models/training-module.model';
import { TrainingAcknowledgement } from './training-acknowledgement.entity';
import { TrainingModule } from './training-module.entity';

function toModel(module: TrainingModule, acknowledged: boolean): TrainingModuleModel {
  return {
    id: module.id,
    audience: audienceOf(module.serviceArea),
    title: module.title,
    summary: module.summary,
    url: module.url,
    version: module.version,
    publishedAt: module.publishedAt,
    acknowledged,
  };
}

/**
 * Training modules: published by the network operator (any audience) or an area's lead (their
 * area), acknowledged by staff version by version. Whether a person may see client data follows
 * from these rows, looked up with the person's roles on every request (ActorLoader) and enforced by
 * the permission guard. Modules are network-wide facts, not client data.
 */
@Injectable()
export class TrainingService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(actor: Actor, args: TrainingModulesArgs): Promise<Connection<TrainingModuleModel>> {
    const where = args.audience ? { serviceArea: areaOf(args.audience) } : {};
    const acknowledged = await this.acknowledgedVersions(actor);
    return paginate(args, 2, {
      rows: ({ limit, after }) =>
        this.em.find(
          TrainingModule,
          { ...where, ...afterKey(after, 'createdAt', asDate) },
          { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], limit },
        ),
      count: () => this.em.count(TrainingModule, where),
      keyOf: (module) => [module.createdAt.toISOString(), module.id],
      toNode: (module) => toModel(module, acknowledged.has(`${module.id}:${module.version}`)),
    });
  }

  async publish(actor: Actor, input: PublishTrainingModuleInput): Promise<TrainingModulePayload> {
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const publishedBy = em.getReference(StaffAccount, actor.id);
      let module: TrainingModule;
      if (input.moduleId) {
        const existing = await em.findOne(TrainingModule, input.moduleId, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (!existing) throw new NotFoundError('Training module', input.moduleId);
        const audience = audienceOf(existing.serviceArea);
        if (input.audience && input.audience !== audience)
          throw new BadUserInputError('A new version keeps its module’s audience.', [
            { field: 'input.audience', message: `must be ${audience}, the module's audience, or omitted` },
          ]);
        await this.requireMayPublish(em, actor, audience);
        module = Object.assign(existing, {
          title: input.title,
          summary: input.summary,
          url: input.url,
          version: existing.version + 1,
          publishedAt: new Date(),
          publishedBy,
        });
      } else {
        if (!input.audience)
          throw new BadUserInputError('A new training module needs an audience.', [
            { field: 'input.audience', message: 'is required for a new module (ALL or a service area)' },
          ]);
        await this.requireMayPublish(em, actor, input.audience);
        module = em.create(TrainingModule, {
          serviceArea: areaOf(input.audience),
          title: input.title,
          summary: input.summary,
          url: input.url,
          publishedBy,
        });
      }
      audit.record({
        action: 'training.publish',
        category: module.version === 1 ? AuditCategory.CREATE : AuditCategory.UPDATE,
        entityType: 'TrainingModule',
        entityId: module.id,
        details: { audience: audienceOf(module.serviceArea), version: module.version },
      });
      await em.flush();
      return { trainingModule: toModel(module, false), warnings: [] };
    });
  }

  /** Acknowledging the current version again changes nothing and answers the same. */
  async acknowledge(actor: Actor, args: AcknowledgeTrainingArgs): Promise<AcknowledgeTrainingPayload> {
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const module = await em.findOne(TrainingModule, args.moduleId);
      if (!module) throw new NotFoundError('Training module', args.moduleId);
      if (args.version !== module.version)
        throw new ConflictError(
          `Version ${args.version} is not the current version of this training module: read version ${module.version} and acknowledge that.`,
          [{ field: 'version', message: `must be the current version, ${module.version}` }],
        );
      await em.execute(
        `insert into training_acknowledgement (id, account_id, module_id, version, acknowledged_at)
         values (gen_random_uuid(), ?, ?, ?, now()) on conflict (account_id, module_id, version) do nothing`,
        [actor.id, module.id, module.version],
      );
      audit.record({
        action: 'training.acknowledge',
        category: AuditCategory.CREATE,
        entityType: 'TrainingModule',
        entityId: module.id,
        details: { version: module.version },
      });
      const after = { ...actor, pendingTraining: actor.pendingTraining.filter((pending) => pending.id !== module.id) };
      return {
        trainingModule: toModel(module, true),
        training: trainingStatusOf(after, this.config.training.required),
        warnings: [],
      };
    });
  }

  /** The network operator publishes for any audience; a lead only for the area they lead (never ALL). */
  private async requireMayPublish(em: EntityManager, actor: Actor, audience: TrainingAudience): Promise<void> {
    if (hasPermission(actor, Permission.TRAINING_PUBLISH_ANY_AREA)) return;
    const membership = await em.findOne(Membership, {
      account: actor.id,
      organization: actor.organizationId,
      active: true,
    });
    const led = membership?.leadServiceArea ?? null;
    if (led === null || areaOf(audience) !== led)
      throw new ForbiddenError(
        `A service area's lead publishes training only for the area they lead${led ? ` (${led})` : ''}; the NETWORK_ADMIN publishes for ALL and every other area.`,
      );
  }

  /** `module:version` of every acknowledgement of the calling person. */
  private async acknowledgedVersions(actor: Actor): Promise<Set<string>> {
    const rows = await this.em.find(TrainingAcknowledgement, { account: actor.id }, { fields: ['module', 'version'] });
    return new Set(rows.map((row) => `${row.module.id}:${row.version}`));
  }
}
