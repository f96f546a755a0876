import { ArgsType, Field } from '@nestjs/graphql';
import { ConnectionArgs } from '@harbour/graphql-kit';
import { IsEnum, IsOptional } from 'class-validator';
import { ConsentStatus } from '../consent.enums';

@ArgsType()
export class ClientConsentsArgs extends ConnectionArgs {
  @Field(() => ConsentStatus, {
    nullable: true,
    description: 'Only consents in this status right now (ACTIVE: in force). Omitted: all.',
  })
  @IsOptional()
  @IsEnum(ConsentStatus)
  status?: ConsentStatus | null;
}
