import { Field, InputType } from '@nestjs/graphql';
import { NotNullWhenPresent } from '@harbour/graphql-kit';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
} from 'class-validator';
import {
  DESCRIPTION_MAX_LENGTH,
  EMAIL_MAX_LENGTH,
  HTTP_URL,
  NAME_MAX_LENGTH,
  PHONE_MAX_LENGTH,
  PHONE_PATTERN,
  URL_MAX_LENGTH,
} from '../../../common/field-limits';
import { ServiceArea } from '../../../common/service-area';
import { OrganizationKind } from '../organization-kind.enum';

@InputType({
  description:
    'Changes to an organization profile. An omitted field keeps its value; `null` clears a field that may be empty (alternateName, email, website, phone) and is refused for the others.',
})
export class UpdateOrganizationInput {
  @Field(() => String, {
    nullable: true,
    description: `New official name, unique in the network (1 to ${NAME_MAX_LENGTH} characters). A name already taken gives CONFLICT.`,
  })
  @NotNullWhenPresent()
  @IsString()
  @IsNotEmpty()
  @MaxLength(NAME_MAX_LENGTH)
  name?: string;

  @Field(() => String, {
    nullable: true,
    description: `Another name the organization is known by (up to ${NAME_MAX_LENGTH} characters); null clears it.`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(NAME_MAX_LENGTH)
  alternateName?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `What the organization does (1 to ${DESCRIPTION_MAX_LENGTH} characters).`,
  })
  @NotNullWhenPresent()
  @IsString()
  @IsNotEmpty()
  @MaxLength(DESCRIPTION_MAX_LENGTH)
  description?: string;

  @Field(() => OrganizationKind, { nullable: true, description: 'City department or community organization.' })
  @NotNullWhenPresent()
  @IsEnum(OrganizationKind)
  kind?: OrganizationKind;

  @Field(() => String, { nullable: true, description: 'General contact email address; null clears it.' })
  @IsOptional()
  @IsEmail()
  @MaxLength(EMAIL_MAX_LENGTH)
  email?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Public website, an absolute http or https URL; null clears it.',
  })
  @IsOptional()
  @IsUrl(HTTP_URL)
  @MaxLength(URL_MAX_LENGTH)
  website?: string | null;

  @Field(() => String, { nullable: true, description: 'General contact phone number; null clears it.' })
  @IsOptional()
  @IsString()
  @MaxLength(PHONE_MAX_LENGTH)
  @Matches(PHONE_PATTERN, { message: '$property must be a phone number' })
  phone?: string | null;

  @Field(() => [ServiceArea], {
    nullable: true,
    description: 'The service areas the organization works in; replaces the current list (an empty list clears it).',
  })
  @NotNullWhenPresent()
  @IsArray()
  @ArrayMaxSize(Object.keys(ServiceArea).length)
  @ArrayUnique()
  @IsEnum(ServiceArea, { each: true })
  serviceAreas?: ServiceArea[];

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Deactivate (false) or reactivate (true) the organization. Only callers allowed to update any organization (the network operator) may send this field: anyone else gets FORBIDDEN. The network operator itself cannot be deactivated.',
  })
  @NotNullWhenPresent()
  @IsBoolean()
  active?: boolean;
}
