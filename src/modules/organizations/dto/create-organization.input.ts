import { Field, InputType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
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
  description: 'A new organization to admit to the network. It starts active and is never the network operator.',
})
export class CreateOrganizationInput {
  @Field({
    description: `Official name, unique in the network (1 to ${NAME_MAX_LENGTH} characters). A name already taken gives CONFLICT.`,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(NAME_MAX_LENGTH)
  name: string;

  @Field(() => String, {
    nullable: true,
    description: `Another name the organization is known by (up to ${NAME_MAX_LENGTH} characters).`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(NAME_MAX_LENGTH)
  alternateName?: string | null;

  @Field({ description: `What the organization does, in plain language (1 to ${DESCRIPTION_MAX_LENGTH} characters).` })
  @IsString()
  @IsNotEmpty()
  @MaxLength(DESCRIPTION_MAX_LENGTH)
  description: string;

  @Field(() => OrganizationKind, { description: 'City department or community organization.' })
  @IsEnum(OrganizationKind)
  kind: OrganizationKind;

  @Field(() => String, { nullable: true, description: 'General contact email address.' })
  @IsOptional()
  @IsEmail()
  @MaxLength(EMAIL_MAX_LENGTH)
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Public website: an absolute http or https URL.' })
  @IsOptional()
  @IsUrl(HTTP_URL)
  @MaxLength(URL_MAX_LENGTH)
  website?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'General contact phone number: digits, spaces, `+ ( ) . -` and an optional extension (`x123`).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(PHONE_MAX_LENGTH)
  @Matches(PHONE_PATTERN, { message: '$property must be a phone number' })
  phone?: string | null;

  @Field(() => [ServiceArea], {
    nullable: true,
    description: 'The service areas the organization works in (default: none).',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(Object.keys(ServiceArea).length)
  @ArrayUnique()
  @IsEnum(ServiceArea, { each: true })
  serviceAreas?: ServiceArea[] | null;
}
