import { ArgsType, Field, ID } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsUUID, ValidateNested } from 'class-validator';
import { IdempotencyKeyField } from '../../../idempotency/idempotency-key';
import { ConsentRevocationInput } from './consent-revocation.input';

@ArgsType()
export class RevokeConsentArgs {
  @Field(() => ID, { description: 'Id of the consent to revoke.' })
  @IsUUID('all')
  id: string;

  @Field(() => ConsentRevocationInput, { description: 'Why it is revoked.' })
  @ValidateNested()
  @Type(() => ConsentRevocationInput)
  reason: ConsentRevocationInput;

  @IdempotencyKeyField('the consent', 'REVOKED, with the revocation that took effect')
  idempotencyKey?: string | null;
}
