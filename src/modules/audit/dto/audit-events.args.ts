import { ArgsType, Field, GraphQLISODateTime, ID, InputType } from '@nestjs/graphql';
import { AuditOutcome, NETWORK_CHAIN } from '@harbour/audit';
import { ConnectionArgs } from '@harbour/graphql-kit';
import { Type } from 'class-transformer';
import {
  IsDate,
  IsEnum,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export const AUDIT_ACTION_MAX_LENGTH = 100;
export const AUDIT_ENTITY_TYPE_MAX_LENGTH = 100;

@InputType({
  description: 'Narrows the audit log. Every filter given must match (AND); omitted filters match everything.',
})
export class AuditEventsFilterInput {
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Only events recorded at or after this instant.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Only events recorded before this instant (exclusive); it must be after `from`.',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date | null;

  @Field(() => ID, { nullable: true, description: 'Only events of this staff account or API client.' })
  @IsOptional()
  @IsUUID('all')
  actorId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `Only events of this exact action, e.g. \`service.update\` (up to ${AUDIT_ACTION_MAX_LENGTH} characters).`,
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(AUDIT_ACTION_MAX_LENGTH)
  action?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `Only events about objects of this type, e.g. \`Service\` (up to ${AUDIT_ENTITY_TYPE_MAX_LENGTH} characters).`,
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(AUDIT_ENTITY_TYPE_MAX_LENGTH)
  entityType?: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      "Only events about this object. Across organizations (network operator's auditors), a person's id never matches: a client cannot be followed from one organization to another.",
  })
  @IsOptional()
  @IsUUID('all')
  entityId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      "Only events involving this client's data. Within your own organization's chain only: combined with another organization, or with none, for the network operator's auditors, it is refused (BAD_USER_INPUT).",
  })
  @IsOptional()
  @IsUUID('all')
  subjectClientId?: string | null;

  @Field(() => AuditOutcome, {
    nullable: true,
    description: 'Only events with this outcome (e.g. DENIED for refused attempts).',
  })
  @IsOptional()
  @IsEnum(AuditOutcome)
  outcome?: AuditOutcome | null;

  @Field(() => ID, {
    nullable: true,
    description: `Only the chain of this organization, or \`${NETWORK_CHAIN}\` for the chain of callers without a credential. Without the network operator's auditor role, only your own organization exists here: any other value is NOT_FOUND.`,
  })
  @IsOptional()
  @ValidateIf((_filter: object, value: unknown) => value !== NETWORK_CHAIN)
  @IsUUID('all', { message: `$property must be an organization id (a UUID) or "${NETWORK_CHAIN}"` })
  organizationId?: string | null;
}

@ArgsType()
export class AuditEventsArgs extends ConnectionArgs {
  @Field(() => AuditEventsFilterInput, { nullable: true, description: 'Optional filters, combined with AND.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AuditEventsFilterInput)
  filter?: AuditEventsFilterInput | null;
}
