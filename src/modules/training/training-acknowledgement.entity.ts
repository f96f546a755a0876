import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { StaffAccount } from '../staff/staff-account.entity';
import { TrainingModule } from './training-module.entity';

/**
 * A person's acknowledgement of one version of a training module. Kept for every version: a new
 * version needs a new acknowledgement, and the old ones say who had been trained on what.
 */
@Entity({ tableName: 'training_acknowledgement' })
@Unique({ properties: ['account', 'module', 'version'] })
export class TrainingAcknowledgement {
  [OptionalProps]?: 'acknowledgedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => StaffAccount, { deleteRule: 'restrict' })
  account: StaffAccount;

  @ManyToOne(() => TrainingModule, { deleteRule: 'restrict' })
  module: TrainingModule;

  @Property({ type: 'integer' })
  version: number;

  @Property({ type: 'timestamptz' })
  acknowledgedAt: Date = new Date();
}
