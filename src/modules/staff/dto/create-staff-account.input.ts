import { Transform } from 'class-transformer';
import { Field, ID, InputType } from '@nestjs/graphql';
import { Role } from '@harbour/authz';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsEmail,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { ServiceArea } from '../../../common/service-area';

@InputType({ description: 'Invite a person to an organization with some roles.' })
export class CreateStaffAccountInput {
  @Field({ description: "The person's work email; it becomes their sign-in name." })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsEmail()
  @MaxLength(254)
  email: string;

  @Field({ description: 'How the person is named to colleagues in their own organization.' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName: string;

  @Field(() => [Role], {
    description: 'Roles in the organization. You can grant only roles your own permissions cover, never to yourself.',
  })
  @IsEnum(Role, { each: true })
  @ArrayUnique()
  @ArrayMaxSize(6)
  roles: Role[];

  @Field(() => ServiceArea, {
    nullable: true,
    description: 'Required with SERVICE_AREA_LEAD: the one service area the lead reports on.',
  })
  @IsOptional()
  @IsEnum(ServiceArea)
  leadServiceArea?: ServiceArea;

  @Field(() => ID, {
    nullable: true,
    description:
      'Defaults to your acting organization. A NETWORK_ADMIN may name another organization to invite its first ORG_ADMIN, while it has none.',
  })
  @IsOptional()
  @IsUUID()
  organizationId?: string;
}
