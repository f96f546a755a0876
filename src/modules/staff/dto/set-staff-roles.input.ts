import { Field, ID, InputType } from '@nestjs/graphql';
import { Role } from '@harbour/authz';
import { ArrayMaxSize, ArrayUnique, IsBoolean, IsEnum, IsOptional, IsUUID } from 'class-validator';
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

  @Field(() => ServiceArea, {
    nullable: true,
    description:
      'Required with SERVICE_AREA_LEAD: the one area the person leads. An area has at most one active lead: naming a lead of an area that has another is CONFLICT, unless `replaceLead` is true.',
  })
  @IsOptional()
  @IsEnum(ServiceArea)
  leadServiceArea?: ServiceArea;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "True to replace the area's current lead: their SERVICE_AREA_LEAD role is withdrawn in this same change (audited as a change of their roles), so that the area is never without a lead nor with two. Ignored when the area has no other lead.",
  })
  @IsOptional()
  @IsBoolean()
  replaceLead?: boolean;
}
