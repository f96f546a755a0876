import { ArgsType, Field, InputType } from '@nestjs/graphql';
import { ConnectionArgs } from '@harbour/graphql-kit';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { SEARCH_TEXT_MAX_LENGTH } from '../../../common/field-limits';
import { ServiceArea } from '../../../common/service-area';
import { OrganizationKind } from '../organization-kind.enum';

@InputType({
  description: 'Narrows the organizations list. Every filter given must match (AND); omitted filters match everything.',
})
export class OrganizationsFilterInput {
  @Field(() => OrganizationKind, { nullable: true, description: 'Only organizations of this kind.' })
  @IsOptional()
  @IsEnum(OrganizationKind)
  kind?: OrganizationKind | null;

  @Field(() => ServiceArea, { nullable: true, description: 'Only organizations that work in this service area.' })
  @IsOptional()
  @IsEnum(ServiceArea)
  serviceArea?: ServiceArea | null;

  @Field(() => String, {
    nullable: true,
    description: `Only organizations whose name, alternate name or description contains this text, ignoring case (up to ${SEARCH_TEXT_MAX_LENGTH} characters; \`%\` and \`_\` match themselves).`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(SEARCH_TEXT_MAX_LENGTH)
  text?: string | null;
}

@ArgsType()
export class OrganizationsArgs extends ConnectionArgs {
  @Field(() => OrganizationsFilterInput, { nullable: true, description: 'Optional filters, combined with AND.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => OrganizationsFilterInput)
  filter?: OrganizationsFilterInput | null;
}
