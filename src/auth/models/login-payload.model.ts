import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A short-lived access token acting for one organization.' })
export class LoginPayload {
  @Field({ description: 'Send as `Authorization: Bearer <accessToken>`. Never log or store it beyond its lifetime.' })
  accessToken: string;

  @Field({ description: 'Always "Bearer".' })
  tokenType: string;

  @Field({ description: 'When the token stops working (UTC). Sign in again after it.' })
  expiresAt: Date;

  @Field(() => ID, { description: 'The organization every request with this token acts for.' })
  organizationId: string;
}
