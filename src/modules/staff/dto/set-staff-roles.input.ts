import { Field, ID, InputType } from '@nestjs/graphql';
import { Role } from '@harbour/authz';
import { ArrayMaxSize, ArrayUnique, IsEnum, IsOptional, IsUUID } from 'class-validator';
import { ServiceArea } from '../../../common/service-area';

@InputType({ description: "Replace a staff member's roles in your acting organization." })
export class SetStaffRolesInput {
  @Field(() => ID, { description: 'The staff account.' })
  @IsUUID()
  accountId: string;

  @Field(() => [Role], {
    description:
      'The complete new set of roles (an empty list leaves the person without roles). Every role added or removed must be one you may grant.',
  })
  @IsEnum(Role, { each: true })
  @ArrayUnique()
  @ArrayMaxSize(6)
  roles: Role[];

  @Field(() => ServiceArea, { nullable: true, description: 'Required with SERVICE_AREA_LEAD.' })
  @IsOptional()
  @IsEnum(ServiceArea)
  leadServiceArea?: ServiceArea;
}
